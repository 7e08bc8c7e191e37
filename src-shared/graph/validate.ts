import { compareTaskIds } from '../domain/task-id';
import type { GraphNode } from './graph-node';

/** One thing wrong with a task graph, with a message that names the tasks involved. */
export type GraphProblem =
  | { readonly kind: 'duplicate_id'; readonly taskId: string; readonly message: string }
  | { readonly kind: 'self_dependency'; readonly taskId: string; readonly message: string }
  | { readonly kind: 'unknown_dependency'; readonly taskId: string; readonly dependency: string; readonly message: string }
  | { readonly kind: 'cycle'; readonly cycle: ReadonlyArray<string>; readonly message: string };

/** Thrown when a graph is invalid; `problems` lists every issue found. */
export class GraphValidationError extends Error {
  constructor(readonly problems: ReadonlyArray<GraphProblem>) {
    super(`invalid task graph: ${problems.map((problem) => problem.message).join('; ')}`);
    this.name = 'GraphValidationError';
  }
}

/** Checks duplicates, self references, unknown references and cycles; an empty list means valid. */
export function validateGraph(nodes: ReadonlyArray<GraphNode>): ReadonlyArray<GraphProblem> {
  const problems: GraphProblem[] = [];
  const byId = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (byId.has(node.id)) {
      problems.push({ kind: 'duplicate_id', taskId: node.id, message: `task ${node.id} is defined more than once` });
    } else {
      byId.set(node.id, node);
    }
  }
  for (const node of byId.values()) {
    for (const dependency of node.dependencies) {
      if (dependency === node.id) {
        problems.push({ kind: 'self_dependency', taskId: node.id, message: `task ${node.id} depends on itself` });
      } else if (!byId.has(dependency)) {
        problems.push({
          kind: 'unknown_dependency',
          taskId: node.id,
          dependency,
          message: `task ${node.id} depends on ${dependency}, which does not exist`,
        });
      }
    }
  }
  const cycle = findCycle(byId);
  if (cycle) problems.push({ kind: 'cycle', cycle, message: `dependency cycle: ${cycle.join(' → ')}` });
  return problems;
}

/** Throws GraphValidationError when the graph has any problem. */
export function assertValidGraph(nodes: ReadonlyArray<GraphNode>): void {
  const problems = validateGraph(nodes);
  if (problems.length > 0) throw new GraphValidationError(problems);
}

/**
 * Finds one dependency cycle (ignoring self and unknown references, reported separately), as
 * "a → b → … → a" where each task depends on the next. Iterative, so deep graphs do not overflow.
 */
export function findCycle(byId: ReadonlyMap<string, GraphNode>): ReadonlyArray<string> | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const roots = [...byId.keys()].sort(compareTaskIds);
  for (const root of roots) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const cursors: number[] = [0];
    state.set(root, 'visiting');
    while (path.length > 0) {
      const top = path.length - 1;
      const id = path[top] as string;
      const dependencies = byId.get(id)?.dependencies ?? [];
      const cursor = cursors[top] as number;
      if (cursor >= dependencies.length) {
        state.set(id, 'done');
        path.pop();
        cursors.pop();
        continue;
      }
      cursors[top] = cursor + 1;
      const next = dependencies[cursor] as string;
      if (next === id || !byId.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') return [...path.slice(path.indexOf(next)), next];
      if (seen === undefined) {
        state.set(next, 'visiting');
        path.push(next);
        cursors.push(0);
      }
    }
  }
  return undefined;
}
