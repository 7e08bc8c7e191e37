import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';
import { forcedTool, git, managerReply, requestText, writeConfig, writeFileTurn } from './pipeline-support';

const PRD = `# Greeting kit
1. A greeting module (greet.txt).
2. A farewell module (bye.txt) — independent of 1.
3. A README section listing both (docs.txt), after 1 and 2.`;

function planTask(id: number, title: string, dependencies: number[]): Record<string, unknown> {
  return { id, title, description: `${title}.`, details: `Create the file for ${title}.`, acceptance_criteria: [`${title} exists`], test_strategy: 'Check the file.', priority: 'medium', dependencies };
}

describe('runWithLeaderPlanning with the real Claude Code CLI in git worktrees', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-leader-');
    home = makeTempDir('co-leader-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('plans, runs in parallel respecting dependencies, reviews (one send-back), and merges into the user branch', async () => {
    writeConfig(repo.path, { models: { enable_opus_review: true }, execution: { max_workers: 2, task_timeout: 120 } });
    let docsReviews = 0;
    fake.script({
      respond: (request) => {
        switch (forcedTool(request)) {
          case 'parse_prd':
            return managerReply('parse_prd', { tasks: [planTask(1, 'Greeting', []), planTask(2, 'Farewell', []), planTask(3, 'Docs', [1, 2])] });
          case 'submit_review': {
            const text = requestText(request);
            if (text.includes('Docs') && docsReviews++ === 0) return managerReply('submit_review', { verdict: 'request_changes', feedback: 'Mention both modules in docs.txt.' });
            return managerReply('submit_review', { verdict: 'approve' });
          }
          default:
            return undefined;
        }
      },
    });
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const text = requestText(request);
        if (text.includes('Carry out task 3:')) {
          const second = text.includes('Mention both modules');
          return writeFileTurn(request, 'docs.txt', second ? 'greet.txt and bye.txt\n' : 'todo\n');
        }
        if (text.includes('Carry out task 2:')) return writeFileTurn(request, 'bye.txt', 'bye\n');
        return writeFileTurn(request, 'greet.txt', 'hello\n');
      },
    });

    const env = claudeTestEnv(fake, home.path);
    runtime = await openProjectRuntime({ projectDir: repo.path, env });
    const orchestrator = runtime.orchestrator;
    const started: string[] = [];
    const finished: string[] = [];
    orchestrator.events.on('attempt.started', ({ attempt }) => started.push(attempt.taskId));
    orchestrator.events.on('task.changed', (event) => {
      if (event.status === 'done') finished.push(event.taskId);
    });

    const userBranchBefore = git(repo.path, 'rev-parse', '--abbrev-ref', 'HEAD');
    const run = await runtime.runWithLeaderPlanning('Greeting kit', PRD);
    expect(run.status).toBe('succeeded');

    const tasks = orchestrator.listTasks();
    expect(tasks.map((task) => [task.id, task.title, task.status, [...task.dependencies]])).toEqual([
      ['1', 'Greeting', 'done', []],
      ['2', 'Farewell', 'done', []],
      ['3', 'Docs', 'done', ['1', '2']],
    ]);
    // Docs started only after both of its dependencies were done.
    expect(started.indexOf('3')).toBeGreaterThan(-1);
    expect(finished.indexOf('3')).toBeGreaterThan(finished.indexOf('1'));
    expect(finished.indexOf('3')).toBeGreaterThan(finished.indexOf('2'));

    // Greeting and Farewell ran at the same time in their own worktrees.
    const [greeting] = orchestrator.store.attempts.listForTask('1');
    const [farewell] = orchestrator.store.attempts.listForTask('2');
    expect(greeting && farewell && greeting.startedAt < (farewell.finishedAt ?? 0) && farewell.startedAt < (greeting.finishedAt ?? 0)).toBe(true);
    expect(greeting?.worktree).not.toBe(farewell?.worktree);

    // The review sent Docs back once, with feedback, and the second attempt was approved.
    const docsAttempts = orchestrator.store.attempts.listForTask('3');
    expect(docsAttempts.map((attempt) => attempt.review)).toEqual(['request_changes', 'approve']);
    for (const attempt of orchestrator.store.attempts.listForTask('1')) {
      expect(attempt.sessionId).toMatch(/\S+/);
      expect(attempt.usage.outputTokens).toBeGreaterThan(0);
      expect(attempt.costUsd).toBeGreaterThan(0);
      expect(orchestrator.store.logEvents.listForAttempt(attempt.id).length).toBeGreaterThan(0);
    }

    // The approved work is merged into the user's branch, which stays checked out.
    expect(git(repo.path, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe(userBranchBefore);
    expect(readFileSync(join(repo.path, 'greet.txt'), 'utf8')).toBe('hello\n');
    expect(readFileSync(join(repo.path, 'bye.txt'), 'utf8')).toBe('bye\n');
    expect(readFileSync(join(repo.path, 'docs.txt'), 'utf8')).toBe('greet.txt and bye.txt\n');
    // Only what the test and the workspace set-up wrote are left uncommitted (.orchestrator/ is ignored).
    expect(git(repo.path, 'status', '--porcelain').split('\n').sort()).toEqual(['?? .gitignore', '?? orchestrator_config.json']);
    // Besides the user's own, only pooled worktrees stay (kept warm for the next run): at most one per worker, detached, holding no branch.
    const pooled = git(repo.path, 'worktree', 'list', '--porcelain').split('\n\n').slice(1);
    expect(pooled.length).toBeGreaterThan(0);
    expect(pooled.length).toBeLessThanOrEqual(2);
    for (const entry of pooled) expect(entry).toMatch(/^worktree .*\/\.orchestrator\/pool\/slot-\d+\nHEAD [0-9a-f]{40}\ndetached$/);
    expect(existsSync(join(repo.path, '.orchestrator', 'state.db'))).toBe(true);
    // A checkpoint was taken before the run.
    expect(git(repo.path, 'for-each-ref', '--format=%(refname)', 'refs/orchestrator/checkpoints/')).not.toBe('');
  });
});
