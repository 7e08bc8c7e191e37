import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, textReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git, writeFileTurn } from '../runtime/pipeline-support';
import {
  commitsTouching,
  initProject,
  killAfterRunBranchMoves,
  killGroupsQuietly,
  liveAgentProcesses,
  queryProject,
  runningAgentGroups,
  startCo,
  taskFile,
  taskFilesOnBranch,
  taskOf,
} from './recovery-support';

const TASKS = ['1', '2', '3', '4'];

describe.skipIf(process.platform === 'win32')('kill -9 of `co run` right after it merged a task, while the app’s host (`co serve`) runs the same plan', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let serve: ServeProcess | undefined;
  let leftovers: Array<{ group: number }> = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-recovery-home-');
  });
  afterEach(async () => {
    await serve?.stop();
    killGroupsQuietly(leftovers);
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('the host, without a restart, keeps the merged task done, redoes only the killed one, builds on the merged work and integrates the dead run', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Task 1's agent is held until the host's run is going; the first agent of task 2 stays busy until it is killed.
    let releaseTaskOne: () => void = () => undefined;
    const taskOneGate = new Promise<void>((resolve) => (releaseTaskOne = resolve));
    let taskTwoConversations = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = taskOf(request);
        if (id === undefined) return undefined;
        const write = writeFileTurn(request, taskFile(id).name, taskFile(id).content);
        if (id === '1') return { ...write, heldUntil: taskOneGate };
        if (id === '2' && write.content.some((block) => block.type === 'tool_use') && (taskTwoConversations += 1) === 1) return textReply('still working', { delayMs: 600_000 });
        return write;
      },
    });
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', ['Task three', '--depends-on', '1'], ['Task four', '--depends-on', '2']]);

    // `co run` claims tasks 1 and 2 (the only ready ones); its agents are both mid-turn.
    const cli = startCo(project, ['run', '--workers', '2', '--no-progress'], env);
    killAfterRunBranchMoves(project.dir, cli.child.pid ?? 0);
    await vi.waitFor(() => expect(runningAgentGroups(project.dir).map((agent) => agent.taskId).sort(), cli.output()).toEqual(['1', '2']), { timeout: 120_000, interval: 250 });
    const agents = runningAgentGroups(project.dir);
    leftovers = agents;
    const cliRun = queryProject<{ id: string }>(project.dir, "SELECT id FROM runs WHERE status = 'running'")[0]?.id;
    expect(cliRun).toBeDefined();

    // The app's host starts a run of the same plan: nothing is ready for it yet (3 and 4 wait on 1 and 2).
    serve = await startServeProcess(env);
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    try {
      await client.invoke('projects.open', { path: project.dir });
      const hostRun = await client.invoke('runs.start', { project: project.dir });
      expect((await client.invoke('runs.status', { project: project.dir })).running).toBe(true);

      // Task 1's agent writes its file; `co run` merges it into its run's branch and dies at that instant.
      releaseTaskOne();
      expect((await cli.exited).signal, cli.output()).toBe('SIGKILL');
      // Its agents (task 2's, mid-turn) do not outlive it by more than a few seconds.
      await vi.waitFor(() => expect(liveAgentProcesses(agents)).toEqual([]), { timeout: 5_000, interval: 100 });

      // The host's run goes on, finishes everything, and its finish stage merges its branch.
      await vi.waitFor(
        async () => {
          const status = await client.invoke('runs.status', { project: project.dir });
          expect([status.running, status.counts.done]).toEqual([false, 4]);
          expect(queryProject<{ status: string }>(project.dir, 'SELECT status FROM integrations WHERE run_id = ?', hostRun.id)).not.toEqual([{ status: 'open' }]);
        },
        { timeout: 180_000, interval: 500 },
      );
      const final = await client.invoke('runs.status', { project: project.dir });
      expect(final.unintegrated, 'no run’s work is left off the user’s branch').toEqual([]);
      expect(queryProject<{ runId: string }>(project.dir, "SELECT DISTINCT run_id AS runId FROM attempts WHERE task_id IN ('2', '3', '4') AND status = 'succeeded'")).toEqual([{ runId: hostRun.id }]);
    } finally {
      socket.terminate();
    }

    // Task 1 ran once (in the killed process) and was not redone; task 2's killed attempt was redone once.
    const attemptsOf = (id: string): string[] => queryProject<{ status: string }>(project.dir, 'SELECT status FROM attempts WHERE task_id = ? ORDER BY started_at', id).map((row) => row.status);
    expect(attemptsOf('1')).toEqual(['succeeded']);
    // It was merged but not yet recorded done when its process died: recovery recorded it.
    expect(queryProject<{ error: string | null }>(project.dir, "SELECT error_message AS error FROM attempts WHERE task_id = '1'")).toEqual([{ error: 'its process stopped after the work was merged; recovered' }]);
    expect(attemptsOf('2')).toEqual(['interrupted', 'succeeded']);
    // Every task's work is on the user's branch, each file from exactly one commit.
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content])));
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
    // Task 3 started from a commit holding task 1's work, merged by the killed process.
    const thirdBase = queryProject<{ base: string }>(project.dir, "SELECT commit_before AS base FROM attempts WHERE task_id = '3' AND status = 'succeeded'")[0]?.base;
    expect(git(project.dir, 'ls-tree', '--name-only', thirdBase ?? 'HEAD').split('\n')).toContain(taskFile('1').name);
    // The killed run's branch was merged into the user's branch and deleted; the user is still on their branch.
    expect(queryProject<{ status: string }>(project.dir, 'SELECT status FROM integrations WHERE run_id = ?', cliRun)).toEqual([{ status: 'integrated' }]);
    expect(git(project.dir, 'branch', '--list', 'orchestrator/run-*')).toBe('');
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    const status = await project.coJson<{ unintegrated: unknown[] }>(['status']);
    expect(status.unintegrated).toEqual([]);
  });
});
