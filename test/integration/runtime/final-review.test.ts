import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DesktopNotification } from '../../../src-main/notify/desktop-notifier';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, textReply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { forcedTool, managerReply, requestText, writeConfig, writeFileTurn } from './pipeline-support';

const GOAL = 'Greeting kit: say hello and goodbye';
const PRD = `# Greeting kit
1. greet.txt says hello.
2. bye.txt says goodbye, politely.`;

function planTask(id: number, title: string, file: string, criteria: string[]): Record<string, unknown> {
  return { id, title, description: `${title}.`, details: `Write ${file}.`, acceptance_criteria: criteria, test_strategy: 'Read the file.', priority: 'medium', dependencies: [] };
}

/** The manager: plans two tasks, approves every attempt, finds one criterion not met, and proposes a follow-up. */
function manager(request: RecordedRequest) {
  switch (forcedTool(request)) {
    case 'parse_prd':
      return managerReply('parse_prd', {
        tasks: [planTask(1, 'Greeting', 'greet.txt', ['greet.txt contains hello']), planTask(2, 'Farewell', 'bye.txt', ['bye.txt contains goodbye', 'the goodbye is polite'])],
      });
    case 'submit_review':
      return managerReply('submit_review', { verdict: 'approve' });
    case 'submit_final_review':
      return managerReply('submit_final_review', {
        verdict: 'partially_met',
        summary: 'Both files exist; the goodbye is curt.',
        criteria: [
          { task_id: '1', criterion: 1, met: true },
          { task_id: '2', criterion: 1, met: true },
          { task_id: '2', criterion: 2, met: false, note: 'bye.txt says "bye", not a polite goodbye' },
          { task_id: '9', criterion: 1, met: true },
        ],
        gaps: ['The PRD implies a README that lists both files'],
      });
    case 'analyze_and_plan':
      return managerReply('analyze_and_plan', {
        additions: [{ id: 3, title: 'Polite farewell', description: 'Make bye.txt a polite goodbye.', details: 'Rewrite bye.txt.', acceptance_criteria: ['bye.txt says "Goodbye, and thank you"'], test_strategy: 'Read it.', priority: 'medium', dependencies: [2] }],
      });
    default:
      return undefined;
  }
}

describe('the finish stage: final review and run summary, with the real Claude Code CLI and SDK', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-final-');
    home = makeTempDir('co-final-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('reviews the integrated run against the goal and every criterion, returns the seeds result, and adds follow-ups only when accepted', { timeout: 180_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 2, task_timeout: 120 } });
    fake.script({ respond: manager });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => (requestText(request).includes('Carry out task 2:') ? writeFileTurn(request, 'bye.txt', 'bye\n') : writeFileTurn(request, 'greet.txt', 'hello\n')),
    });
    const notifications: DesktopNotification[] = [];
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path), secretStore: null, desktopNotifier: { notify: (notification) => notifications.push(notification) } });

    const steps: string[] = [];
    runtime.orchestrator.events.on('run.finishing', ({ step, branch }) => steps.push(`${step} ${branch ?? '(none)'}`));
    const result = await runtime.runWithLeaderPlanning(GOAL, PRD);

    // The finish stage said what it was doing, step by step, naming the user's branch; then it was over.
    const branch = execFileSync('git', ['symbolic-ref', '--short', 'HEAD'], { cwd: repo.path, encoding: 'utf8' }).trim();
    expect(steps).toEqual([`merge ${branch}`, `final-review ${branch}`, `summary ${branch}`, `done ${branch}`]);
    expect(runtime.finishing()).toBeNull();

    // The final review came after the merge into the user's branch, and saw the goal, the PRD and every criterion.
    expect(readFileSync(join(repo.path, 'bye.txt'), 'utf8')).toBe('bye\n');
    const reviews = fake.messageRequests().filter((request) => forcedTool(request) === 'submit_final_review');
    expect(reviews).toHaveLength(1);
    const sent = requestText(reviews[0] as RecordedRequest);
    for (const text of [GOAL, 'bye.txt says goodbye, politely', 'greet.txt contains hello', 'bye.txt contains goodbye', 'the goodbye is polite', 'bye.txt (+1 −0)']) expect(sent).toContain(text);

    // The seeds' shape, plus the run id; still a Run for callers that expect one.
    expect(result).toMatchObject({ runId: result.id, id: result.id, status: 'succeeded', goal: GOAL, tasksCompleted: 2, tasksFailed: 0 });
    expect(Array.isArray(result.discoveries)).toBe(true);
    expect(result.summary).toContain('Done (2): 1 Greeting · 2 Farewell');
    expect(result.summary).toContain('Final review: partially met — 2 of 3 criteria met. Both files exist; the goodbye is curt.');
    expect(result.summary).toContain('Not met: task 2 criterion 2 "the goodbye is polite" — bye.txt says "bye", not a polite goodbye');
    expect(result.summary).toContain('Gap: The PRD implies a README that lists both files');
    expect(result.summary).toContain('Follow-up tasks proposed (1): Polite farewell');
    expect(result.summary).toContain("Merged the run's approved work into your current branch");
    expect(result.report.finalReview?.costUsd).toBeGreaterThan(0);
    expect(result.report.costUsd).toBeGreaterThan(result.report.finalReview?.costUsd ?? 0);

    // Stored with the run, and what the notification carried.
    expect(runtime.summary(result.id)?.text).toBe(result.summary);
    expect(runtime.summary()?.runId).toBe(result.id);
    expect(notifications.at(-1)).toMatchObject({ title: expect.stringContaining('Run complete') as unknown });
    expect(notifications.at(-1)?.body).toContain('2 done, 0 failed');
    expect(notifications.at(-1)?.body).toContain('final review: partially met (2/3 criteria)');
    expect(notifications.at(-1)?.body).toContain('1 follow-up tasks proposed');

    // The unmet criterion is feedback too.
    expect(runtime.orchestrator.store.feedback.listForRun(result.id).filter((row) => row.kind === 'final_review').map((row) => [row.taskId, row.detail])).toEqual([
      ['2', 'the goodbye is polite — bye.txt says "bye", not a polite goodbye'],
    ]);

    // Proposed, not added — until the user accepts.
    expect(runtime.orchestrator.listTasks().map((task) => task.title)).toEqual(['Greeting', 'Farewell']);
    const accepted = runtime.decideFollowUps(result.id, 'accept');
    expect(accepted.finalReview?.followUps).toMatchObject({ status: 'accepted', acceptedIds: ['3'] });
    expect(runtime.orchestrator.listTasks().map((task) => [task.id, task.title, [...task.dependencies]])).toEqual([
      ['1', 'Greeting', []],
      ['2', 'Farewell', []],
      ['3', 'Polite farewell', ['2']],
    ]);
    expect(() => runtime?.decideFollowUps(result.id, 'accept')).toThrow('were already accepted');
  });

  it('skips the final review, saying why, when the run changed nothing; and when review is off', { timeout: 120_000 }, async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 1, task_timeout: 120 } });
    fake.script({ respond: (request) => (forcedTool(request) === 'submit_review' ? managerReply('submit_review', { verdict: 'approve' }) : undefined) });
    let writes = false;
    fake.script({ match: matchers.hasTools, respond: (request) => (writes ? writeFileTurn(request, 'notes.txt', 'n\n') : textReply('All tests pass; nothing to change.')) });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path), secretStore: null });
    const result = await runtime.runWithPredefinedTasks([{ title: 'Verify the tests pass', expectsNoChanges: true, acceptanceCriteria: ['the tests pass'] }]);
    expect(result).toMatchObject({ status: 'succeeded', tasksCompleted: 1, tasksFailed: 0 });
    expect(result.report.finalReview).toMatchObject({ status: 'skipped', note: 'the run changed nothing' });
    expect(result.summary).toContain('Final review: skipped — the run changed nothing');
    expect(fake.messageRequests().some((request) => forcedTool(request) === 'submit_final_review')).toBe(false);
    await runtime.close();

    writeConfig(repo.path, { models: { enable_opus_review: true, final_review: false }, execution: { max_workers: 1, task_timeout: 120 } });
    writes = true;
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path), secretStore: null });
    const steps: string[] = [];
    runtime.orchestrator.events.on('run.finishing', ({ step }) => steps.push(step));
    const unreviewed = await runtime.runWithPredefinedTasks(['Write notes.txt']);
    expect(unreviewed.report.finalReview).toMatchObject({ status: 'skipped', note: 'the final review is off (models.final_review)' });
    // A skipped review is never announced as under way.
    expect(steps).toEqual(['merge', 'summary', 'done']);
    expect(fake.messageRequests().some((request) => forcedTool(request) === 'submit_final_review')).toBe(false);
  });
});
