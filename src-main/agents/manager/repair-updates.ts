import type { Priority } from '../../../src-shared/domain/priority';
import { priorityRank } from '../../../src-shared/domain/priority';
import { findCycle } from '../../../src-shared/graph/validate';
import type { z } from 'zod';
import type { ModelTaskUpdateSchema, PlannedTask } from './plan-schema';
import type { CyclePolicy, RepairNote } from './repair-graph';

/** An existing task as the manager sees it when planning over a project. */
export interface ExistingTask {
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly status?: string;
  readonly priority: Priority;
  readonly dependencies: ReadonlyArray<string>;
}

/** A validated change to an existing task. */
export interface TaskUpdate {
  readonly id: string;
  readonly reason: string;
  readonly title?: string;
  readonly description?: string;
  readonly details?: string;
  readonly acceptanceCriteria?: ReadonlyArray<string>;
  readonly testStrategy?: string;
  readonly priority?: Priority;
  /** The complete new dependency list. */
  readonly dependencies?: ReadonlyArray<string>;
}

type ModelTaskUpdate = z.output<typeof ModelTaskUpdateSchema>;

/** Repaired additions and updates, or a refusal. */
export type UpdatesRepair =
  | {
      readonly ok: true;
      readonly additions: ReadonlyArray<PlannedTask>;
      readonly updates: ReadonlyArray<TaskUpdate>;
      readonly notes: ReadonlyArray<RepairNote>;
    }
  | { readonly ok: false; readonly message: string };

/**
 * Validates updates against the existing tasks and the (already repaired) additions: updates
 * of unknown tasks, self and unknown dependencies are dropped; a cycle through the new edges is
 * broken by dropping the new edge of the lowest-priority task, or refused.
 */
export function repairUpdates(
  existing: ReadonlyArray<ExistingTask>,
  additions: ReadonlyArray<PlannedTask>,
  additionIds: ReadonlyMap<string, string>,
  updates: ReadonlyArray<ModelTaskUpdate>,
  cyclePolicy: CyclePolicy,
): UpdatesRepair {
  const notes: RepairNote[] = [];
  const existingById = new Map(existing.map((task) => [task.id, task]));
  const resolve = (raw: string): string | undefined => (existingById.has(raw) ? raw : additionIds.get(raw));
  const kept: TaskUpdate[] = [];
  for (const update of updates) {
    const id = String(update.id).trim();
    if (!existingById.has(id)) {
      notes.push({ kind: 'unknown_task', message: `update of unknown task ${id} dropped` });
      continue;
    }
    let dependencies: string[] | undefined;
    if (update.dependencies !== undefined) {
      dependencies = [];
      for (const raw of update.dependencies.map((value) => String(value).trim())) {
        const target = resolve(raw);
        if (target === id) notes.push({ kind: 'self_dependency', message: `update of task ${id} made it depend on itself; dependency dropped` });
        else if (target === undefined) notes.push({ kind: 'unknown_dependency', message: `update of task ${id} named unknown task ${raw}; dependency dropped` });
        else if (!dependencies.includes(target)) dependencies.push(target);
      }
    }
    kept.push({
      id,
      reason: update.reason,
      ...(update.title === undefined ? {} : { title: update.title }),
      ...(update.description === undefined ? {} : { description: update.description }),
      ...(update.details === undefined ? {} : { details: update.details }),
      ...(update.acceptance_criteria === undefined ? {} : { acceptanceCriteria: update.acceptance_criteria }),
      ...(update.test_strategy === undefined ? {} : { testStrategy: update.test_strategy }),
      ...(update.priority === undefined ? {} : { priority: update.priority }),
      ...(dependencies === undefined ? {} : { dependencies }),
    });
  }

  const graph = new Map<string, { id: string; dependencies: string[]; priority: Priority }>();
  for (const task of existing) graph.set(task.id, { id: task.id, dependencies: [...task.dependencies], priority: task.priority });
  for (const task of additions) graph.set(task.id, { id: task.id, dependencies: [...task.dependencies], priority: task.priority });
  for (const update of kept) {
    const node = graph.get(update.id);
    if (node !== undefined && update.dependencies !== undefined) node.dependencies = [...update.dependencies];
  }
  const original = new Set(existing.flatMap((task) => task.dependencies.map((dependency) => `${task.id}\u0000${dependency}`)));
  for (let round = 0; round <= graph.size * 4; round += 1) {
    const cycle = findCycle(graph);
    if (cycle === undefined) break;
    const named = cycle.join(' → ');
    const newEdges: Array<readonly [string, string]> = [];
    for (let index = 0; index + 1 < cycle.length; index += 1) {
      const edge = [cycle[index] as string, cycle[index + 1] as string] as const;
      if (!original.has(`${edge[0]}\u0000${edge[1]}`)) newEdges.push(edge);
    }
    if (cyclePolicy === 'refuse' || newEdges.length === 0) return { ok: false, message: `the proposed changes create a dependency cycle ${named}` };
    const rank = (id: string): number => priorityRank(graph.get(id)?.priority ?? 'medium');
    const [from, to] = newEdges.reduce((best, edge) => (rank(edge[0]) < rank(best[0]) ? edge : best));
    const node = graph.get(from);
    if (node !== undefined) node.dependencies = node.dependencies.filter((dependency) => dependency !== to);
    notes.push({ kind: 'cycle_broken', message: `dependency cycle ${named} broken: task ${from} no longer depends on task ${to}` });
  }
  // Carry cycle repairs back into the updates and additions' dependency lists.
  const repairedUpdates = kept.map((update) =>
    update.dependencies === undefined ? update : { ...update, dependencies: graph.get(update.id)?.dependencies ?? update.dependencies },
  );
  const repairedAdditions = additions.map((task) => ({ ...task, dependencies: graph.get(task.id)?.dependencies ?? task.dependencies }));
  return { ok: true, additions: repairedAdditions, updates: repairedUpdates, notes };
}
