import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import type { AttemptLifecycle } from '../../../src-main/engine/lifecycle';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

const config = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 0.01, retry_max_delay: 0.02 } });

describe('attempt lifecycle hooks', () => {
  it('prepare chooses the working directory; review can request changes, whose feedback reaches the next attempt', async () => {
    const seen: Array<{ directory: string; feedback: string | undefined }> = [];
    const statuses: string[] = [];
    let reviews = 0;
    const lifecycle: AttemptLifecycle = {
      prepare: async (task, context) => ({ workingDirectory: `/worktrees/${task.id}-${context.attemptNumber}`, branch: `orchestrator/${task.id}`, commitBefore: 'c0' }),
      afterSuccess: async (task) => {
        statuses.push(task.status);
        reviews += 1;
        return reviews === 1 ? { verdict: { requestChanges: 'add a test for empty input' } } : { verdict: 'approve', commitAfter: 'c1' };
      },
    };
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config,
      pollMs: 20,
      lifecycle,
      backend: new InProcessBackend((input) => {
        seen.push({ directory: input.workingDirectory, feedback: input.task.reviewFeedback });
        return {};
      }),
    });
    const id = o.addTask('parser');
    const run = await o.run();
    expect(run.status).toBe('succeeded');
    expect(seen).toEqual([
      { directory: '/worktrees/1-1', feedback: undefined },
      { directory: '/worktrees/1-2', feedback: 'add a test for empty input' },
    ]);
    expect(statuses).toEqual(['review', 'review']);
    const attempts = o.store.attempts.listForTask(id);
    expect(attempts.map((attempt) => [attempt.review, attempt.workingDirectory, attempt.branch])).toEqual([
      ['request_changes', '/worktrees/1-1', 'orchestrator/1'],
      ['approve', '/worktrees/1-2', 'orchestrator/1'],
    ]);
    expect(attempts[1]).toMatchObject({ commitBefore: 'c0', commitAfter: 'c1' });
    expect(o.getTask(id)).toMatchObject({ status: 'done', reviewFeedback: null });
    await o.close();
  });

  it('a review that fails the task fails it for good; a failing prepare is a recoverable error', async () => {
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config,
      pollMs: 20,
      backend: new InProcessBackend(),
      lifecycle: {
        prepare: async (task) => {
          if (task.title === 'no worktree') throw new Error('git worktree add failed: branch exists');
          return { workingDirectory: '/w' };
        },
        afterSuccess: async () => ({ verdict: { fail: 'does not meet the acceptance criteria' } }),
      },
    });
    o.addTasksBatch(['reviewed', 'no worktree']);
    await o.run();
    expect(o.getTask('1')).toMatchObject({ status: 'failed', statusReason: 'review failed the task: does not meet the acceptance criteria', attempts: 1 });
    expect(o.getTask('2')).toMatchObject({ status: 'failed', attempts: 3 });
    expect(o.store.attempts.listForTask('2')[0]?.errorMessage).toBe('preparing the workspace failed: git worktree add failed: branch exists');
    await o.close();
  });

  it('a blocking verdict stops the task in blocked with the reason; its dependents wait for it as pending, and run once it is done', async () => {
    let conflicts = true;
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config,
      pollMs: 20,
      backend: new InProcessBackend(),
      lifecycle: {
        prepare: async () => ({ workingDirectory: '/w' }),
        afterSuccess: async () => (conflicts ? { verdict: { block: 'merge conflict in src/app.ts' } } : { verdict: 'approve' }),
      },
    });
    o.addTasksBatch(['feature', { title: 'docs', dependencies: ['1'] }]);
    const run = await o.run();
    expect(run.status).toBe('failed');
    expect(o.getTask('1')).toMatchObject({ status: 'blocked', statusReason: 'merge conflict in src/app.ts' });
    expect(o.getTask('2')).toMatchObject({ status: 'pending', statusReason: 'waiting for task 1 (blocked: merge conflict in src/app.ts)' });
    expect(o.store.attempts.listForTask('1')[0]).toMatchObject({ status: 'succeeded', review: 'block' });
    conflicts = false;
    o.setTaskStatus('1', 'pending');
    expect((await o.run()).status).toBe('succeeded');
    expect(o.getTask('2')).toMatchObject({ status: 'done', statusReason: null });
    await o.close();
  });
});
