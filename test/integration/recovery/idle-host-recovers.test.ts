import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git } from '../runtime/pipeline-support';
import {
  initProject,
  killCoRunWithTwoDoneTwoBusy,
  killGroupsQuietly,
  scriptFileWriters,
  taskFile,
  taskFilesOnBranch,
} from './recovery-support';

describe.skipIf(process.platform === 'win32')('the app showing a project, with no run of its own, while `co run` is killed mid-run', () => {
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

  it('recovers within seconds, without a run or a reopening: the finished work on the user’s branch, the killed tasks ready', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Tasks 1 and 2 finish; tasks 3 and 4 keep both workers busy when the kill comes.
    scriptFileWriters(fake, (id) => (id === '1' || id === '2' ? 'write' : 'hang'));
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four']);

    // The app has the project open (nothing to recover yet) and stays idle.
    serve = await startServeProcess(env);
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    try {
      await client.invoke('projects.open', { path: project.dir });

      await killCoRunWithTwoDoneTwoBusy(project, env, (agents) => (leftovers = [...agents]));

      // Only looking: the app's host recovers by itself.
      await vi.waitFor(
        async () => {
          const status = await client.invoke('runs.status', { project: project.dir });
          expect([status.running, status.counts.done, status.counts.ready, status.counts.in_progress, status.unintegrated]).toEqual([false, 2, 2, 0, []]);
        },
        { timeout: 30_000, interval: 250 },
      );
    } finally {
      socket.terminate();
    }
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': taskFile('1').content, '2': taskFile('2').content });
    expect(git(project.dir, 'branch', '--list', 'orchestrator/run-*')).toBe('');
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  });
});
