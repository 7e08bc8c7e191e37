import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../../src-main/engine/errors';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

describe('external workers: fencing by attempt id and lease renewal', () => {
  it('complete and fail with an attempt id succeed only while that attempt holds the task', async () => {
    const o = new Orchestrator({ workingDirectory: temporaryFolder(), taskTimeout: 60 });
    o.addTasksBatch([{ title: 'a' }, { title: 'b' }]);
    const first = o.claimTask('agent-1');
    const stale = first?.currentAttemptId as string;
    // The lease is taken back (expired, reclaimed) and the task claimed again by another attempt.
    o.store.write(() => o.store.leases.releaseLeased('1', stale, { notBefore: null, reason: null, countFailure: false }, Date.now()));
    const again = o.claimTask('agent-1');
    expect(again?.id).toBe('1');
    expect(again?.currentAttemptId).not.toBe(stale);

    expect(() => o.completeTask('1', { output: 'late' }, 'agent-1', stale)).toThrow(InvalidStateError);
    expect(() => o.completeTask('1', { output: 'late' }, 'agent-1', stale)).toThrow(`attempt ${stale} no longer holds task 1`);
    expect(() => o.failTask('1', 'late failure', 'agent-1', 'permanent', stale)).toThrow(InvalidStateError);
    expect(o.getTask('1')).toMatchObject({ status: 'in_progress', currentAttemptId: again?.currentAttemptId });

    expect(o.completeTask('1', { output: 'on time' }, 'agent-1', again?.currentAttemptId ?? undefined)).toMatchObject({ status: 'done', result: { output: 'on time' } });
    await o.close();
  });

  it('renewTask extends the claim by the task timeout, fenced by attempt id', async () => {
    const o = new Orchestrator({ workingDirectory: temporaryFolder(), taskTimeout: 60 });
    o.addTask('long job');
    const claimed = o.claimTask('agent-1');
    const attemptId = claimed?.currentAttemptId as string;
    const before = claimed?.leaseExpiresAt as number;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const renewed = o.renewTask('1', 'agent-1', attemptId);
    expect(renewed.leaseExpiresAt).toBeGreaterThan(before);
    expect(renewed.leaseExpiresAt).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(() => o.renewTask('1', 'agent-1', 'not-the-attempt')).toThrow('no longer holds task 1');
    expect(() => o.renewTask('1', 'agent-2', attemptId)).toThrow('holds no claim on task 1');
    await o.close();
  });
});
