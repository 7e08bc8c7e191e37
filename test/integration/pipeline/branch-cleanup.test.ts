import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { writeFileTurn } from '../runtime/pipeline-support';
import { git, taskOf, writeConfig } from './support';

const branchesOf = (dir: string, pattern: string): string[] => git(dir, 'for-each-ref', '--format=%(refname)', pattern).split('\n').filter((line) => line !== '');

describe('attempt branches of deleted tasks (real Claude Code CLI, real git)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-branches-');
    home = makeTempDir('co-branches-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('leave `git branch` after the next run: unmerged work is kept under refs/orchestrator/deleted-tasks/, merged work is simply deleted', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 1, max_retries: 0, task_timeout: 300 }, checks: { verify: ['grep -qx ok result.txt'] } });
    // Task 1 never gets it right (its work fails the check and stays on its branch); the others do.
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'result.txt', taskOf(request) === '1' ? 'wrong\n' : 'ok\n') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'Get it wrong' }, { title: 'Get it right' }]);
    await runtime.run();
    expect(runtime.orchestrator.getTask('1').status).toBe('failed');
    const [failedBranch] = branchesOf(repo.path, 'refs/heads/orchestrator/task-1-*');
    expect(failedBranch).toBeDefined();
    const failedWork = git(repo.path, 'rev-parse', failedBranch as string);

    // A branch of a task deleted long ago whose work is on the user's branch, and one no attempt row names yet of a task that exists.
    git(repo.path, 'branch', 'orchestrator/task-9-attempt-1-0123abcd', 'HEAD');
    runtime.orchestrator.addTask('Get it right again');
    git(repo.path, 'branch', 'orchestrator/task-3-attempt-1-89abcdef', 'HEAD');
    runtime.orchestrator.deleteTask('1');
    await runtime.run();

    expect(branchesOf(repo.path, 'refs/heads/orchestrator/task-1-*')).toEqual([]);
    expect(branchesOf(repo.path, 'refs/heads/orchestrator/task-9-*')).toEqual([]);
    // The deleted task's unmerged work is still there, out of the branch list.
    const kept = `refs/orchestrator/deleted-tasks/${(failedBranch as string).replace('refs/heads/', '')}`;
    expect(branchesOf(repo.path, 'refs/orchestrator/deleted-tasks/')).toEqual([kept]);
    expect(git(repo.path, 'rev-parse', kept)).toBe(failedWork);
    expect(git(repo.path, 'show', `${kept}:result.txt`)).toBe('wrong');
    // Merged work needs no keeping; a branch of a task that exists is left for whoever is starting it.
    expect(branchesOf(repo.path, 'refs/orchestrator/deleted-tasks/orchestrator/task-9-*')).toEqual([]);
    expect(branchesOf(repo.path, 'refs/heads/orchestrator/task-3-attempt-1-89abcdef')).toHaveLength(1);
  });
});
