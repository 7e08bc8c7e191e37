import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { temporaryFolder } from './helpers';

// Long backoff: a retry that waited for it would make these tests time out.
const config = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 60, retry_max_delay: 120 } });

describe('pipeline verdicts in the engine', () => {
  it('a retry verdict gives the next attempt its feedback at once; when retries are spent the task is blocked and its dependents wait', async () => {
    const feedback: Array<string | undefined> = [];
    const stages: string[] = [];
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config,
      pollMs: 20,
      backend: new InProcessBackend((input) => {
        feedback.push(input.task.reviewFeedback);
        return {};
      }),
      lifecycle: {
        prepare: async () => ({ workingDirectory: '/w' }),
        afterSuccess: async (_task, _outcome, context) => {
          context.enterStage('integrate');
          return { verdict: { retry: 'merge conflict in notes.md', feedback: `conflict ${context.attemptNumber}`, exhausted: 'block', immediate: true } };
        },
      },
    });
    o.events.on('attempt.stage', ({ attempt }) => stages.push(attempt.stage ?? ''));
    o.addTasksBatch(['notes', { title: 'after notes', dependencies: ['1'] }]);
    const run = await o.run();
    expect(run.status).toBe('failed');
    expect(feedback).toEqual([undefined, 'conflict 1', 'conflict 2']);
    expect(o.getTask('1')).toMatchObject({ status: 'blocked', failures: 3 });
    expect(o.getTask('1').statusReason).toContain('merge conflict in notes.md');
    expect(o.getTask('2')).toMatchObject({ status: 'pending' });
    expect(o.getTask('2').statusReason).toMatch(/^waiting for task 1 \(blocked: merge conflict in notes.md/);
    expect(stages).toEqual(['prepare', 'execute', 'integrate', 'prepare', 'execute', 'integrate', 'prepare', 'execute', 'integrate']);
    await o.close();
  });

  it('a broken environment stops the run once: the task goes back to ready uncounted and nothing else starts', async () => {
    let started = 0;
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config: resolveConfig({ execution: { max_workers: 1 } }),
      pollMs: 20,
      backend: new InProcessBackend(() => {
        started += 1;
        return { error: { errorClass: 'permanent', message: 'Claude Code is not installed; install it with npm i -g @anthropic-ai/claude-code', stopsRun: true } };
      }),
    });
    o.addTasksBatch(['a', 'b', 'c']);
    const run = await o.run();
    expect(started).toBe(1);
    expect(run.status).toBe('failed');
    expect(run.summary).toContain('the run stopped: Claude Code is not installed');
    expect(o.listTasks().map((task) => [task.id, task.status, task.failures])).toEqual([
      ['1', 'ready', 0],
      ['2', 'ready', 0],
      ['3', 'ready', 0],
    ]);
    await o.close();
  });

  it('a stopRun verdict from the pipeline (a repository without commits) stops the run the same way', async () => {
    const o = new Orchestrator({
      workingDirectory: temporaryFolder(),
      config: resolveConfig({ execution: { max_workers: 1 } }),
      pollMs: 20,
      backend: new InProcessBackend(() => ({})),
      lifecycle: {
        prepare: async () => ({ workingDirectory: '/w' }),
        afterSuccess: async () => ({ verdict: { stopRun: 'the repository has no commit yet; commit once first' } }),
      },
    });
    o.addTasksBatch(['a', 'b']);
    const run = await o.run();
    expect(run.summary).toContain('the run stopped: the repository has no commit yet');
    expect(o.getTask('1')).toMatchObject({ status: 'ready', failures: 0 });
    expect(o.getTask('2').status).toBe('ready');
    expect(o.store.attempts.listForTask('2')).toHaveLength(0);
    await o.close();
  });
});
