import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Store } from '../../../src-main/store/store';
import { projectDatabasePath } from '../../../src-main/store/database';
import { CLAUDE_BIN, claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { descendantsOf } from '../../../src-main/process/process-group';
import { killGroupQuietly, killQuietly, liveGroupMembers, liveProcesses, startFixture, type FixtureChild } from './support';

describe.skipIf(process.platform === 'win32')('no orphan agents after kill -9 of the orchestrator (real Claude Code CLI)', () => {
  let fake: FakeAnthropic;
  let project: ReturnType<typeof makeTempDir>;
  let home: ReturnType<typeof makeTempDir>;
  let standIn: FixtureChild | undefined;
  let group: number | undefined;
  let agentProcesses: number[] = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = makeTempDir('co-orphan-project-');
    home = makeTempDir('co-orphan-home-');
  });
  afterEach(async () => {
    standIn?.process.kill('SIGKILL');
    if (group !== undefined) killGroupQuietly(group);
    for (const pid of agentProcesses.splice(0)) killQuietly(pid);
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('the busy agent and the command it runs are gone within 5 s of the kill', { timeout: 120_000 }, async () => {
    // The model runs `sleep 300` through Claude Code's Bash tool: the agent is busy when the orchestrator dies.
    fake.script({ match: matchers.hasTools, replies: [toolUseReply('Bash', { command: 'sleep 300', description: 'wait for the build' })] });
    standIn = startFixture('claude-standin', [project.path, CLAUDE_BIN], { ...process.env, CO_STANDIN_CLAUDE_ENV: JSON.stringify(claudeTestEnv(fake, home.path)) });
    await standIn.waitForLine((line) => line.startsWith('owner '));

    // The attempt records its process group; wait until the agent's `sleep` runs under it.
    let recorded: { pid: number; processGroup: number; startTime: string | null } | undefined;
    await vi.waitFor(() => {
      const store = Store.open(projectDatabasePath(project.path));
      try {
        recorded = store.attempts.listUnfinishedProcesses()[0];
      } finally {
        store.close();
      }
      expect(recorded).toBeDefined();
      agentProcesses = [recorded?.pid as number, ...descendantsOf(recorded?.pid as number)];
      expect(liveProcesses().some((listed) => listed.command === 'sleep 300' && agentProcesses.includes(listed.pid))).toBe(true);
    }, { timeout: 60_000, interval: 200 });
    group = recorded?.processGroup as number;
    expect(recorded?.pid).toBe(group);
    expect(recorded?.startTime).not.toBeNull();
    // Claude Code runs its Bash tool in a session of its own: the sleep is not in the agent's group.
    expect(liveGroupMembers(group).length).toBeGreaterThanOrEqual(2); // claude and the watchdog loop

    standIn.process.kill('SIGKILL');
    expect((await standIn.exited).signal).toBe('SIGKILL');
    const alive = (): ReadonlyArray<string> => liveProcesses().filter((listed) => listed.pgid === group || agentProcesses.includes(listed.pid)).map((listed) => listed.command);
    await vi.waitFor(() => expect(alive()).toEqual([]), { timeout: 5_000, interval: 100 });
  });
});
