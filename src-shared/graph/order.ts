import { compareTaskIds } from '../domain/task-id';
import type { GraphNode } from './graph-node';
import { dependentsIndex } from './graph-node';
import { GraphValidationError, findCycle } from './validate';

/** Dependencies first; ties broken by natural id order so the result is deterministic. Throws on a cycle. */
export function topologicalOrder(nodes: ReadonlyArray<GraphNode>): ReadonlyArray<string> {
  const known = new Set(nodes.map((node) => node.id));
  const remaining = new Map<string, number>();
  for (const node of nodes) remaining.set(node.id, node.dependencies.filter((d) => known.has(d) && d !== node.id).length);
  const dependents = dependentsIndex(nodes);
  const queue = nodes.filter((node) => remaining.get(node.id) === 0).map((node) => node.id).sort(compareTaskIds);
  const order: string[] = [];
  // A sorted array used as a small priority queue: ready sets are usually small.
  while (queue.length > 0) {
    const id = queue.shift() as string;
    order.push(id);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (remaining.get(dependent) ?? 0) - 1;
      remaining.set(dependent, left);
      if (left === 0) insertSorted(queue, dependent);
    }
  }
  if (order.length < known.size) {
    const cycle = findCycle(new Map(nodes.map((node) => [node.id, node])));
    throw new GraphValidationError([
      { kind: 'cycle', cycle: cycle ?? [], message: `dependency cycle: ${(cycle ?? []).join(' → ')}` },
    ]);
  }
  return order;
}

function insertSorted(queue: string[], id: string): void {
  let low = 0;
  let high = queue.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareTaskIds(queue[middle] as string, id) < 0) low = middle + 1;
    else high = middle;
  }
  queue.splice(low, 0, id);
}

/** Ids of tasks that may start: open (per `isOpen`) and every dependency done (per `isDone`), in id order. */
export function readySet(
  nodes: ReadonlyArray<GraphNode>,
  isOpen: (id: string) => boolean,
  isDone: (id: string) => boolean,
): ReadonlyArray<string> {
  return nodes
    .filter((node) => isOpen(node.id) && node.dependencies.every(isDone))
    .map((node) => node.id)
    .sort(compareTaskIds);
}
