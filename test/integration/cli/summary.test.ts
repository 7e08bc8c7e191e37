import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src-shared/domain/run-summary';
import { claudeTestEnv, makeTempDir, matchers, startFakeAnthropic, toolUseReply, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { forcedTool, writeFileTurn } from '../runtime/pipeline-support';
import { cliBuilt, git, isOneLineError, tempProject, type TempProject } from './cli-harness';

const PRD = `# Greeting kit
1. greet.txt says hello.
2. bye.txt says goodbye, politely.
`;

function planTask(id: number, title: string, criteria: string[]): Record<string, unknown> {
  return { id, title, description: `${title}.`, details: `Write the ${title} file.`, acceptance_criteria: criteria, test_strategy: 'Read it.', priority: 'high', dependencies: [] };
}

function manager(request: RecordedRequest) {
  switch (forcedTool(request)) {
    case 'parse_prd':
      return toolUseReply('parse_prd', { tasks: [planTask(1, 'Greeting', ['greet.txt says hello']), planTask(2, 'Farewell', ['bye.txt is polite'])] });
    case 'submit_review':
      return toolUseReply('submit_review', { verdict: 'approve' });
    case 'submit_final_review':
      return toolUseReply('submit_final_review', {
        verdict: 'partially_met',
        summary: 'The goodbye is curt.',
        criteria: [
          { task_id: 1, criterion: 1, met: true },
          { task_id: 2, criterion: 1, met: false, note: 'it only says bye' },
        ],
      });
    case 'analyze_and_plan':
      return toolUseReply('analyze_and_plan', {
        additions: [{ id: 3, title: 'Polite farewell', description: 'Make the goodbye polite.', details: 'Rewrite bye.txt.', acceptance_criteria: ['bye.txt thanks the reader'], test_strategy: 'Read it.', priority: 'medium', dependencies: [2] }],
      });
    default:
      return undefined;
  }
}

describe('co run prints the run summary; co summary shows it later and decides on its follow-ups', () => {
  let fake: FakeAnthropic;
  let project: TempProject;
  let home: ReturnType<typeof makeTempDir>;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    project = tempProject({ git: true });
    home = makeTempDir('co-summary-home-');
  });
  afterEach(async () => {
    await fake.close();
    project.cleanup();
    home.cleanup();
  });

  it('the final review, the summary and the follow-up proposal, from the command line', { timeout: 240_000 }, async () => {
    expect(cliBuilt, 'run `npm run build` first').toBe(true);
    fake.script({ respond: manager });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => (JSON.stringify(request.body?.messages ?? '').includes('Carry out task 2:') ? writeFileTurn(request, 'bye.txt', 'bye\n') : writeFileTurn(request, 'greet.txt', 'hello\n')),
    });
    const env = claudeTestEnv(fake, home.path);
    const co = (...args: string[]) => project.co(args, { env });
    expect((await co('init')).status).toBe(0);
    writeFileSync(path.join(project.dir, 'orchestrator_config.json'), JSON.stringify({ models: { enable_opus_review: true }, execution: { max_workers: 2 } }));
    git(project.dir, 'add', '-A');
    git(project.dir, 'commit', '-q', '-m', 'co init');
    writeFileSync(path.join(project.dir, 'prd.md'), PRD);
    expect((await co('parse', 'prd.md')).status).toBe(0);
    expect((await co('summary')).stdout).toContain('No run has finished yet. Start one with `co run`.');

    const bin = path.join(home.path, 'bin');
    mkdirSync(bin);
    const notified = path.join(home.path, 'notified.txt');
    writeFileSync(path.join(bin, 'notify-send'), `#!/bin/sh\nprintf '%s\\n' "$@" >> "${notified}"\n`, { mode: 0o755 });
    const run = await project.co(['run', '--no-progress'], { env: { ...env, PATH: `${bin}${path.delimiter}${env['PATH'] ?? process.env['PATH'] ?? ''}` } });
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toMatch(/Run succeeded: 2 done, 0 failed/);
    expect(run.stdout).toMatch(/^Run [0-9a-f]{8} succeeded in \d+s · \$\d+\.\d{4}/m);
    expect(run.stdout).toContain('Done (2): 1 Greeting · 2 Farewell');
    expect(run.stdout).toContain('Final review: partially met — 1 of 2 criteria met. The goodbye is curt.');
    expect(run.stdout).toContain('Not met: task 2 criterion 1 "bye.txt is polite" — it only says bye');
    expect(run.stdout).toContain('Follow-up tasks proposed (1): Polite farewell — accept with `co summary --accept-follow-ups`');
    expect(run.stdout).toContain("Merged the run's approved work into your current branch");
    // The run's notification carries the summary's verdict.
    await expect.poll(() => (existsSync(notified) ? readFileSync(notified, 'utf8') : ''), { timeout: 5_000 }).toContain('final review: partially met (1/2 criteria)');

    const stored = await project.coJson<RunSummary>(['summary']);
    expect(stored).toMatchObject({ status: 'succeeded', goal: null, completed: [{ id: '1' }, { id: '2' }], failed: [], finalReview: { status: 'reviewed', verdict: 'partially_met', followUps: { status: 'proposed' } } });
    expect(run.stdout).toContain(stored.text);
    expect((await co('summary', '--run', stored.runId.slice(0, 8))).stdout.trim()).toBe(stored.text);

    // Proposed only: nothing is added before the user accepts.
    expect((await project.coJson<unknown[]>(['list'])).length).toBe(2);
    const accepted = await co('summary', '--accept-follow-ups');
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('Follow-up tasks accepted as 3.');
    const tasks = await project.coJson<Array<{ id: string; title: string; dependencies: string[] }>>(['list']);
    expect(tasks.map((task) => [task.id, task.title, task.dependencies])).toEqual([
      ['1', 'Greeting', []],
      ['2', 'Farewell', []],
      ['3', 'Polite farewell', ['2']],
    ]);

    // Clear one-line errors for what a user can get wrong.
    const again = await co('summary', '--discard-follow-ups');
    expect(isOneLineError(again), again.stderr).toBe(true);
    expect(again.stderr).toContain('were already accepted');
    const unknown = await co('summary', '--run', 'nope');
    expect(isOneLineError(unknown), unknown.stderr).toBe(true);
    expect(unknown.stderr).toContain('no run "nope"');
    const both = await co('summary', '--accept-follow-ups', '--discard-follow-ups');
    expect(isOneLineError(both), both.stderr).toBe(true);
  });
});
