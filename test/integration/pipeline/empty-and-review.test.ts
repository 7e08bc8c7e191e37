import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { writeFileTurn } from '../runtime/pipeline-support';
import { forcedTool, git, managerReply, messageText, taskOf, writeConfig } from './support';

const isReview = (request: RecordedRequest): boolean => forcedTool(request) === 'submit_review';

describe('attempts that change nothing, and a reviewer that cannot be reached', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-empty-');
    home = makeTempDir('co-empty-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('with review off, an attempt that changed no file is not done (its retry is told so); a task marked as needing no changes is', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: false }, execution: { max_workers: 2, max_retries: 1, task_timeout: 300 } });
    fake.script({ match: matchers.hasTools, respond: () => textReply('All done, nothing needed changing.') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'Add a changelog' }, { title: 'Check the build passes', expectsNoChanges: true }]);
    const run = await runtime.run();

    expect(run.status).toBe('failed');
    const [changelog, check] = runtime.orchestrator.listTasks();
    expect(changelog).toMatchObject({ status: 'failed', attempts: 2 });
    expect(changelog?.statusReason).toContain('the attempt changed no file');
    expect(check?.status).toBe('done');
    // Done without a verdict: the attempt records no review, never the manager's approval.
    const passed = runtime.orchestrator.store.attempts.listForRun(run.runId).filter((attempt) => attempt.taskId === check?.id);
    expect(passed.map((attempt) => [attempt.status, attempt.review])).toEqual([['succeeded', null]]);
    const retry = fake.messageRequests().filter((request) => taskOf(request) === '1').at(-1);
    expect(JSON.stringify(retry?.body?.system ?? '')).toContain('finished without changing any file');
  });

  it('with review on, the reviewer is told the diff is empty', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 1, max_retries: 0, task_timeout: 300 } });
    fake.script({ respond: (request) => (isReview(request) ? managerReply('submit_review', { verdict: 'fail', reason: 'Nothing was done.' }) : undefined) });
    fake.script({ match: matchers.hasTools, respond: () => textReply('Looked around; nothing to do.') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTask('Add a changelog');
    await runtime.run();

    const review = fake.messageRequests().find(isReview);
    expect(review).toBeDefined();
    expect(messageText(review as RecordedRequest)).toContain('The diff is empty: the attempt changed no file.');
    expect(runtime.orchestrator.getTask('1')).toMatchObject({ status: 'failed' });
  });

  it('a reviewer that cannot be reached never costs the committed work: the task waits, and a retry resumes at review without running the worker again', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 1, max_retries: 0, task_timeout: 300 } });
    let reviewerUp = false;
    fake.script({
      respond: (request) => {
        if (!isReview(request)) return undefined;
        return reviewerUp ? managerReply('submit_review', { verdict: 'approve' }) : { ...managerReply('submit_review', { verdict: 'approve' }), fault: { kind: 'server_error', status: 500 } };
      },
    });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'CHANGELOG.md', '# Changes\n') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTask('Add a changelog');
    await runtime.run();

    const waiting = runtime.orchestrator.getTask('1');
    expect(waiting.status).toBe('blocked');
    expect(waiting.statusReason).toContain('the review could not run');
    expect(waiting.resumeAttemptId).not.toBeNull();
    const firstAttempt = runtime.orchestrator.store.attempts.get(waiting.resumeAttemptId as string);
    expect(firstAttempt?.workCommit).toMatch(/^[0-9a-f]{40}$/);
    const workerTurns = fake.messageRequests().filter((request) => taskOf(request) === '1').length;

    reviewerUp = true;
    runtime.orchestrator.setTaskStatus('1', 'pending');
    const run = await runtime.run();
    expect(run.status).toBe('succeeded');
    expect(runtime.orchestrator.getTask('1')).toMatchObject({ status: 'done', resumeAttemptId: null });
    // The worker was not run again: the same committed work was reviewed and merged.
    expect(fake.messageRequests().filter((request) => taskOf(request) === '1')).toHaveLength(workerTurns);
    expect(readFileSync(join(repo.path, 'CHANGELOG.md'), 'utf8')).toBe('# Changes\n');
  });
  it('a manager that stays unreachable stops the run after two attempts wait for it, instead of every task doing its work and waiting too', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 1, max_retries: 2, task_timeout: 300 } });
    let reviewerUp = false;
    fake.script({
      respond: (request) => {
        if (!isReview(request)) return undefined;
        return reviewerUp ? managerReply('submit_review', { verdict: 'approve' }) : { ...managerReply('submit_review', { verdict: 'approve' }), fault: { kind: 'server_error', status: 500 } };
      },
    });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, `task-${taskOf(request)}.md`, `task ${taskOf(request)}\n`) });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    runtime.orchestrator.addTasksBatch([{ title: 'One' }, { title: 'Two' }, { title: 'Three' }, { title: 'Four' }]);
    const run = await runtime.run();

    expect(run.status).toBe('failed');
    expect(run.report.stopped).toContain('the manager could not review 2 attempts in a row');
    expect(run.summary).toContain('the work is kept for review; run again once the manager can be reached');
    expect(run.summary).toContain('of which 2 with work kept for review (the next run reviews it without running the worker again): 1 One · 2 Two');
    const ranWorker = (id: string): number => fake.messageRequests().filter((request) => taskOf(request) === id).length;
    // Two tasks did their work and wait for review with it kept; the other two were never started.
    expect(ranWorker('3') + ranWorker('4')).toBe(0);
    const tasks = runtime.orchestrator.listTasks();
    expect(tasks.filter((task) => task.resumeAttemptId !== null).map((task) => task.id)).toEqual(['1', '2']);
    expect(tasks.filter((task) => task.status === 'failed')).toEqual([]);
    const workerTurns = ranWorker('1') + ranWorker('2');

    // The manager is back: a new run reviews the kept work without running those workers again, then does the rest.
    reviewerUp = true;
    for (const task of runtime.orchestrator.listTasks()) if (task.status === 'blocked') runtime.orchestrator.setTaskStatus(task.id, 'pending');
    const again = await runtime.run();
    expect(again.status).toBe('succeeded');
    expect(ranWorker('1') + ranWorker('2')).toBe(workerTurns);
    expect(runtime.orchestrator.listTasks().map((task) => task.status)).toEqual(['done', 'done', 'done', 'done']);
    for (const id of ['1', '2', '3', '4']) expect(readFileSync(join(repo.path, `task-${id}.md`), 'utf8')).toBe(`task ${id}\n`);
  });
});

describe('a cancel during review or merge is honoured', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-cancel-review-');
    home = makeTempDir('co-cancel-review-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('cancelling a task while the manager reviews it merges nothing of it', { timeout: 300_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 1, task_timeout: 300 } });
    fake.script({ respond: (request) => (isReview(request) ? { ...managerReply('submit_review', { verdict: 'approve' }), delayMs: 4_000 } : undefined) });
    fake.script({ match: matchers.hasTools, respond: (request) => writeFileTurn(request, 'feature.txt', 'feature\n') });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path) });
    const { orchestrator } = runtime;
    orchestrator.addTask('Add the feature');
    orchestrator.events.on('attempt.stage', ({ attempt }) => {
      if (attempt.stage === 'review') orchestrator.cancelTask(attempt.taskId);
    });
    const before = git(repo.path, 'rev-parse', 'HEAD');
    await runtime.run();

    expect(orchestrator.getTask('1').status).toBe('cancelled');
    const [attempt] = orchestrator.store.attempts.listForTask('1');
    expect(attempt?.status).toBe('cancelled');
    // Nothing reached the integration branch or the user's branch.
    const integration = orchestrator.store.integrations.list(1)[0];
    expect(integration?.tip).toBe(integration?.baseCommit);
    expect(git(repo.path, 'rev-parse', 'HEAD')).toBe(before);
  });
});
