import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { slotLockFile, slotPath } from '../../../src-main/workspace/worktree-pool';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { afterToolResult, workingDirectoryOf, writeFileTurn } from '../runtime/pipeline-support';
import { git, taskOf, writeConfig } from '../pipeline/support';

/** Setup that records each time it really runs, in an ignored folder (as `npm ci` fills node_modules). */
const SETUP = 'mkdir -p node_modules && echo ran >> node_modules/setup-runs.log';

/** What an agent finds in its checkout when it starts. */
interface SeenAtStart {
  readonly task: string;
  readonly dir: string;
  readonly head: string;
  readonly status: string;
  readonly mergeHead: boolean;
  readonly warm: boolean;
}

function lookAround(request: RecordedRequest): SeenAtStart {
  const dir = workingDirectoryOf(request);
  const gitDir = git(dir, 'rev-parse', '--absolute-git-dir');
  return {
    task: taskOf(request) ?? '?',
    dir,
    head: git(dir, 'rev-parse', 'HEAD'),
    status: execFileSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: dir, encoding: 'utf8' }),
    mergeHead: existsSync(join(gitDir, 'MERGE_HEAD')),
    warm: existsSync(join(dir, 'node_modules', 'setup-runs.log')),
  };
}

function setupRuns(projectDir: string): number {
  const log = join(slotPath(projectDir, 1), 'node_modules', 'setup-runs.log');
  return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
}

describe('pooled workspaces in real runs (real Claude Code CLI, real git)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;
  const seen: SeenAtStart[] = [];

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-pool-');
    home = makeTempDir('co-pool-home-');
    seen.length = 0;
    writeFileSync(join(repo.path, '.gitignore'), 'node_modules/\n.orchestrator/\n');
    writeFileSync(join(repo.path, 'package-lock.json'), '{"lockfileVersion":3}\n');
    git(repo.path, 'add', '.gitignore', 'package-lock.json');
    git(repo.path, 'commit', '-q', '-m', 'ignore dependencies; lockfile');
    // One worker: every attempt goes through slot 1, one after the other.
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 1, task_timeout: 300 }, checks: { setup: [SETUP] } });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        if (!afterToolResult(request)) seen.push(lookAround(request));
        return writeFileTurn(request, `feature-${taskOf(request) ?? '0'}.txt`, 'done\n');
      },
    });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  const runTasks = async (...titles: string[]): Promise<void> => {
    const active = runtime;
    if (active === undefined) throw new Error('no runtime');
    active.orchestrator.addTasksBatch(titles.map((title) => ({ title })));
    const run = await active.run();
    expect(run.status).toBe('succeeded');
  };
  const logLines = (taskId: string, prefix: string): string[] => {
    const store = runtime?.orchestrator.store;
    const attempt = store?.attempts.listForTask(taskId).at(-1);
    return (store?.logEvents.listForAttempt(attempt?.id ?? '') ?? []).map((event) => event.text).filter((text) => text.startsWith(prefix));
  };
  const setupLines = (taskId: string): string[] => logLines(taskId, 'Setup');

  it('runs checks.setup on the first use of a slot and after a lockfile change, and skips it otherwise, saying why', { timeout: 300_000 }, async () => {
    await runTasks('First', 'Second');
    expect(seen.map((look) => look.dir)).toEqual([slotPath(repo.path, 1), slotPath(repo.path, 1)]);
    expect(setupRuns(repo.path)).toBe(1);
    expect(setupLines('1')).toEqual([`Setup: ${SETUP}`]);
    expect(setupLines('2')).toEqual([`Setup skipped: ${SETUP} already ran here and its inputs have not changed.`]);

    // The user changes the lockfile: the next attempt installs again, once.
    writeFileSync(join(repo.path, 'package-lock.json'), '{"lockfileVersion":3,"packages":{"dep":{}}}\n');
    git(repo.path, 'commit', '-q', '-am', 'new dependency');
    await runTasks('Third');
    expect(setupLines('3')).toEqual([`Setup: ${SETUP} (its inputs changed)`]);
    await runTasks('Fourth');
    expect(setupLines('4')).toEqual([`Setup skipped: ${SETUP} already ran here and its inputs have not changed.`]);
    expect(setupRuns(repo.path)).toBe(2);
    expect(git(repo.path, 'ls-tree', '--name-only', 'HEAD').split('\n')).toEqual(expect.arrayContaining(['feature-1.txt', 'feature-2.txt', 'feature-3.txt', 'feature-4.txt']));
  });

  it('a slot a killed attempt left dirty is cleaned before the next attempt, which sees exactly the integration tip and the warm folders; a pool folder deleted by hand is made again', { timeout: 300_000 }, async () => {
    await runTasks('First');
    const slot = slotPath(repo.path, 1);
    // A killed attempt's leftovers: its branch checked out with edits, a conflicted merge, an index.lock, untracked files, and its lock.
    git(slot, 'checkout', '-q', '-b', 'orchestrator/killed');
    writeFileSync(join(slot, 'README.md'), '# killed attempt\n');
    git(slot, 'commit', '-q', '-am', 'killed attempt edit');
    git(slot, 'branch', 'side', 'main');
    git(repo.path, 'checkout', '-q', 'side');
    writeFileSync(join(repo.path, 'README.md'), '# side\n');
    git(repo.path, 'commit', '-q', '-am', 'side edit');
    git(repo.path, 'checkout', '-q', 'main');
    expect(spawnSync('git', ['merge', 'side'], { cwd: slot }).status).not.toBe(0);
    writeFileSync(join(slot, 'scratch.txt'), 'half-written\n');
    writeFileSync(join(git(slot, 'rev-parse', '--absolute-git-dir'), 'index.lock'), '');
    const deadPid = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    writeFileSync(slotLockFile(repo.path, 1), JSON.stringify({ host: (await import('node:os')).hostname(), pid: deadPid, startTime: null, bootId: null, attemptId: 'killed', acquiredAt: 1 }));

    const tip = git(repo.path, 'rev-parse', 'HEAD');
    await runTasks('Second');
    const second = seen.find((look) => look.task === '2');
    expect(second).toEqual({ task: '2', dir: slot, head: tip, status: '', mergeHead: false, warm: true });
    expect(setupLines('2')).toEqual([`Setup skipped: ${SETUP} already ran here and its inputs have not changed.`]);
    expect(logLines('2', 'Workspace:')).toEqual([expect.stringMatching(/^Workspace: pooled worktree slot-1 re-pointed to orchestrator\/task-2-attempt-1-/)]);

    // The user deletes the pool folder: one re-creation (setup runs there again), not a failed task.
    rmSync(slot, { recursive: true, force: true });
    await runTasks('Third');
    expect(runtime?.orchestrator.getTask('3')).toMatchObject({ status: 'done', attempts: 1 });
    expect(seen.find((look) => look.task === '3')).toMatchObject({ dir: slot, status: '', mergeHead: false, warm: true });
    expect(setupLines('3')).toEqual([`Setup: ${SETUP}`]);
    expect(logLines('3', 'Workspace:')).toEqual(['Workspace: pooled worktree slot-1 made (its folder did not exist).']);
    expect(git(repo.path, 'ls-tree', '--name-only', 'HEAD').split('\n')).toEqual(expect.arrayContaining(['feature-1.txt', 'feature-2.txt', 'feature-3.txt']));
    expect(readFileSync(join(repo.path, 'README.md'), 'utf8')).toBe('# Test repo\n');
  });
});
