import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { connectRpcClient } from '../../support/rpc-client';
import { startServeProcess, type ServeProcess } from '../../support/serve-process';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import { git } from '../runtime/pipeline-support';
import {
  initProject,
  killCoRunWithTwoDoneTwoBusy,
  killGroupsQuietly,
  queryProject,
  scriptFileWriters,
  taskFile,
  taskFilesOnBranch,
  taskStatuses,
} from './recovery-support';

describe.skipIf(process.platform === 'win32')('the app opening a project after kill -9 of `co run` mid-run', () => {
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

  it('projects.open alone recovers: no task in progress without a worker, the finished work on the user’s branch', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    // Tasks 1 and 2 finish; tasks 3 and 4 keep both workers busy when the kill comes.
    scriptFileWriters(fake, (id) => (id === '1' || id === '2' ? 'write' : 'hang'));
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four']);

    await killCoRunWithTwoDoneTwoBusy(project, env, (agents) => (leftovers = [...agents]));
    // The killed process left tasks in progress and its finished work on its run's branch only.
    expect(Object.values(taskStatuses(project.dir)).sort()).toEqual(['done', 'done', 'in_progress', 'in_progress']);
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': null, '2': null });

    // The app starts and shows the project: projects.open, and nothing else.
    serve = await startServeProcess(env);
    const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
    try {
      await client.invoke('projects.open', { path: project.dir });
    } finally {
      socket.terminate();
    }
    expect(taskStatuses(project.dir)).toEqual({ '1': 'done', '2': 'done', '3': 'ready', '4': 'ready' });
    expect(taskFilesOnBranch(project.dir, ['1', '2'])).toEqual({ '1': taskFile('1').content, '2': taskFile('2').content });
    expect(queryProject<{ status: string }>(project.dir, "SELECT status FROM integrations WHERE status IN ('open', 'kept')")).toEqual([]);
    expect(git(project.dir, 'branch', '--list', 'orchestrator/run-*')).toBe('');
    expect(git(project.dir, 'symbolic-ref', 'HEAD')).toBe('refs/heads/main');
  });
});
