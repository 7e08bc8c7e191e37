import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { cliBuilt, tempProject, type TempProject } from '../cli/cli-harness';
import {
  commitsTouching,
  initProject,
  killGroupsQuietly,
  liveAgentProcesses,
  runningAgentGroups,
  scriptFileWriters,
  startCo,
  taskFile,
  taskFilesOnBranch,
  taskStatuses,
  type AgentMode,
} from './recovery-support';

const TASKS = ['1', '2', '3', '4'];
const EXPECTED = Object.fromEntries(TASKS.map((id) => [id, taskFile(id).content]));

describe.skipIf(process.platform === 'win32')('a clean quit (Ctrl-C) of `co run` after 2 of 4 tasks are done', () => {
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

  it('merges the finished work into the user’s branch, puts the busy tasks back, and the next run completes the rest', { timeout: 300_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    let phase: 'first run' | 'second run' = 'first run';
    const modeOf = (id: string): AgentMode => (phase === 'first run' && (id === '3' || id === '4') ? 'hang' : 'write');
    scriptFileWriters(fake, modeOf);
    const env = claudeTestEnv(fake, home.path);
    await initProject(project, env, ['Task one', 'Task two', 'Task three', 'Task four']);

    const first = startCo(project, ['run', '--no-progress'], env);
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

    first.child.kill('SIGINT');
    expect((await first.exited).code, first.output()).toBe(130);
    expect(liveAgentProcesses(agents)).toEqual([]);
    expect(taskStatuses(project.dir)).toEqual({ '1': 'done', '2': 'done', '3': 'ready', '4': 'ready' });
    // The stopped run finished as runs do: what was done is on the user's branch already.
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual({ '1': EXPECTED['1'], '2': EXPECTED['2'], '3': null, '4': null });
    expect(first.output()).toContain("Merged the run's approved work into your current branch");

    phase = 'second run';
    const second = await project.co(['run', '--no-progress'], { env });
    expect(second.status, second.stdout + second.stderr).toBe(0);
    expect(taskFilesOnBranch(project.dir, TASKS)).toEqual(EXPECTED);
    for (const id of TASKS) expect(commitsTouching(project.dir, taskFile(id).name), `commits writing ${taskFile(id).name}`).toBe(1);
    expect((await project.coJson<{ unintegrated: unknown[] }>(['status'])).unintegrated).toEqual([]);
  });
});
