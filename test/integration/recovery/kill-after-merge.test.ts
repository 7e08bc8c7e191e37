import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RpcClient } from '../../../src-shared/rpc/client';
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

/**
 * Two processes run one plan: tasks 1 and 2 (the only ready ones) are claimed by the first, tasks 3
 * and 4 wait on them. The first process is killed (from a git hook) the instant it has merged task 1
 * into its run's branch, before it records the task done, while task 2's agent is mid-turn. The
 * second process goes on without a restart.
 */
describe.skipIf(process.platform === 'win32')('kill -9 of one process right after it merged a task, while another runs the same plan', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let env: Record<string, string>;
  let releaseTaskOne: () => void;
  let serve: ServeProcess | undefined;
  let closeSocket: () => void = () => undefined;
  let leftovers: Array<{ group: number }> = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-recovery-home-');
    // Task 1's agent is held until both processes run; the first agent of task 2 stays busy until it is killed.
    const taskOneGate = new Promise<void>((resolve) => (releaseTaskOne = resolve));
    let taskTwoConversations = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = taskOf(request);
        if (id === undefined) return undefined;
        const write = writeFileTurn(request, taskFile(id).name, taskFile(id).content);
        if (id === '1') return { ...write, holdUntil: taskOneGate };
        if (id === '2' && write.content.some((block) => block.type === 'tool_use') && (taskTwoConversations += 1) === 1) return textReply('still working', { delayMs: 600_000 });
        return write;
      },
    });
    env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', ['Task three', '--depends-on', '1'], ['Task four', '--depends-on', '2']]);
  });
  afterEach(async () => {
    closeSocket();
    await serve?.stop();
    killGroupsQuietly(leftovers);
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  /** Starts `co serve` and opens the project in it, as the app does. */
  async function startHost(): Promise<{ readonly host: ServeProcess; readonly client: RpcClient }> {
    const host = await startServeProcess(env);
    serve = host;
    const { client, socket } = await connectRpcClient({ port: Number(new URL(host.url).port), token: host.token });
    closeSocket = () => socket.terminate();
    await client.invoke('projects.open', { path: project.dir });
    return { host, client };
  }

  /** Waits until the agents of tasks 1 and 2 run (in the first process); returns them. */
  async function agentsOfTheFirstProcess(output: () => string): Promise<Array<{ taskId: string; pid: number; group: number }>> {
    await vi.waitFor(() => expect(runningAgentGroups(project.dir).map((agent) => agent.taskId).sort(), output()).toEqual(['1', '2']), { timeout: 120_000, interval: 250 });
    const agents = runningAgentGroups(project.dir);
    leftovers = agents;
    return agents;
  }

  /** What the user must find once the surviving process's run is over. */
  async function expectEveryTaskDoneOnce(killedRun: string, survivingRun: string): Promise<void> {
    const attemptsOf = (id: string): Array<{ status: string; runId: string; error: string | null }> =>
      queryProject(project.dir, 'SELECT status, run_id AS runId, error_message AS error FROM attempts WHERE task_id = ? ORDER BY started_at', id);
    // Task 1 ran once, in the killed process, and was not redone: its merged work was recognised.
    expect(attemptsOf('1')).toEqual([{ status: 'succeeded', runId: killedRun, error: 'its process stopped after the work was merged; recovered' }]);
    // Task 2's killed attempt was redone once by the surviving process, and so were the tasks waiting on 1 and 2.
    expect(attemptsOf('2').map((attempt) => attempt.status)).toEqual(['interrupted', 'succeeded']);
    for (const id of ['2', '3', '4']) expect(attemptsOf(id).at(-1)?.runId, `the run that did task ${id}`).toBe(survivingRun);
    // Every task's work is on the user's branch, each file from exactly one commit.
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content])));
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
    // Task 3 started from a commit holding task 1's work, merged by the killed process.
    const thirdBase = queryProject<{ base: string }>(project.dir, "SELECT commit_before AS base FROM attempts WHERE task_id = '3' AND status = 'succeeded'")[0]?.base;
    expect(git(project.dir, 'ls-tree', '--name-only', thirdBase ?? 'HEAD').split('\n')).toContain(taskFile('1').name);
    // Both runs' branches were merged into the user's branch and deleted; the user is still on their branch.
    expect(queryProject<{ status: string }>(project.dir, 'SELECT status FROM integrations WHERE run_id IN (?, ?)', killedRun, survivingRun)).toEqual([{ status: 'integrated' }, { status: 'integrated' }]);
    expect(git(project.dir, 'branch', '--list', 'orchestrator/run-*')).toBe('');
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    const status = await project.coJson<{ unintegrated: unknown[] }>(['status']);
    expect(status.unintegrated).toEqual([]);
  }

  it('`co run` killed: the app’s host, without a restart, keeps the merged task done, redoes only the killed one, builds on the merged work and integrates the dead run', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const cli = startCo(project, ['run', '--workers', '2', '--no-progress'], env);
    killAfterRunBranchMoves(project.dir, cli.child.pid ?? 0);
    const agents = await agentsOfTheFirstProcess(() => cli.output());
    const killedRun = queryProject<{ id: string }>(project.dir, "SELECT id FROM runs WHERE status = 'running'")[0]?.id ?? '';

    // The host starts a run of the same plan: nothing is ready for it yet.
    const { client } = await startHost();
    const hostRun = await client.invoke('runs.start', { project: project.dir });
    releaseTaskOne();
    expect((await cli.exited).signal, cli.output()).toBe('SIGKILL');
    // The killed process's agents (task 2's, mid-turn) do not outlive it by more than a few seconds.
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
    expect((await client.invoke('runs.status', { project: project.dir })).unintegrated, 'no run’s work is left off the user’s branch').toEqual([]);
    await expectEveryTaskDoneOnce(killedRun, hostRun.id);
  });

  it('the app’s host killed: `co run`, without a restart, does the same and says what it recovered', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const { host, client } = await startHost();
    killAfterRunBranchMoves(project.dir, host.child.pid ?? 0);
    const hostRun = await client.invoke('runs.start', { project: project.dir });
    const agents = await agentsOfTheFirstProcess(() => '');

    // `co run` starts a run of the same plan: nothing is ready for it yet.
    const cli = startCo(project, ['run', '--workers', '2', '--no-progress'], env);
    await vi.waitFor(() => expect(queryProject(project.dir, "SELECT id FROM runs WHERE status = 'running'").length, cli.output()).toBe(2), { timeout: 60_000, interval: 100 });
    const hostExited = new Promise<NodeJS.Signals | null>((resolve) => host.child.once('exit', (_code, signal) => resolve(signal)));
    releaseTaskOne();
    expect(await hostExited).toBe('SIGKILL');
    closeSocket();
    await vi.waitFor(() => expect(liveAgentProcesses(agents)).toEqual([]), { timeout: 5_000, interval: 100 });

    const exited = await cli.exited;
    expect(exited.code, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/Run succeeded: 4 done, 0 failed/);
    expect(cli.output()).toContain(`Recovered interrupted run ${hostRun.id}`);
    const cliRun = queryProject<{ id: string }>(project.dir, 'SELECT id FROM runs WHERE id != ?', hostRun.id)[0]?.id ?? '';
    await expectEveryTaskDoneOnce(hostRun.id, cliRun);
  });
});
