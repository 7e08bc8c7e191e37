import type { GraphNode } from '../../../src-shared/graph/graph-node';
import { findCycle, validateGraph } from '../../../src-shared/graph/validate';
import { priorityRank } from '../../../src-shared/domain/priority';
import { toPlannedTask, type ModelTask, type PlannedTask } from './plan-schema';

/** What kind of repair a note describes. */
export type RepairNoteKind = 'duplicate_id' | 'renumbered' | 'self_dependency' | 'unknown_dependency' | 'unknown_task' | 'cycle_broken';

/** One repair made to a model's plan, worded for the user. */
export interface RepairNote {
  readonly kind: RepairNoteKind;
  readonly message: string;
}

/** What to do with a dependency cycle: drop its lowest-priority back edge, or refuse the plan. */
export type CyclePolicy = 'break' | 'refuse';

/** Settings of a repair. */
export interface RepairOptions {
  /** Final id of the task at a 0-based position, e.g. `(i) => String(i + 1)` or `(i) => \`4.${i + 1}\``. */
  readonly idFor: (index: number) => string;
  /** Ids of tasks outside the plan that dependencies may name (existing tasks). */
  readonly externalIds?: ReadonlySet<string>;
  readonly cyclePolicy: CyclePolicy;
}

/** A repaired plan, or a refusal that says why. */
export type RepairResult =
  | { readonly ok: true; readonly tasks: ReadonlyArray<PlannedTask>; readonly notes: ReadonlyArray<RepairNote>; readonly idMap: ReadonlyMap<string, string> }
  | { readonly ok: false; readonly message: string; readonly cycle: ReadonlyArray<string> };

/**
 * Validates and repairs a model's task list: duplicate ids renumbered, ids made contiguous
 * (dependencies remapped), self and unknown references dropped, and cycles broken by dropping
 * the back edge (a dependency on a later task) whose dependent has the lowest priority — or
 * refused. Every repair is noted. The result always passes validateGraph.
 */
export function repairPlan(tasks: ReadonlyArray<ModelTask>, options: RepairOptions): RepairResult {
  const notes: RepairNote[] = [];
  const rawIds = tasks.map((task) => String(task.id).trim());
  const finalIds = tasks.map((_, index) => options.idFor(index));
  const idMap = new Map<string, string>();
  const renumbered: string[] = [];
  rawIds.forEach((raw, index) => {
    const finalId = finalIds[index] as string;
    if (idMap.has(raw)) {
      notes.push({ kind: 'duplicate_id', message: `duplicate id ${raw}: task ${quote(tasks[index])} renumbered to ${finalId}` });
      return;
    }
    idMap.set(raw, finalId);
    if (raw !== finalId) renumbered.push(`${raw} → ${finalId}`);
  });
  if (renumbered.length > 0) notes.push({ kind: 'renumbered', message: `ids made contiguous: ${renumbered.join(', ')}` });

  const dependencies: string[][] = tasks.map((task, index) => {
    const own = finalIds[index] as string;
    const kept: string[] = [];
    for (const dependency of task.dependencies.map((value) => String(value).trim())) {
      const target = idMap.get(dependency) ?? (options.externalIds?.has(dependency) === true ? dependency : undefined);
      if (target === own) {
        notes.push({ kind: 'self_dependency', message: `task ${own} (${quote(task)}) depended on itself; dependency dropped` });
      } else if (target === undefined) {
        notes.push({ kind: 'unknown_dependency', message: `task ${own} (${quote(task)}) depended on unknown task ${dependency}; dependency dropped` });
      } else if (!kept.includes(target)) {
        kept.push(target);
      }
    }
    return kept;
  });

  const position = new Map(finalIds.map((id, index) => [id, index]));
  const maxRounds = dependencies.reduce((sum, list) => sum + list.length, 0) + 1;
  for (let round = 0; round < maxRounds; round += 1) {
    const cycle = findCycle(new Map(finalIds.map((id, index) => [id, { id, dependencies: dependencies[index] ?? [] }])));
    if (cycle === undefined) break;
    const named = cycle.join(' → ');
    if (options.cyclePolicy === 'refuse') {
      return { ok: false, message: `the plan has a dependency cycle ${named}`, cycle };
    }
    const [from, to] = edgeToDrop(cycle, position, (index) => priorityRank((tasks[index] as ModelTask).priority));
    const fromIndex = position.get(from) as number;
    dependencies[fromIndex] = (dependencies[fromIndex] ?? []).filter((dependency) => dependency !== to);
    notes.push({
      kind: 'cycle_broken',
      message: `dependency cycle ${named} broken: task ${from} (${quote(tasks[fromIndex])}) no longer depends on task ${to}`,
    });
  }

  const planned = tasks.map((task, index) => toPlannedTask(task, finalIds[index] as string, dependencies[index] ?? []));
  const internal: GraphNode[] = planned.map((task) => ({ id: task.id, dependencies: task.dependencies.filter((dependency) => position.has(dependency)) }));
  const problems = validateGraph(internal);
  if (problems.length > 0) {
    return { ok: false, message: `the plan could not be repaired: ${problems.map((problem) => problem.message).join('; ')}`, cycle: [] };
  }
  return { ok: true, tasks: planned, notes, idMap };
}

/**
 * Picks the edge of a cycle to drop: among back edges (a task depending on a later one),
 * the one whose dependent has the lowest priority; ties go to the latest dependent.
 */
function edgeToDrop(
  cycle: ReadonlyArray<string>,
  position: ReadonlyMap<string, number>,
  rankAt: (index: number) => number,
): readonly [string, string] {
  const edges: Array<readonly [string, string]> = [];
  for (let index = 0; index + 1 < cycle.length; index += 1) edges.push([cycle[index] as string, cycle[index + 1] as string]);
  const at = (id: string): number => position.get(id) ?? -1;
  const back = edges.filter(([from, to]) => at(from) < at(to));
  const candidates = back.length > 0 ? back : edges;
  let best = candidates[0] as readonly [string, string];
  for (const edge of candidates.slice(1)) {
    const rank = rankAt(at(edge[0]));
    const bestRank = rankAt(at(best[0]));
    if (rank < bestRank || (rank === bestRank && at(edge[0]) > at(best[0]))) best = edge;
  }
  return best;
}

function quote(task: ModelTask | undefined): string {
  return JSON.stringify(task?.title ?? '');
}
