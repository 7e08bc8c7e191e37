import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { writeFileTurn } from '../runtime/pipeline-support';
import { git, taskOf, writeConfig } from './support';

describe('a project with a git submodule (real Claude Code CLI, real git)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let library: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    library = makeTempGitRepo('co-sub-lib-');
    writeFileSync(join(library.path, 'lib.txt'), 'library v1\n');
    git(library.path, 'add', 'lib.txt');
    git(library.path, 'commit', '-q', '-m', 'library v1');
    repo = makeTempGitRepo('co-sub-');
    execFileSync('git', ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', library.path, 'lib'], { cwd: repo.path });
    git(repo.path, 'commit', '-q', '-m', 'add the library as a submodule');
    home = makeTempDir('co-sub-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    library.cleanup();
    home.cleanup();
  });

  it('attempts and the merge checks see the submodule’s files, and the work lands without touching it', { timeout: 300_000 }, async () => {
    // The project's check needs the submodule, as a build would.
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 2, max_retries: 0, task_timeout: 300 }, checks: { verify: ['grep -q "library v1" lib/lib.txt'], verify_on_merge: 'each' } });
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-q', '-m', 'orchestrator config');
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, `task-${taskOf(request)}.txt`, `task ${taskOf(request)}\n`) });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'One' }, { title: 'Two' }, { title: 'Three', dependencies: ['1'] }]);
    const run = await runtime.run();

    expect(run.status, JSON.stringify(runtime.orchestrator.listTasks().map((task) => task.statusReason))).toBe('succeeded');
    expect(runtime.orchestrator.listTasks().map((task) => [task.status, task.attempts])).toEqual([['done', 1], ['done', 1], ['done', 1]]);
    for (const id of ['1', '2', '3']) expect(readFileSync(join(repo.path, `task-${id}.txt`), 'utf8')).toBe(`task ${id}\n`);

    // The library moves on in the user's copy (not recorded by the project): a second run, in the
    // re-pointed pool slots, still checks against the recorded commit.
    writeFileSync(join(repo.path, 'lib', 'lib.txt'), 'library v2\n');
    git(join(repo.path, 'lib'), 'commit', '-q', '-am', 'library v2');
    git(join(repo.path, 'lib'), 'checkout', '-q', 'HEAD~1');
    runtime.orchestrator.addTasksBatch([{ title: 'Four' }, { title: 'Five' }]);
    const second = await runtime.run();
    expect(second.status, JSON.stringify(runtime.orchestrator.listTasks().map((task) => task.statusReason))).toBe('succeeded');
    const attemptLog = runtime.orchestrator.store.logEvents.listForAttempt(runtime.orchestrator.store.attempts.listForTask('4')[0]?.id ?? '').map((event) => event.text).join('\n');
    expect(attemptLog).toContain('re-pointed');
    expect(attemptLog).not.toContain('could not be checked out');

    // The submodule is as it was: at the recorded commit (no + or - in front), clean.
    expect(git(repo.path, 'submodule', 'status')).toMatch(/^[0-9a-f]{40} lib /);
    expect(git(repo.path, 'status', '--porcelain', '--', 'lib')).toBe('');
  });
});
