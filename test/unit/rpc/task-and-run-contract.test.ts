import { describe, expect, it } from 'vitest';
import { events, methods } from '../../../src-shared/rpc/contract';
import { EventHub } from '../../../src-shared/rpc/event-hub';

describe('contract: task removal, task resets and run reloads', () => {
  it('carries task.removed and tasks.reset, and refuses a reset without a known reason', () => {
    const hub = new EventHub();
    const seen: string[] = [];
    hub.listen((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
    hub.emit('task.removed', { project: '/p', taskId: '1.2' });
    hub.emit('tasks.reset', { project: '/p', reason: 'rollback' });
    expect(seen).toEqual(['task.removed {"project":"/p","taskId":"1.2"}', 'tasks.reset {"project":"/p","reason":"rollback"}']);
    expect(() => hub.emit('tasks.reset', { project: '/p', reason: 'because' as never })).toThrow();
    expect(events['task.removed'].safeParse({ project: '/p' }).success).toBe(false);
  });

  it('reads an attempt log from its start unless the tail is asked for, and refuses unknown fields', () => {
    const input = methods['attempts.logs'].input;
    expect(input.parse({ project: '/p', attemptId: 'a' })).toEqual({ project: '/p', attemptId: 'a', afterSeq: 0, limit: 1_000, tail: false });
    expect(input.parse({ project: '/p', attemptId: 'a', tail: true, limit: 50 })).toMatchObject({ tail: true, limit: 50 });
    expect(input.safeParse({ project: '/p', attemptId: 'a', newest: true }).success).toBe(false);
  });

  it('requires the active attempts on runs.status and the head movement on rollback results', () => {
    const status = { running: false, run: null, counts: {}, total: 0, activeWorkers: 0, pausedUntil: null, usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0 };
    expect(methods['runs.status'].output.safeParse(status).success).toBe(false);
    const result = { restoredFiles: [], deletedFiles: [], keptIgnoredFiles: [], unrevertedFiles: [], notes: [], tasksRestored: 0, tasksResetToPending: [], safetyCheckpointId: 'x' };
    expect(methods['checkpoints.rollback'].output.safeParse(result).success).toBe(false);
    const head = { headMovedSinceCheckpoint: true, headMovement: { branch: null, commitsSinceCheckpoint: 2, commitsNoLongerOnHead: 0 } };
    expect(methods['checkpoints.rollback'].output.safeParse({ ...result, ...head }).success).toBe(true);
  });
});
