import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

/** An owner id naming a process on this host that has exited: provably dead. */
function deadOwner(): string {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return `${os.hostname()}:${child.stdout.trim()}:deadbeef::`;
}

describe('mid-run recovery of a dead owner’s tasks (SchedulerDeps.recoverDeadOwners)', () => {
  it('is awaited before the scheduler reclaims: a task it completes is not run again, and its dependents run', async () => {
    const ran: string[] = [];
    let releaseRecovery: () => void = () => undefined;
    const recoveryMayFinish = new Promise<void>((resolve) => (releaseRecovery = resolve));
    let recoveryEntered: () => void = () => undefined;
    const recoveryStarted = new Promise<void>((resolve) => (recoveryEntered = resolve));
    let recoveries = 0;
    let claimedDuringRecovery = false;
    const o: Orchestrator = new Orchestrator({
      workingDirectory: temporaryFolder(),
      backend: new InProcessBackend(async (input) => {
        ran.push(input.task.id);
        return {};
      }),
      pollMs: 20,
      recoverDeadOwners: async () => {
        recoveries += 1;
        if (recoveries > 1) return;
        recoveryEntered();
        // The dead owner's work had been merged: recovery records it done, as recover.ts does.
        await recoveryMayFinish;
        claimedDuringRecovery = o.store.tasks.get('1')?.leaseOwner !== dead;
        o.store.write(() => {
          const task = o.store.tasks.get('1');
          const result = { output: 'merged', filesModified: [], filesCreated: [], error: null, discoveryIds: [], subtasksCreated: [] };
          o.store.leases.completeLeased('1', task?.currentAttemptId ?? '', result, Date.now());
          o.store.tasks.promoteDependentsOf('1', Date.now());
        });
      },
    });
    o.addTasksBatch([{ title: 'merged by a process that died' }, { title: 'depends on it', dependencies: ['1'] }]);
    // Another process claimed task 1 and died.
    const dead = deadOwner();
    o.store.write(() => {
      const task = o.store.leases.claimNextReady(dead, 'dead-attempt', Date.now(), Date.now() + 3_600_000, ['1']);
      o.store.attempts.insert({ id: 'dead-attempt', taskId: task?.id ?? '1', runId: null, number: 1, backend: 'in-process', workerOwner: dead }, Date.now());
    });

    const run = o.run();
    await recoveryStarted;
    // The run started without reclaiming task 1 from its dead owner: recovery may find its work merged.
    expect(o.store.tasks.get('1')).toMatchObject({ status: 'claimed', leaseOwner: dead });
    expect(ran).toEqual([]);
    releaseRecovery();
    expect((await run).status).toBe('succeeded');
    expect(claimedDuringRecovery).toBe(false);
    expect(ran).toEqual(['2']);
    expect(o.store.tasks.get('1')?.status).toBe('done');
    await o.close();
  });

  it('a failing recovery is reported and the plain reclaim follows: the dead owner’s task runs again; the hook then rests', async () => {
    const ran: string[] = [];
    let calls = 0;
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      backend: new InProcessBackend(async (input) => {
        ran.push(input.task.id);
        // Task 2 works for ten polls: a hook that did not rest would be called at each.
        if (input.task.id === '2') await new Promise((resolve) => setTimeout(resolve, 200));
        return {};
      }),
      pollMs: 20,
      recoverDeadOwners: () => {
        calls += 1;
        return Promise.reject(new Error('git is gone'));
      },
    });
    o.addTasksBatch([{ title: 'held by a process that died' }, { title: 'runs a while', dependencies: ['1'] }]);
    const dead = deadOwner();
    o.store.write(() => {
      o.store.leases.claimNextReady(dead, 'dead-attempt', Date.now(), Date.now() + 3_600_000, ['1']);
      o.store.attempts.insert({ id: 'dead-attempt', taskId: '1', runId: null, number: 1, backend: 'in-process', workerOwner: dead }, Date.now());
    });
    expect((await o.run()).status).toBe('succeeded');
    expect(ran).toEqual(['1', '2']);
    expect(calls).toBe(1);
    await o.close();
  });
});
