import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { killOrphanedAttemptProcesses } from '../../../src-main/engine/orphan-processes';
import { currentOwnerIdentity } from '../../../src-main/engine/owner';
import { processGroupIdentity, type ProcessGroupIdentity } from '../../../src-main/process/watched-spawn';
import { Store } from '../../../src-main/store/store';
import { killGroupQuietly, liveGroupMembers } from './support';

const groups: number[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const group of groups.splice(0)) killGroupQuietly(group);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A detached `sleep 300` with a child of its own: a process group like an agent's. */
function startGroup(): ProcessGroupIdentity {
  const child = spawn('/bin/sh', ['-c', 'sleep 300 & wait'], { detached: true, stdio: 'ignore' });
  child.unref();
  groups.push(child.pid as number);
  return processGroupIdentity(child.pid as number);
}

/** An owner id of this host and boot whose process has exited: provably dead. */
function deadOwner(): string {
  const pid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim());
  const self = currentOwnerIdentity();
  return `${self.host}:${pid}:deadbeef:1:${self.bootId ?? ''}`;
}

/** A store with one attempt per (owner, process group) pair, the attempt left running as a crash leaves it. */
function storeWithAttempts(records: ReadonlyArray<{ owner: string; group: ProcessGroupIdentity }>): Store {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'co-orphans-'));
  folders.push(folder);
  const store = Store.open(path.join(folder, 'state.db'));
  store.write(() => {
    records.forEach((record, index) => {
      const id = String(index + 1);
      store.tasks.insert({ id, parentId: null, title: `t${id}`, description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'ready', contextFiles: [], hints: [], sourceRef: null }, 1);
      store.leases.claimNextReady(record.owner, `a${id}`, 2, 1_000_000, [id]);
      store.attempts.insert({ id: `a${id}`, taskId: id, runId: null, number: 1, backend: 'claude-cli', workerOwner: record.owner }, 2);
      store.attempts.setProcess(`a${id}`, record.group);
    });
  });
  return store;
}

describe.skipIf(process.platform === 'win32')('killing the agent process groups of dead owners at start-up', () => {
  it('kills the recorded group of an attempt whose owner is dead, and only that one', async () => {
    const orphan = startGroup();
    const ofLiveOwner = startGroup();
    await vi.waitFor(() => expect(liveGroupMembers(orphan.processGroup)).toHaveLength(2), { timeout: 5_000, interval: 50 });
    const store = storeWithAttempts([
      { owner: deadOwner(), group: orphan },
      { owner: `${currentOwnerIdentity().host}:${process.pid}:cafe0000:${currentOwnerIdentity().startTime ?? ''}:${currentOwnerIdentity().bootId ?? ''}`, group: ofLiveOwner },
    ]);

    const killed = killOrphanedAttemptProcesses(store);
    expect(killed).toEqual([{ attemptId: 'a1', taskId: '1', pid: orphan.pid, processGroup: orphan.processGroup }]);
    await vi.waitFor(() => expect(liveGroupMembers(orphan.processGroup)).toEqual([]), { timeout: 5_000, interval: 50 });
    expect(liveGroupMembers(ofLiveOwner.processGroup).length).toBeGreaterThan(0);
    store.close();
  });

  it('never kills a recycled pid: a live leader whose start time differs from the recorded one is left alone', async () => {
    const stranger = startGroup();
    expect(stranger.startTime).not.toBeNull();
    const recorded: ProcessGroupIdentity = { ...stranger, startTime: String(Number(stranger.startTime) - 7) };
    const store = storeWithAttempts([{ owner: deadOwner(), group: recorded }]);

    expect(killOrphanedAttemptProcesses(store, () => false)).toEqual([]);
    expect(liveGroupMembers(stranger.processGroup).length).toBeGreaterThan(0);
    store.close();
  });

  it('leaves groups of owners on another host or boot alone (their pids mean nothing here)', () => {
    const group = startGroup();
    const self = currentOwnerIdentity();
    const store = storeWithAttempts([
      { owner: `another-host:1:deadbeef:1:${self.bootId ?? ''}`, group },
      { owner: `${self.host}:1:deadbeef:1:00000000-0000-0000-0000-000000000000`, group },
    ]);
    expect(killOrphanedAttemptProcesses(store, () => false)).toEqual([]);
    expect(liveGroupMembers(group.processGroup).length).toBeGreaterThan(0);
    store.close();
  });
});
