import { compareTaskIds } from '../../../src-shared/domain/task-id';
import type { GraphTask } from './critical-path';
import type { Positions } from './layout';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 58;
const GAP_X = 24;
const GAP_Y = 56;
const SWEEPS = 4;

/**
 * A linear-time layered layout for big graphs: each task's row is the length of its longest
 * dependency chain, and a few barycentre sweeps order each row to reduce crossings.
 * Tasks in a cycle (which the host refuses anyway) go to the last row.
 */
export function layeredLayout(tasks: ReadonlyArray<GraphTask>): Positions {
  const sorted = [...tasks].sort((a, b) => compareTaskIds(a.id, b.id));
  const ids = new Set(sorted.map((task) => task.id));
  const dependencies = new Map<string, string[]>();
  const dependents = new Map<string, string[]>(sorted.map((task) => [task.id, []]));
  for (const task of sorted) {
    const known = [...new Set(task.dependencies)].filter((id) => ids.has(id) && id !== task.id);
    dependencies.set(task.id, known);
    for (const id of known) dependents.get(id)?.push(task.id);
  }

  const rank = new Map<string, number>();
  const waiting = new Map(sorted.map((task) => [task.id, dependencies.get(task.id)?.length ?? 0]));
  const queue = sorted.filter((task) => waiting.get(task.id) === 0).map((task) => task.id);
  for (let index = 0; index < queue.length; index += 1) {
    const id = queue[index] as string;
    const row = Math.max(-1, ...(dependencies.get(id) ?? []).map((dependency) => rank.get(dependency) ?? -1)) + 1;
    rank.set(id, row);
    for (const dependent of dependents.get(id) ?? []) {
      const left = (waiting.get(dependent) ?? 0) - 1;
      waiting.set(dependent, left);
      if (left === 0) queue.push(dependent);
    }
  }
  const lastRow = Math.max(0, ...rank.values()) + 1;
  const rows: string[][] = Array.from({ length: lastRow + 1 }, () => []);
  for (const task of sorted) {
    const row = rank.get(task.id) ?? lastRow;
    rows[row]?.push(task.id);
  }

  const order = new Map<string, number>();
  const renumber = (row: ReadonlyArray<string>) => row.forEach((id, index) => order.set(id, index));
  rows.forEach((row) => renumber(row));
  const barycentre = (id: string, neighbours: ReadonlyMap<string, ReadonlyArray<string>>) => {
    const around = neighbours.get(id) ?? [];
    if (around.length === 0) return order.get(id) ?? 0;
    return around.reduce((sum, neighbour) => sum + (order.get(neighbour) ?? 0), 0) / around.length;
  };
  for (let sweep = 0; sweep < SWEEPS; sweep += 1) {
    const downward = sweep % 2 === 0;
    const sequence = downward ? rows.keys() : [...rows.keys()].reverse();
    for (const rowIndex of sequence) {
      const row = rows[rowIndex];
      if (row === undefined) continue;
      const weights = new Map(row.map((id) => [id, barycentre(id, downward ? dependencies : dependents)]));
      row.sort((a, b) => (weights.get(a) ?? 0) - (weights.get(b) ?? 0) || (order.get(a) ?? 0) - (order.get(b) ?? 0));
      renumber(row);
    }
  }

  const positions = new Map<string, { x: number; y: number }>();
  const widest = Math.max(0, ...rows.map((row) => row.length));
  rows.forEach((row, rowIndex) => {
    const offset = ((widest - row.length) * (NODE_WIDTH + GAP_X)) / 2;
    row.forEach((id, index) => positions.set(id, { x: offset + index * (NODE_WIDTH + GAP_X), y: rowIndex * (NODE_HEIGHT + GAP_Y) }));
  });
  return positions;
}
