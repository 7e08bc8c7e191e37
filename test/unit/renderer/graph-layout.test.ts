import { describe, expect, it } from 'vitest';
import { layeredLayout } from '../../../src-renderer/features/graph/layered-layout';
import { DAGRE_MAX_TASKS, NODE_HEIGHT, NODE_WIDTH, dagreLayout, graphEdges, layoutTasks, parseStructureKey, structureKey } from '../../../src-renderer/features/graph/layout';

const task = (id: string, ...dependencies: string[]) => ({ id, dependencies });

describe('graph layout', () => {
  it('the structure key ignores order and changes only with tasks or edges', () => {
    const a = structureKey([task('2', '1'), task('1')]);
    expect(structureKey([task('1'), task('2', '1')])).toBe(a);
    expect(structureKey([task('1'), task('2')])).not.toBe(a);
    expect(structureKey([task('1'), task('2', '1'), task('3')])).not.toBe(a);
  });

  it('parses its own structure key back', () => {
    const tasks = [task('1'), task('1.2', '1'), task('a_b-c', '1', '1.2')];
    expect(parseStructureKey(structureKey(tasks))).toEqual(tasks);
    expect(parseStructureKey('')).toEqual([]);
  });

  it('lists edges between known tasks only', () => {
    expect(graphEdges([task('1'), task('2', '1', 'ghost', '2')])).toEqual([['1', '2']]);
  });

  it('puts dependencies above the tasks that need them', () => {
    const positions = layoutTasks([task('1'), task('2', '1'), task('3', '2')]);
    const y = (id: string) => positions.get(id)?.y ?? Number.NaN;
    expect(y('1') + NODE_HEIGHT).toBeLessThan(y('2'));
    expect(y('2') + NODE_HEIGHT).toBeLessThan(y('3'));
  });

  it('the layered layout puts dependencies above and never overlaps nodes', () => {
    const positions = layeredLayout([task('1'), task('2', '1'), task('3', '1'), task('4', '2', '3'), task('x', 'y'), task('y', 'x')]);
    const at = (id: string) => positions.get(id) ?? { x: Number.NaN, y: Number.NaN };
    expect(at('1').y).toBeLessThan(at('2').y);
    expect(at('2').y).toBe(at('3').y);
    expect(at('3').y).toBeLessThan(at('4').y);
    expect(Math.abs(at('2').x - at('3').x)).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(at('x').y).toBeGreaterThan(at('4').y);
    expect(positions.size).toBe(6);
  });

  it(`uses dagre up to ${DAGRE_MAX_TASKS} tasks and lays out 500 tasks in well under a second`, () => {
    const tasks = layeredPlan(500);
    let started = performance.now();
    const small = dagreLayout(tasks.slice(0, DAGRE_MAX_TASKS));
    const dagreMs = performance.now() - started;
    started = performance.now();
    const positions = layoutTasks(tasks);
    const layeredMs = performance.now() - started;
    console.log(`[bench] dagre, ${DAGRE_MAX_TASKS} tasks: ${dagreMs.toFixed(0)} ms; layered layout, 500 tasks: ${layeredMs.toFixed(0)} ms`);
    expect(small.size).toBe(DAGRE_MAX_TASKS);
    expect(positions.size).toBe(500);
    expect(layeredMs).toBeLessThan(500);
  }, 30_000);
});

/** A plan-like graph: layers of 50 tasks, each needing 1-3 tasks of the layer before. */
function layeredPlan(count: number): Array<{ id: string; dependencies: string[] }> {
  let seed = 1;
  const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
  return Array.from({ length: count }, (_, index) => {
    const layer = Math.floor(index / 50);
    const dependencies = layer === 0 ? [] : Array.from({ length: 1 + Math.floor(random() * 3) }, () => String((layer - 1) * 50 + 1 + Math.floor(random() * 50)));
    return task(String(index + 1), ...new Set(dependencies));
  });
}
