import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import type { WorkerLesson } from '../../../src-shared/domain/feedback';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import type { AttemptLifecycle } from '../../../src-main/engine/lifecycle';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { readInsights } from '../../../src-main/feedback/insights';
import { checkFailureFeedback } from '../../../src-main/pipeline/checks';
import { temporaryFolder } from '../engine/helpers';

/** A pipeline whose check fails on the first two attempts of "Greeting" for the same reason, and passes after. */
function flakyCheckLifecycle(): AttemptLifecycle {
  return {
    prepare: async () => ({ workingDirectory: '/w' }),
    afterSuccess: async (task, _outcome, context) => {
      if (task.title === 'Greeting' && context.attemptNumber <= 2) {
        const failed = { ok: false as const, command: 'npm test', exit: 'exit 1', outputTail: 'FAIL test/greet.test.js\nError: greet.txt must end with "!"\n' };
        return { verdict: { retry: `the check \`npm test\` failed (exit 1)`, feedback: checkFailureFeedback(failed, 'on your work'), exhausted: 'fail', immediate: true } };
      }
      return { verdict: 'approve' };
    },
  };
}

describe('the feedback loop in the engine', () => {
  it('a check that fails twice for one reason is recorded, reported, taught to later workers, and forgotten when deleted', async () => {
    const lessonsSeen = new Map<string, ReadonlyArray<WorkerLesson>>();
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config: resolveConfig({ execution: { max_retries: 3 } }),
      pollMs: 20,
      backend: new InProcessBackend((input) => {
        lessonsSeen.set(`${input.task.title}#${input.attemptId}`, input.task.lessons ?? []);
        return {};
      }),
      lifecycle: flakyCheckLifecycle(),
    });
    const first = await o.runWithPredefinedTasks([{ title: 'Greeting', contextFiles: ['greet.txt'] }]);
    expect(first).toMatchObject({ status: 'succeeded', runId: first.id, tasksCompleted: 1, tasksFailed: 0 });

    const rows = o.store.feedback.listForRun(first.id);
    expect(rows.filter((row) => row.kind === 'check').map((row) => [row.cause, row.detail, row.taskId, row.errorClass])).toEqual([
      ['npm test', 'Error: greet.txt must end with "!"', '1', 'recoverable'],
      ['npm test', 'Error: greet.txt must end with "!"', '1', 'recoverable'],
    ]);
    expect(rows.filter((row) => row.kind === 'review').map((row) => row.cause)).toEqual(['approve']);
    const insights = readInsights(o.store.db);
    expect(insights.causes[0]).toMatchObject({ kind: 'check', cause: 'npm test', count: 2, tasks: ['1'], topDetail: 'Error: greet.txt must end with "!"', topDetailCount: 2 });
    expect(insights.mostAttempts).toEqual([expect.objectContaining({ taskId: '1', attempts: 3, status: 'done' })]);
    expect(insights.firstAttempt.bySize).toEqual([{ size: 'small', tasks: 1, succeeded: 0, rate: 0 }]);

    const [lesson] = o.store.lessons.list();
    expect(lesson?.text).toContain('The check `npm test` failed 2 times on earlier work (most often: Error: greet.txt must end with "!")');
    expect(lesson?.source).toBe(`2 failed checks · task 1 · run ${first.id.slice(0, 8)}`);

    // The next run's worker is told, up front.
    const second = await o.runWithPredefinedTasks(['Farewell']);
    expect(second.tasksCompleted).toBe(1);
    const farewell = [...lessonsSeen].find(([key]) => key.startsWith('Farewell#'));
    expect(farewell?.[1].map((item) => item.text)).toEqual([lesson?.text]);

    // Deleted: later prompts leave it out.
    o.store.write(() => o.store.lessons.delete(lesson?.id ?? 0, Date.now()));
    await o.runWithPredefinedTasks(['Docs']);
    const docs = [...lessonsSeen].find(([key]) => key.startsWith('Docs#'));
    expect(docs?.[1]).toEqual([]);
    await o.close();
  });

  it('the user edits and rollbacks are feedback too; the run result has the seeds shape and is stored', async () => {
    const o = new Orchestrator({ workingDirectory: temporaryFolder(), pollMs: 20, backend: new InProcessBackend(() => ({ discoveries: [{ summary: 'Uses LF', tags: [], files: [] }] })) });
    const result = await o.runWithPredefinedTasks(['Schema', { title: 'API', dependencies: ['1'] }]);
    expect(result).toMatchObject({ runId: result.id, goal: null, tasksCompleted: 2, tasksFailed: 0, status: 'succeeded' });
    expect(result.discoveries.map((discovery) => discovery.summary)).toEqual(['Uses LF', 'Uses LF']);
    expect(result.summary).toMatch(/^Run [0-9a-f]{8} succeeded in \d+s · \$0\.0000/);
    expect(result.summary).toContain('Done (2): 1 Schema · 2 API');
    expect(o.store.runSummaries.get(result.id)?.text).toBe(result.summary);
    expect(o.getRunSummary()?.runId).toBe(result.id);

    o.updateTask('2', { title: 'REST API' });
    o.announceTasksReset('rollback', ['1']);
    o.feedback.recordUserVerdict('2', 'reject', 'wrong endpoints');
    const kinds = o.store.db.prepare<[], { kind: string; task_id: string | null; detail: string }>("SELECT kind, task_id, detail FROM feedback WHERE kind LIKE 'user%' OR kind = 'rollback' ORDER BY id").all();
    expect(kinds).toEqual([
      { kind: 'user_edit', task_id: '2', detail: 'the user edited the task' },
      { kind: 'rollback', task_id: '1', detail: "the user rolled back task 1's work" },
      { kind: 'user_verdict', task_id: '2', detail: 'wrong endpoints' },
    ]);
    await o.close();
  });
});
