import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryDatabasePath, temporaryFolder } from './helpers';

/**
 * A laptop that sleeps: the wall clock jumps forward while every process's timers stand still. The
 * tests move the scheduler's clock forward by more than a lease to stand in for it (a real suspend
 * cannot be made here); the leases are 60 s, so a heartbeat is 20 s away when the clock jumps.
 */
const config = resolveConfig({ execution: { max_retries: 2 } });
const LEASE_MS = 60_000;
const SLEEP_MS = 10 * 60_000;

/** A wall clock that can jump forward. */
function sleepyClock(): { readonly now: () => number; sleep: (ms: number) => void } {
  let offset = 0;
  return { now: () => Date.now() + offset, sleep: (ms) => (offset += ms) };
}

/** Attempts of task 1 run until the test lets them finish; each start is counted. */
function heldWork(): { readonly backend: InProcessBackend; readonly started: () => number; finish: () => void; firstStart: Promise<void> } {
  let starts = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  let announce: () => void = () => undefined;
  const firstStart = new Promise<void>((resolve) => (announce = resolve));
  const backend = new InProcessBackend(async (input) => {
    if (input.task.id !== '1') return {};
    starts += 1;
    announce();
    await Promise.race([finished, new Promise((resolve) => input.signal.addEventListener('abort', resolve, { once: true }))]);
    return {};
  });
  return { backend, started: () => starts, finish, firstStart };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('after the machine slept', () => {
  it('a running attempt goes on: its own process does not reclaim its lease and start the task again', async () => {
    const clock = sleepyClock();
    const work = heldWork();
    const o = new Orchestrator({ workingDirectory: temporaryFolder(), backend: work.backend, config, leaseMs: LEASE_MS, pollMs: 20, clock: clock.now });
    o.addTask('Long task');
    o.start();
    await work.firstStart;
    clock.sleep(SLEEP_MS);
    await pause(300);
    work.finish();
    const run = await o.waitForCompletion();

    expect(run.status).toBe('succeeded');
    expect(work.started()).toBe(1);
    expect(o.getTask('1')).toMatchObject({ status: 'done', attempts: 1, failures: 0 });
    expect(o.store.attempts.listForTask('1').map((attempt) => attempt.status)).toEqual(['succeeded']);
    o.close();
  });

  it('another process on the same machine leaves the attempt alone while its owner wakes up and renews', async () => {
    const clock = sleepyClock();
    const work = heldWork();
    const databasePath = temporaryDatabasePath();
    const workingDirectory = temporaryFolder();
    // The owner's loop is slow to come round after the wake; the other process's is quick.
    const owner = new Orchestrator({ workingDirectory, databasePath, backend: work.backend, config, leaseMs: LEASE_MS, pollMs: 2_000, clock: clock.now });
    const other = new Orchestrator({ workingDirectory, databasePath, backend: work.backend, config, leaseMs: LEASE_MS, pollMs: 20, clock: clock.now });
    owner.addTasksBatch([{ title: 'Long task' }, { title: 'After it', dependencies: ['1'] }]);
    owner.start();
    await work.firstStart;
    other.start();
    await pause(200);
    clock.sleep(SLEEP_MS);
    // Long enough for the other process to come round many times, and for the owner's loop to renew its lease.
    await pause(2_500);
    work.finish();
    await Promise.all([owner.waitForCompletion(), other.waitForCompletion()]);

    expect(work.started()).toBe(1);
    expect(owner.getTask('1')).toMatchObject({ status: 'done', attempts: 1, failures: 0 });
    expect(owner.getTask('2').status).toBe('done');
    owner.close();
    other.close();
  });
});
