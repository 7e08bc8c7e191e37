import { compareTaskIds } from '../../../src-shared/domain/task-id';

/** The part of a task the graph needs. */
export interface GraphTask {
  readonly id: string;
  readonly dependencies: ReadonlyArray<string>;
}

/** The longest dependency chain: its tasks in order, and its edges as "dependency->dependent" keys. */
export interface CriticalPath {
  readonly ids: ReadonlyArray<string>;
  readonly nodes: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
}

/** The key of the edge from a dependency to the task that needs it. */
export function edgeKey(dependency: string, dependent: string): string {
  return `${dependency}->${dependent}`;
}

/**
 * The longest chain of tasks linked by dependencies (counted in tasks), among the tasks
 * `include` accepts (by default all). Unknown dependencies and tasks caught in a cycle are
 * ignored. Ties go to the chain with the smaller ids, so the answer is stable.
 */
export function criticalPath(tasks: ReadonlyArray<GraphTask>, include: (task: GraphTask) => boolean = () => true): CriticalPath {
  const kept = tasks.filter(include).sort((a, b) => compareTaskIds(a.id, b.id));
  const ids = new Set(kept.map((task) => task.id));
  const dependents = new Map<string, string[]>(kept.map((task) => [task.id, []]));
  const waiting = new Map<string, number>();
  for (const task of kept) {
    const dependencies = [...new Set(task.dependencies)].filter((id) => ids.has(id) && id !== task.id);
    waiting.set(task.id, dependencies.length);
    for (const dependency of dependencies) dependents.get(dependency)?.push(task.id);
  }
  // Kahn's order; `longest` is the longest chain ending at a task, `previous` where it came from.
  const queue = kept.filter((task) => waiting.get(task.id) === 0).map((task) => task.id);
  const longest = new Map<string, number>(queue.map((id) => [id, 1]));
  const previous = new Map<string, string>();
  for (let index = 0; index < queue.length; index += 1) {
    const id = queue[index] as string;
    const length = longest.get(id) ?? 1;
    for (const dependent of dependents.get(id) ?? []) {
      const best = longest.get(dependent) ?? 0;
      const current = previous.get(dependent);
      if (length + 1 > best || (length + 1 === best && current !== undefined && compareTaskIds(id, current) < 0)) {
        longest.set(dependent, length + 1);
        previous.set(dependent, id);
      }
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) queue.push(dependent);
    }
  }
  let end: string | undefined;
  let endLength = 0;
  for (const id of queue) {
    const length = longest.get(id) ?? 0;
    if (length > endLength || (length === endLength && end !== undefined && compareTaskIds(id, end) < 0)) {
      end = id;
      endLength = length;
    }
  }
  const chain: string[] = [];
  for (let at = end; at !== undefined; at = previous.get(at)) chain.unshift(at);
  const edges = new Set<string>();
  for (let index = 1; index < chain.length; index += 1) edges.add(edgeKey(chain[index - 1] as string, chain[index] as string));
  return { ids: chain, nodes: new Set(chain), edges };
}
