import { describe, expect, it } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { RunProgressTracker, renderProgress } from '../../../src-main/cli/run-progress';
import type { Attempt } from '../../../src-shared/domain/attempt';
import { ZERO_USAGE } from '../../../src-shared/domain/usage';

function attempt(id: string, taskId: string, costUsd = 0): Attempt {
  return {
    id, taskId, runId: 'r', number: 1, status: 'running', backend: 'test', workerOwner: 'w', sessionId: null, workingDirectory: null, worktree: null,
    branch: null, commitBefore: null, commitAfter: null, exitCode: null, output: null, errorClass: null, errorMessage: null, usage: ZERO_USAGE,
    costUsd, review: null, stage: null, workCommit: null, startedAt: 0, finishedAt: null,
  };
}

describe('co run live display', () => {
  it('shows the overall bar, cost, a pause, and one line per busy worker with its last log line', () => {
    const bus = new EngineEventBus();
    const tracker = new RunProgressTracker(bus, (id) => ({ '1': 'Schema', '2': 'API' })[id] ?? '');
    bus.emit('run.progress', { runId: 'r', counts: { done: 1, failed: 1 } as never, total: 4, settled: 2, activeWorkers: 1 });
    bus.emit('attempt.started', { attempt: attempt('a1', '1') });
    bus.emit('attempt.started', { attempt: attempt('a2', '2') });
    bus.emit('attempt.log', { attemptId: 'a2', taskId: '2', runId: 'r', seq: 1, at: 0, kind: 'tool_use', text: 'Write src/api.ts\nmore' });
    bus.emit('attempt.finished', { attempt: { ...attempt('a1', '1', 0.25), status: 'succeeded' } });
    bus.emit('pool.paused', { until: 61_000, reason: '429' });

    const lines = renderProgress(tracker.state, 1_000, 60);
    expect(lines[0]).toContain('1/4 done, 1 failed/blocked · 1 working · $0.2500');
    expect(lines[0]).toMatch(/^█{15}░{15} /);
    expect(lines[1]).toBe('⏸ rate limited: paused for 60 s');
    expect(lines[2]?.startsWith('  ▸ 2 API (')).toBe(true);
    expect(lines[2]).toContain('Write src/api.ts');
    expect(lines[2]?.length).toBeLessThanOrEqual(60);
    expect(lines).toHaveLength(3);

    bus.emit('pool.resumed', {});
    expect(renderProgress(tracker.state, 2_000, 200).some((line) => line.includes('rate limited'))).toBe(false);
  });
});
