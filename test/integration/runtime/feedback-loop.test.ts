import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Insights, Lesson } from '../../../src-shared/rpc/contract';
import { NO_CHECKS, type CheckRunner } from '../../../src-main/pipeline/checks';
import { gitPipeline } from '../../../src-main/pipeline/git-pipeline';
import { openRunIntegration } from '../../../src-main/pipeline/run-start';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { freshWorktrees } from '../../../src-main/workspace/attempt-workspaces';
import { MergeWorktree } from '../../../src-main/workspace/merge-worktree';
import { claudeTestEnv, makeTempDir, makeTempGitRepo, matchers, startFakeAnthropic, type FakeAnthropic, type RecordedRequest } from '../../support/fake-anthropic';
import { cliBuilt, git, tempProject } from '../cli/cli-harness';
import { afterToolResult, requestText, writeConfig, writeFileTurn } from './pipeline-support';

/** The project's check: greet.txt, when there is one, must end with "!". */
const CHECK = `test ! -f greet.txt || grep -q '!' greet.txt || { echo 'Error: greet.txt must end with "!"'; exit 1; }`;

/** Runs check commands with sh in the workspace, as the project's `checks.verify` would. */
const runChecks: CheckRunner = async (commands, options) => {
  for (const command of commands) {
    const result = await execa('sh', ['-c', command], { cwd: options.cwd, reject: false, all: true, timeout: options.timeoutMs, cancelSignal: options.signal });
    if (result.exitCode !== 0) return { ok: false, command, exit: `exit ${result.exitCode ?? 'killed'}`, outputTail: String(result.all ?? '').slice(-2_000) };
  }
  return { ok: true };
};

describe('feedback that teaches the next run, with the real Claude Code CLI', () => {
  let fake: FakeAnthropic;
  let repo: ReturnType<typeof makeTempGitRepo>;
  let home: ReturnType<typeof makeTempDir>;
  let runtime: ProjectRuntime | undefined;

  beforeEach(async () => {
    fake = await startFakeAnthropic();
    repo = makeTempGitRepo('co-feedback-');
    home = makeTempDir('co-feedback-home-');
  });
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake.close();
    repo.cleanup();
    home.cleanup();
  });

  it('a check that fails twice for the same reason becomes feedback, an insight with its count, and a lesson in the next prompts until deleted', { timeout: 240_000 }, async () => {
    expect(cliBuilt, 'run `node scripts/build-main.mjs` first').toBe(true);
    writeConfig(repo.path, { execution: { max_workers: 1, task_timeout: 120, max_retries: 3 } });
    git(repo.path, 'add', '-A');
    git(repo.path, 'commit', '-q', '-m', 'config');
    // The worker writes greet.txt without "!" on its first two attempts, then fixes it.
    let greetingAttempts = 0;
    fake.script({
      match: matchers.hasTools,
      respond: (request) => {
        const text = requestText(request);
        if (text.includes('Carry out task 1:')) {
          if (!afterToolResult(request)) greetingAttempts += 1;
          return writeFileTurn(request, 'greet.txt', greetingAttempts >= 3 ? 'hello!\n' : 'hello\n');
        }
        return writeFileTurn(request, text.includes('Carry out task 2:') ? 'bye.txt' : 'docs.txt', 'text\n');
      },
    });
    // The project's pipeline with the check as its `checks.verify` (the composed runtime reads no checks from config yet).
    const lifecycle = gitPipeline({
      projectDir: repo.path,
      store: () => (runtime as ProjectRuntime).orchestrator.store,
      commitMessagePrefix: '[orchestrator]',
      reviewer: null,
      resolver: null,
      checks: { ...NO_CHECKS, verify: [CHECK] },
      runChecks,
      workspaces: freshWorktrees(repo.path),
      mergeWorktree: MergeWorktree.forProcess(repo.path),
      readyWorkspace: async () => [],
    });
    runtime = await openProjectRuntime({ projectDir: repo.path, env: claudeTestEnv(fake, home.path), secretStore: null, lifecycle });
    const { orchestrator } = runtime;
    const runTask = async (title: string) => {
      const [id] = orchestrator.addTasksBatch([{ title, contextFiles: [] }]);
      const runId = randomUUID();
      await openRunIntegration(repo.path, orchestrator.store, runId, orchestrator.owner);
      return (runtime as ProjectRuntime).run({ runId, taskIds: [id as string] });
    };
    const co = tempProject();
    const coIn = (...args: string[]) => co.co(['-d', repo.path, ...args]);
    const coJson = async <T>(...args: string[]): Promise<T> => {
      const result = await coIn(...args, '--json');
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as T;
    };
    const workerPrompts = (taskId: string): string[] => fake.messageRequests().filter((request: RecordedRequest) => requestText(request).includes(`Carry out task ${taskId}:`)).map(requestText);

    try {
      const first = await runTask('Greeting');
      expect(first).toMatchObject({ status: 'succeeded', tasksCompleted: 1 });
      expect(greetingAttempts).toBe(3);

      // Two feedback rows, tied to the task, its attempts, the run, the worker model and the file.
      const checks = orchestrator.store.feedback.listForRun(first.id).filter((row) => row.kind === 'check');
      expect(checks.map((row) => [row.cause, row.detail, row.taskId, row.model, [...row.files], row.errorClass])).toEqual([
        [CHECK, 'Error: greet.txt must end with "!"', '1', 'claude-sonnet-4-6', ['greet.txt'], 'recoverable'],
        [CHECK, 'Error: greet.txt must end with "!"', '1', 'claude-sonnet-4-6', ['greet.txt'], 'recoverable'],
      ]);
      expect(new Set(checks.map((row) => row.attemptId)).size).toBe(2);

      const insights = await coJson<Insights>('insights');
      expect(insights.causes[0]).toMatchObject({ kind: 'check', cause: CHECK, count: 2, tasks: ['1'], topDetail: 'Error: greet.txt must end with "!"', topDetailCount: 2 });
      expect(insights.files[0]).toEqual({ file: 'greet.txt', failures: 2 });
      expect(insights.mostAttempts[0]).toMatchObject({ taskId: '1', attempts: 3 });
      expect(insights.firstAttempt.byModel).toEqual([{ model: 'claude-sonnet-4-6', tasks: 1, succeeded: 0, rate: 0 }]);
      const human = await coIn('insights');
      expect(human.stdout).toContain('Recurring failure causes:');
      expect(human.stdout).toMatch(/^2\s+check\s+/m);

      // The next run's worker is warned up front, citing where the lesson came from.
      await runTask('Farewell');
      const warned = workerPrompts('2')[0] ?? '';
      expect(warned).toContain('Lessons from earlier runs');
      expect(warned).toContain('failed 2 times on earlier work (most often: Error: greet.txt must end with \\"!\\")');
      expect(warned).toContain(`(source: 2 failed checks · task 1 · run ${first.id.slice(0, 8)})`);

      // The user deletes the lesson: later prompts leave it out.
      const lessons = await coJson<Lesson[]>('lessons');
      expect(lessons).toHaveLength(1);
      const deleted = await coIn('lessons', 'delete', String(lessons[0]?.id));
      expect(deleted.stdout).toContain(`Lesson ${lessons[0]?.id} deleted.`);
      await runTask('Docs');
      const after = workerPrompts('3')[0] ?? '';
      expect(after).toContain('Carry out task 3:');
      expect(after).not.toContain('Lessons from earlier runs');
      expect(await coJson<Lesson[]>('lessons')).toEqual([]);
    } finally {
      co.cleanup();
    }
  });
});
