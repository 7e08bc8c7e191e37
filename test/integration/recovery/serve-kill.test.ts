import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import {
  commitsTouching,
  initProject,
  killGroupsQuietly,
  liveAgentProcesses,
  runningAgentGroups,
  scriptFileWriters,
  taskFile,
  taskFilesOnBranch,
  taskStatuses,
  type AgentMode,
} from './recovery-support';

const TASKS = ['1', '2', '3', '4'];
const EXPECTED = Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content]));

/** The app's host (`co serve`) with a browser-like client that has the project open. */
interface ServedProject {
  readonly serve: ServeProcess;
  readonly client: RpcClient;
  close(): void;
}

describe.skipIf(process.platform === 'win32')('the app’s host (`co serve`) killed or quit mid-run', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let phase: 'first run' | 'second run';
  let env: Record<string, string>;
  const served: ServedProject[] = [];
  let leftovers: Array<{ group: number }> = [];

  /** Starts `co serve` and opens the project in it, as the app does on start-up. */
  async function serveProject(): Promise<ServedProject> {
    const serve = await startServeProcess(env);
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    const opened: ServedProject = { serve, client, close: () => socket.terminate() };
    served.push(opened);
    await client.invoke('projects.open', { path: project.dir });
    return opened;
  }

  /** Starts a run in the host and waits until tasks 1 and 2 are done and tasks 3 and 4 have busy agents. */
  async function startRunUntilTwoDone(host: ServedProject): Promise<Array<{ taskId: string; pid: number; group: number }>> {
    await host.client.invoke('runs.start', { project: project.dir });
    await vi.waitFor(
      () => {
        const statuses = taskStatuses(project.dir);
        expect([statuses['1'], statuses['2']]).toEqual(['done', 'done']);
        expect(runningAgentGroups(project.dir).length).toBe(2);
      },
      { timeout: 180_000, interval: 250 },
    );
    const agents = runningAgentGroups(project.dir);
    leftovers = agents;
    expect(agents.map((agent) => agent.taskId).sort()).toEqual(['3', '4']);
    expect(liveAgentProcesses(agents).length).toBeGreaterThan(0);
    return agents;
  }

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-recovery-home-');
    phase = 'first run';
    // Two workers: tasks 1 and 2 finish; tasks 3 and 4 keep both workers busy until the host goes.
    const modeOf = (id: string): AgentMode => (phase === 'first run' && (id === '3' || id === '4') ? 'hang' : 'write');
    scriptFileWriters(fake, modeOf);
    env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four']);
  });
  afterEach(async () => {
    for (const host of served.splice(0)) {
      host.close();
      await host.serve.stop();
    }
    killGroupsQuietly(leftovers);
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('kill -9 of the host: no agent alive 5 s later; opening the project again brings the finished work in; the next run completes it', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const first = await serveProject();
    const agents = await startRunUntilTwoDone(first);

    first.serve.child.kill('SIGKILL');
    first.close();
    await new Promise((resolve) => (first.serve.child.exitCode !== null || first.serve.child.signalCode !== null ? resolve(null) : first.serve.child.once('exit', resolve)));
    await vi.waitFor(() => expect(liveAgentProcesses(agents)).toEqual([]), { timeout: 5_000, interval: 100 });
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': null, '2': null });

    // The app starts again and shows the project (its first project call opens it for work, which
    // recovers the killed run before anything runs): the finished work is on the user's branch.
    phase = 'second run';
    const second = await serveProject();
    const status = await second.client.invoke('runs.status', { project: project.dir });
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': EXPECTED['1'], '2': EXPECTED['2'] });
    expect(status.unintegrated).toEqual([]);
    expect([status.counts.ready, status.counts.done]).toEqual([2, 2]);

    await second.client.invoke('runs.start', { project: project.dir });
    await vi.waitFor(
      async () => {
        const now = await second.client.invoke('runs.status', { project: project.dir });
        // Not running, and its finish merged the work into the user's branch (until then it is unintegrated, "still merging").
        expect([now.running, now.counts.done, now.unintegrated.length]).toEqual([false, 4, 0]);
      },
      { timeout: 180_000, interval: 500 },
    );
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(EXPECTED);
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
  });

  it('a clean quit (SIGTERM) of the host: workers stopped, their tasks ready again, finished work on the branch; the next run completes', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    const first = await serveProject();
    const agents = await startRunUntilTwoDone(first);

    const exited = new Promise<number | null>((resolve) => first.serve.child.once('exit', (code) => resolve(code)));
    first.serve.child.kill('SIGTERM');
    const code = await exited;
    first.close();
    expect(code).toBe(0);
    expect(liveAgentProcesses(agents)).toEqual([]);
    const statuses = taskStatuses(project.dir);
    expect([statuses['1'], statuses['2'], statuses['3'], statuses['4']]).toEqual(['done', 'done', 'ready', 'ready']);
    // The stopped run finished as runs do: its finished work is on the user's branch now, not only after a restart.
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': EXPECTED['1'], '2': EXPECTED['2'] });

    phase = 'second run';
    const run = await project.co(['run', '--no-progress'], { env });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(EXPECTED);
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
  });
});
