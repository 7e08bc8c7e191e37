import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ProcessGroupIdentity } from '../../../src-main/process/watched-spawn';
import { spawnWatched } from '../../../src-main/process/watched-spawn';
import { descendantsOf } from '../../../src-main/process/process-group';
import { killGroupQuietly, killQuietly, liveGroupMembers, liveProcesses, startFixture, type FixtureChild } from './support';

const groups: number[] = [];
const strays: number[] = [];
const children: FixtureChild[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  for (const group of groups.splice(0)) killGroupQuietly(group);
  for (const pid of strays.splice(0)) killQuietly(pid);
});

describe.skipIf(process.platform === 'win32')('watched process groups', () => {
  it('a kill -9 of the parent takes the whole group down within 5 s, without the parent’s help', async () => {
    const parent = startFixture('spawn-watched', ['sleep 300 & sleep 301 & wait']);
    children.push(parent);
    const identity = JSON.parse(await parent.waitForLine((line) => line.startsWith('{'))) as ProcessGroupIdentity;
    groups.push(identity.processGroup);
    expect(identity.pid).toBe(identity.processGroup);
    await vi.waitFor(() => expect(liveGroupMembers(identity.processGroup).filter((member) => /^sleep 30[01]$/.test(member.command))).toHaveLength(2), { timeout: 10_000, interval: 50 });

    parent.process.kill('SIGKILL');
    expect((await parent.exited).signal).toBe('SIGKILL');
    await vi.waitFor(() => expect(liveGroupMembers(identity.processGroup)).toEqual([]), { timeout: 5_000, interval: 100 });
  });

  it('also takes down descendants that moved to a session of their own (as Claude Code’s Bash tool does)', async () => {
    // A node process that starts `sleep 300` under setsid (detached) and stays alive as its parent.
    const starter = `require('child_process').spawn('sleep', ['300'], { detached: true, stdio: 'ignore' }); setInterval(() => {}, 1000)`;
    const parent = startFixture('spawn-watched', [`exec '${process.execPath}' -e "${starter}"`]);
    children.push(parent);
    const identity = JSON.parse(await parent.waitForLine((line) => line.startsWith('{'))) as ProcessGroupIdentity;
    groups.push(identity.processGroup);
    let stray: number | undefined;
    await vi.waitFor(() => {
      stray = descendantsOf(identity.pid).find((pid) => liveProcesses().some((listed) => listed.pid === pid && listed.command === 'sleep 300'));
      expect(stray).toBeDefined();
    }, { timeout: 10_000, interval: 50 });
    strays.push(stray as number);
    expect(liveGroupMembers(identity.processGroup).some((member) => member.pid === stray)).toBe(false);

    parent.process.kill('SIGKILL');
    await parent.exited;
    await vi.waitFor(() => expect(liveProcesses().filter((listed) => listed.pid === stray || listed.pgid === identity.processGroup)).toEqual([]), { timeout: 5_000, interval: 100 });
  });

  it('passes stdin and stdout through, and leaves nothing behind when the command exits by itself', async () => {
    const { subprocess, identity } = spawnWatched('/bin/sh', ['-c', 'sleep 300 & cat'], { input: 'hello from stdin', reject: false });
    expect(identity).toBeDefined();
    groups.push(identity?.processGroup as number);
    const result = await subprocess;
    expect(result.stdout).toBe('hello from stdin');
    expect(result.exitCode).toBe(0);
    // The background sleep and the watchdog loop go with the command.
    await vi.waitFor(() => expect(liveGroupMembers(identity?.processGroup as number)).toEqual([]), { timeout: 5_000, interval: 100 });
  });

  it('keeps the command as the group leader, so the recorded pid is the agent’s own', async () => {
    const { subprocess, identity } = spawnWatched('/bin/sh', ['-c', 'echo $$'], { reject: false });
    const result = await subprocess;
    expect(Number(result.stdout.trim())).toBe(identity?.pid);
    expect(identity?.startTime === null || /^\d+$/.test(identity?.startTime ?? '')).toBe(true);
  });
});
