import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { currentOwnerIdentity, isOwnerAlive, makeOwnerId, parseOwnerId } from '../../../src-main/engine/owner';
import { currentBootId, processStartTime } from '../../../src-main/process/process-identity';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

const host = os.hostname();

describe('lease owner identity', () => {
  it('records host, pid, start time and boot id, and reads them back', () => {
    const owner = makeOwnerId();
    expect(owner).not.toBe(makeOwnerId());
    const identity = parseOwnerId(owner);
    expect(identity).toEqual({ host, pid: process.pid, startTime: processStartTime(process.pid), bootId: currentBootId() });
    if (process.platform === 'linux') {
      expect(identity?.startTime).toMatch(/^\d+$/);
      expect(identity?.bootId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(currentOwnerIdentity()).toBe(currentOwnerIdentity());
  });

  it('this process is alive', () => {
    expect(isOwnerAlive(makeOwnerId())).toBe(true);
  });

  it('a gone pid on this host is dead, in the new and the old "host:pid:random" form', () => {
    const pid = deadPid();
    const { startTime, bootId } = currentOwnerIdentity();
    expect(isOwnerAlive(`${host}:${pid}:abcd1234:${startTime ?? ''}:${bootId ?? ''}`)).toBe(false);
    expect(isOwnerAlive(`${host}:${pid}:abcd1234`)).toBe(false);
    expect(isOwnerAlive(`${host}:${process.pid}:abcd1234`)).toBe(true);
  });

  it('a live pid with another start time is a recycled pid: dead', () => {
    const { startTime, bootId } = currentOwnerIdentity();
    if (startTime === null) return; // platforms without start times fall back to the pid check
    expect(isOwnerAlive(`${host}:${process.pid}:abcd1234:${Number(startTime) - 1}:${bootId ?? ''}`)).toBe(false);
    expect(isOwnerAlive(`${host}:${process.pid}:abcd1234:${startTime}:${bootId ?? ''}`)).toBe(true);
  });

  it('an owner from an earlier boot of this host is dead, even when its pid is alive now', () => {
    const { startTime, bootId } = currentOwnerIdentity();
    if (bootId === null) return;
    expect(isOwnerAlive(`${host}:${process.pid}:abcd1234:${startTime ?? ''}:00000000-0000-0000-0000-000000000000`)).toBe(false);
  });

  it('owners on other hosts and ids that name no process cannot be proven dead', () => {
    expect(isOwnerAlive(`some-other-host:${deadPid()}:abcd1234::`)).toBe(true);
    expect(isOwnerAlive('agent-1')).toBe(true);
    expect(isOwnerAlive('')).toBe(true);
  });
});
