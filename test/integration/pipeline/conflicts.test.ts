import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { appendLineTurn, approvingManager, forcedTool, git, requestText, taskOf, writeConfig } from './support';

const TASKS = 8;

function noteTasks(): Array<{ title: string; description: string }> {
  return Array.from({ length: TASKS }, (_, index) => ({ title: `Note ${index + 1}`, description: `Add the line "note ${index + 1}" to notes.md.` }));
}

describe('conflicting tasks in the merge queue (real Claude Code CLI, real git)', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-conflicts-');
    home = makeTempDir('co-conflicts-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('8 independent tasks, 4 workers, all editing one file: all done, every line on the user branch, no markers, none blocked', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 4, task_timeout: 300 } });
    fake.script({ respond: approvingManager });
    fake.script({ match: matchers.hasTools, respond: (request) => appendLineTurn(request, 'notes.md', `note ${taskOf(request) ?? '?'}`) });

    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch(noteTasks());
    const run = await runtime.run();

    const tasks = runtime.orchestrator.listTasks();
    expect(tasks.map((task) => task.status)).toEqual(Array(TASKS).fill('done'));
    expect(run.status).toBe('succeeded');
    const notes = readFileSync(join(repo.path, 'notes.md'), 'utf8');
    expect(notes.split('\n').filter((line) => line !== '').sort()).toEqual(Array.from({ length: TASKS }, (_, index) => `note ${index + 1}`).sort());
    expect(notes).not.toMatch(/^(<{7}|={7}|>{7}|\|{7})/m);
    // Parallel work really collided, and the manager resolved it in the queue (checked, never trusted alone).
    const resolutions = fake.messageRequests().filter((request) => forcedTool(request) === 'resolve_conflict');
    expect(resolutions.length).toBeGreaterThan(0);
    // The user's branch got the work; nothing is kept aside.
    expect(runtime.unintegrated()).toEqual([]);
    expect(git(repo.path, 'status', '--porcelain', '--', 'notes.md')).toBe('');
  });

  it('without a resolver (review off) a conflict gives the task a new attempt on the new tip, told what conflicted; all still finish', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 2, max_retries: 6, task_timeout: 300 } });
    fake.script({ match: matchers.hasTools, respond: (request) => appendLineTurn(request, 'notes.md', `note ${taskOf(request) ?? '?'}`) });

    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch(noteTasks().slice(0, 4));
    const run = await runtime.run();

    expect(run.status).toBe('succeeded');
    const notes = readFileSync(join(repo.path, 'notes.md'), 'utf8');
    expect(notes.split('\n').filter((line) => line !== '').sort()).toEqual(['note 1', 'note 2', 'note 3', 'note 4']);
    const attempts = runtime.orchestrator.listTasks().flatMap((task) => runtime?.orchestrator.store.attempts.listForTask(task.id) ?? []);
    const conflicted = attempts.filter((attempt) => attempt.errorMessage?.includes('merge conflict in notes.md'));
    expect(conflicted.length).toBeGreaterThan(0);
    // The next attempt of a conflicted task was told which file conflicted and what it had changed.
    const retried = fake.messageRequests().filter((request) => requestText(request).includes('could not be merged: it conflicts with work other tasks merged meanwhile, in notes.md'));
    expect(retried.length).toBeGreaterThan(0);
    expect(requestText(retried[0] as never)).toContain("Your previous attempt's change was:");
  });
});
