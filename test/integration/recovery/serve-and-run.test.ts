import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git, writeFileTurn } from '../runtime/pipeline-support';
import { commitsTouching, initProject, queryProject, startCo, taskFile, taskFilesOnBranch, taskOf } from './recovery-support';

const TASKS = ['1', '2', '3', '4', '5', '6'];

describe('the app’s host (`co serve`) and `co run` working on one project at once', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;
  let serve: ServeProcess | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-recovery-home-');
  });
  afterEach(async () => {
    await serve?.stop();
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('leave every task’s work on the user’s branch, once, with nothing unintegrated', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Each agent takes a moment, so both processes hold tasks at the same time.
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const id = taskOf(request);
        if (id === undefined) return undefined;
        return { ...writeFileTurn(request, taskFile(id).name, taskFile(id).content), delayMs: 1_500 };
      },
    });
    const env = claudeTestEnv(fake, home.path);
    // Tasks 5 and 6 depend on 1 and 2, which the other process may have done.
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four', ['Task five', '--depends-on', '1'], ['Task six', '--depends-on', '2']]);

    serve = await startServeProcess(env);
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    try {
      await client.invoke('projects.open', { path: project.dir });
      await client.invoke('runs.start', { project: project.dir });
      const cli = startCo(project, ['run', '--no-progress'], env);
      const exited = await cli.exited;
      expect(exited.code, cli.output()).toBe(0);

      // The host's run ends too, and its finish merges its work into the user's branch.
      await vi.waitFor(
        async () => {
          const status = await client.invoke('runs.status', { project: project.dir });
          expect([status.running, status.counts.done, status.unintegrated]).toEqual([false, 6, []]);
        },
        { timeout: 180_000, interval: 500 },
      );
    } finally {
      socket.terminate();
    }

    // Both processes did part of the work.
    const runsWithWork = queryProject<{ runId: string }>(project.dir, "SELECT DISTINCT run_id AS runId FROM attempts WHERE status = 'succeeded'");
    expect(runsWithWork.length).toBe(2);
    // Every task's work is on the user's branch, each file from one commit, and the dependents saw their dependencies' work.
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content])));
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
    for (const [dependent, dependency] of [['5', '1'], ['6', '2']] as const) {
      const base = queryProject<{ base: string }>(project.dir, "SELECT commit_before AS base FROM attempts WHERE task_id = ? AND status = 'succeeded'", dependent)[0]?.base;
      expect(git(project.dir, 'ls-tree', '--name-only', base ?? 'HEAD').split('\n'), `task ${dependent}'s checkout`).toContain(taskFile(dependency).name);
    }
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
    const status = await project.coJson<{ unintegrated: unknown[] }>(['status']);
    expect(status.unintegrated).toEqual([]);
    expect(git(project.dir, 'branch', '--list', 'orchestrator/run-*')).toBe('');
  });
});
