import { graphlib, layout } from '@dagrejs/dagre';
import { compareTaskIds } from '../../../src-shared/domain/task-id';
import type { GraphTask } from './critical-path';
import { layeredLayout } from './layered-layout';

/** Size of a task node in the graph, in pixels. */
export const NODE_WIDTH = 200;
export const NODE_HEIGHT = 58;

/** Top-left position of each task node. */
export type Positions = ReadonlyMap<string, { readonly x: number; readonly y: number }>;

/** The edges of the graph between known tasks, as [dependency, dependent]. */
export function graphEdges(tasks: ReadonlyArray<GraphTask>): ReadonlyArray<readonly [string, string]> {
  const ids = new Set(tasks.map((task) => task.id));
  const edges: Array<readonly [string, string]> = [];
  for (const task of tasks) {
    for (const dependency of new Set(task.dependencies)) if (ids.has(dependency) && dependency !== task.id) edges.push([dependency, task.id]);
  }
  return edges;
}

/** A string that changes exactly when the set of tasks or edges changes (not on status changes), to decide when to lay out again. */
export function structureKey(tasks: ReadonlyArray<GraphTask>): string {
  return [...tasks]
    .sort((a, b) => compareTaskIds(a.id, b.id))
    .map((task) => `${task.id}<${[...task.dependencies].sort(compareTaskIds).join(',')}`)
    .join(';');
}

/** Above this many tasks dagre is too slow here (1.7 s for 150 plan-like tasks, 2-14 s for 500, on 2 cores), so the fast layered layout takes over. */
export const DAGRE_MAX_TASKS = 60;

/** Lays tasks out top to bottom, dependencies above the tasks that need them: dagre for normal graphs, the fast layered layout for big ones. */
export function layoutTasks(tasks: ReadonlyArray<GraphTask>): Positions {
  return tasks.length <= DAGRE_MAX_TASKS ? dagreLayout(tasks) : layeredLayout(tasks);
}

/** dagre's layout (network-simplex ranks, crossing reduction, Brandes-Köpf positions). */
export function dagreLayout(tasks: ReadonlyArray<GraphTask>): Positions {
  const graph = new graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 56, marginx: 8, marginy: 8 });
  graph.setDefaultEdgeLabel(() => ({}));
  const sorted = [...tasks].sort((a, b) => compareTaskIds(a.id, b.id));
  for (const task of sorted) graph.setNode(task.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const [from, to] of graphEdges(sorted)) graph.setEdge(from, to);
  layout(graph);
  const positions = new Map<string, { x: number; y: number }>();
  for (const task of sorted) {
    const node = graph.node(task.id) as { x: number; y: number } | undefined;
    // dagre gives centres; React Flow wants top-left corners.
    if (node !== undefined) positions.set(task.id, { x: node.x - NODE_WIDTH / 2, y: node.y - NODE_HEIGHT / 2 });
  }
  return positions;
}

/** The tasks and dependencies a structureKey describes (task ids never contain '<', ',' or ';'). */
export function parseStructureKey(key: string): ReadonlyArray<GraphTask> {
  if (key === '') return [];
  return key.split(';').map((entry) => {
    const [id = '', dependencies = ''] = entry.split('<');
    return { id, dependencies: dependencies === '' ? [] : dependencies.split(',') };
  });
}
