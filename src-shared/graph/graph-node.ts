/** The part of a task the graph algorithms need. */
export interface GraphNode {
  readonly id: string;
  readonly dependencies: ReadonlyArray<string>;
}

/** Ids of the tasks that depend on each task (the reverse edges), in input order. */
export function dependentsIndex(nodes: ReadonlyArray<GraphNode>): ReadonlyMap<string, ReadonlyArray<string>> {
  const dependents = new Map<string, string[]>();
  for (const node of nodes) dependents.set(node.id, []);
  for (const node of nodes) {
    for (const dependency of node.dependencies) dependents.get(dependency)?.push(node.id);
  }
  return dependents;
}
