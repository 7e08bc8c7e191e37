import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { afterToolResult, workingDirectoryOf, writeFileTurn } from '../runtime/pipeline-support';
import { git, requestText, taskOf, writeConfig } from './support';

/** A check that fails with a message saying what is wrong, unless result.txt says "ok". */
const RESULT_CHECK = `grep -qx ok result.txt || { echo "result.txt must say ok; it says: $(cat result.txt 2>/dev/null)"; exit 3; }`;

describe("the project's checks in the pipeline (real Claude Code CLI, real git, real commands)", () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-checks-');
    home = makeTempDir('co-checks-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('a failing check gives the next attempt its output; a task that keeps failing fails, and nothing of it is merged', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 2, max_retries: 1, task_timeout: 300 }, checks: { verify: [RESULT_CHECK] } });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        // Task 1 learns from the failure it is shown; task 2 never gets it right.
        const learned = taskOf(request) === '1' && requestText(request).includes('result.txt must say ok; it says: wrong');
        return writeFileTurn(request, 'result.txt', learned ? 'ok\n' : 'wrong\n');
      },
    });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'Make the result right' }, { title: 'Make it right too' }]);
    const head = git(repo.path, 'rev-parse', 'HEAD');
    await runtime.run();

    const [fixed, stubborn] = runtime.orchestrator.listTasks();
    expect(fixed).toMatchObject({ status: 'done', attempts: 2 });
    expect(stubborn).toMatchObject({ status: 'failed', attempts: 2 });
    expect(stubborn?.statusReason).toContain('exit code 3');
    const firstAttempt = runtime.orchestrator.store.attempts.listForTask('1')[0];
    expect(firstAttempt?.errorMessage).toContain(`the check \`${RESULT_CHECK}\` failed (exit code 3)`);
    // The check's output reached the log of the attempt, and the user's branch has only the good work.
    const logs = runtime.orchestrator.store.logEvents.listForAttempt(firstAttempt?.id ?? '').map((event) => event.text);
    expect(logs.some((line) => line.includes('result.txt must say ok; it says: wrong'))).toBe(true);
    expect(readFileSync(join(repo.path, 'result.txt'), 'utf8')).toBe('ok\n');
    const merged = git(repo.path, 'log', '--format=%s', `${head}..HEAD`);
    expect(merged).toContain('Make the result right');
    expect(merged).not.toContain('Make it right too');
  });

  it('a merge that turns the integration tip red is not kept, although each attempt passes alone', { timeout: 300_000 }, async () => {
    // Each task adds its own file; the project allows only one of them.
    const onlyOne = 'test ! -e a.txt || test ! -e b.txt || { echo "a.txt and b.txt must not both exist"; exit 1; }';
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 2, max_retries: 0, task_timeout: 300 }, checks: { verify: [onlyOne] } });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, taskOf(request) === '1' ? 'a.txt' : 'b.txt', 'x\n') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'Add a' }, { title: 'Add b' }]);
    await runtime.run();

    const statuses = runtime.orchestrator.listTasks().map((task) => task.status).sort();
    expect(statuses).toEqual(['done', 'failed']);
    const loser = runtime.orchestrator.listTasks().find((task) => task.status === 'failed');
    expect(loser?.statusReason).toContain('on the integration tip');
    // Exactly one file reached the user's branch; the integration history never held both.
    expect([existsSync(join(repo.path, 'a.txt')), existsSync(join(repo.path, 'b.txt'))].filter(Boolean)).toHaveLength(1);
    const integration = runtime.orchestrator.store.integrations.list(1)[0];
    const tree = git(repo.path, 'ls-tree', '--name-only', integration?.integratedCommit ?? 'HEAD');
    expect(tree.split('\n').filter((name) => name === 'a.txt' || name === 'b.txt')).toHaveLength(1);
  });

  it('setup runs before the agent in every workspace; a copied .env is there and never committed', { timeout: 300_000 }, async () => {
    writeFileSync(join(repo.path, '.gitignore'), 'node_modules/\n');
    git(repo.path, 'add', '.gitignore');
    git(repo.path, 'commit', '-q', '-m', 'ignore node_modules');
    writeFileSync(join(repo.path, '.env'), 'API_URL=http://localhost:9\n', { mode: 0o600 });
    writeConfig(repo.path, {
      models: { enable_opus_review: false },
      execution: { max_workers: 2, task_timeout: 300 },
      checks: { setup: ['mkdir -p node_modules && echo installed > node_modules/dep.txt'], copy: ['.env'] },
    });
    const seenAtStart: Array<{ dep: boolean; env: string | null }> = [];
    fake.script({
      match: matchers.hasTools,
      respond: (request: RecordedRequest) => {
        const dir = workingDirectoryOf(request);
        if (!afterToolResult(request)) {
          seenAtStart.push({ dep: existsSync(join(dir, 'node_modules', 'dep.txt')), env: existsSync(join(dir, '.env')) ? readFileSync(join(dir, '.env'), 'utf8') : null });
        }
        return writeFileTurn(request, `feature-${taskOf(request) ?? '0'}.txt`, 'done\n');
      },
    });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'Feature one' }, { title: 'Feature two' }]);
    const run = await runtime.run();

    expect(run.status).toBe('succeeded');
    expect(seenAtStart).toHaveLength(2);
    expect(seenAtStart.every((seen) => seen.dep && seen.env === 'API_URL=http://localhost:9\n')).toBe(true);
    // Every branch (the user's, run and attempt branches); checkpoints record untracked files on purpose.
    const committed = git(repo.path, 'log', '--branches', '--name-only', '--format=');
    expect(committed).not.toContain('.env');
    expect(committed).not.toContain('node_modules');
    expect(git(repo.path, 'ls-tree', '-r', '--name-only', 'HEAD')).toContain('feature-1.txt');
  });
});
