import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git } from '../runtime/pipeline-support';
import {
  commitsTouching,
  initProject,
  killGroupsQuietly,
  liveAgentProcesses,
  queryProject,
  runningAgentGroups,
  scriptFileWriters,
  startCo,
  taskFile,
  taskFilesOnBranch,
  taskOf,
  taskStatuses,
  type AgentMode,
} from './recovery-support';

const TASKS = ['1', '2', '3', '4', '5', '6'];

describe.skipIf(process.platform === 'win32')('kill -9 of `co run` after 2 of 6 tasks are done, then `co run` again', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let leftovers: Array<{ group: number }> = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-recovery-home-');
  });
  afterEach(async () => {
    killGroupsQuietly(leftovers);
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('puts every task’s work on the user’s branch once, leaves no agent alive, and re-claims at once', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Tasks 1 and 2 finish; tasks 3 and 4 keep both workers busy when the kill comes; 5 and 6 wait.
    // Task 6 depends on 1 and 2: after the restart it must see their files in its checkout.
    let phase: 'first run' | 'second run' = 'first run';
    const modeOf = (id: string): AgentMode => (phase === 'first run' && id !== '1' && id !== '2' ? 'hang' : 'write');
    scriptFileWriters(fake, modeOf);
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four', 'Task five', ['Task six', '--depends-on', '1,2']]);

    const first = startCo(project, ['run', '--workers', '2', '--no-progress'], env);
    // "2 done" and both workers busy on their next tasks, their agents' process groups recorded.
    await vi.waitFor(
      () => {
        const statuses = taskStatuses(project.dir);
        expect([statuses['1'], statuses['2']], first.output()).toEqual(['done', 'done']);
        expect(runningAgentGroups(project.dir).length).toBe(2);
      },
      { timeout: 180_000, interval: 250 },
    );
    const agents = runningAgentGroups(project.dir);
    leftovers = agents;
    expect(agents.map((agent) => agent.taskId).sort()).toEqual(['3', '4']);
    expect(liveAgentProcesses(agents).length).toBeGreaterThan(0);
    const leaseEnds = Math.min(...queryProject<{ lease: number }>(project.dir, "SELECT lease_expires_at AS lease FROM tasks WHERE status IN ('claimed', 'in_progress')").map((row) => row.lease));

    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    // No agent of the killed run outlives it by 5 s (nothing but the agents' own watchdog can see to that).
    await vi.waitFor(() => expect(liveAgentProcesses(agents)).toEqual([]), { timeout: 5_000, interval: 100 });
    // Nothing of the finished work is on the user's branch yet: it sits on the killed run's integration branch.
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': null, '2': null });

    phase = 'second run';
    const requestsBefore = fake.requests.length;
    const second = await project.co(['run', '--workers', '2', '--no-progress'], { env });
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Run succeeded: 6 done, 0 failed/);
    // Before claiming anything, it brought the killed run's finished work in, and said so.
    expect(second.stdout).toContain('Recovered interrupted run');

    // Every task's work is on the user's branch, each file written by exactly one commit.
    const expected = Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content]));
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(expected);
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
    // Tasks 1 and 2 were not redone; the killed tasks and the waiting ones ran once each.
    const rerun = fake.requests.slice(requestsBefore).flatMap((request) => {
      const id = taskOf(request);
      return id === undefined ? [] : [id];
    });
    expect([...new Set(rerun)].sort()).toEqual(['3', '4', '5', '6']);
    // Task 6 ran on top of its dependencies' work, though that work was finished by the killed run.
    // (The checkout is gone after the merge; the commit it started from holds what the agent saw.)
    const sixthBase = queryProject<{ base: string }>(project.dir, "SELECT commit_before AS base FROM attempts WHERE task_id = '6' AND status = 'succeeded'")[0]?.base;
    expect(sixthBase).toBeDefined();
    const seen = git(project.dir, 'ls-tree', '--name-only', sixthBase ?? 'HEAD').split('\n');
    expect(seen).toEqual(expect.arrayContaining([taskFile('1').name, taskFile('2').name]));

    // The killed attempts ended because their owner was proven dead, and the re-run started long
    // before the killed run's leases (15 minutes) would have run out.
    for (const id of ['3', '4']) {
      const attempts = queryProject<{ status: string; started: number; error: string | null }>(
        project.dir,
        'SELECT status, started_at AS started, error_message AS error FROM attempts WHERE task_id = ? ORDER BY started_at',
        id,
      );
      expect(attempts.map((attempt) => attempt.status)).toEqual(['interrupted', 'succeeded']);
      expect(attempts[1]?.started).toBeLessThan(leaseEnds);
    }
    // The user is still on their branch and no run branch holds work.
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    const status = await project.coJson<{ unintegrated: unknown[] }>(['status']);
    expect(status.unintegrated).toEqual([]);
  });
});
