import type { GraphNode } from './graph-node';
import { dependentsIndex } from './graph-node';
import { topologicalOrder } from './order';

/**
 * For each task, the length of the longest chain that starts with it and follows its
 * dependents to the end ("bottom level"), summing `duration` (1 per task by default).
 * Scheduling the largest first is the classic critical-path list schedule.
 */
export function criticalPathRanks(
  nodes: ReadonlyArray<GraphNode>,
  duration: (id: string) => number = () => 1,
): ReadonlyMap<string, number> {
  const order = topologicalOrder(nodes);
  const dependents = dependentsIndex(nodes);
  const ranks = new Map<string, number>();
  for (let index = order.length - 1; index >= 0; index -= 1) {
    const id = order[index] as string;
    let longestAfter = 0;
    for (const dependent of dependents.get(id) ?? []) longestAfter = Math.max(longestAfter, ranks.get(dependent) ?? 0);
    ranks.set(id, duration(id) + longestAfter);
  }
  return ranks;
}

/** Length of the longest dependency chain, in `duration` units. */
export function criticalPathLength(nodes: ReadonlyArray<GraphNode>, duration: (id: string) => number = () => 1): number {
  let longest = 0;
  for (const rank of criticalPathRanks(nodes, duration).values()) longest = Math.max(longest, rank);
  return longest;
}

/** No schedule on `workers` workers can finish sooner than max(critical path, total work / workers). */
export function makespanLowerBound(
  nodes: ReadonlyArray<GraphNode>,
  duration: (id: string) => number,
  workers: number,
): number {
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const totalWork = nodes.reduce((sum, node) => sum + duration(node.id), 0);
  return Math.max(criticalPathLength(nodes, duration), totalWork / workers);
}
