import { afterEach, describe, expect, it } from 'vitest';
import { ManagerError, type ReviewInput } from '../../../src-main/agents/manager';
import { textReply, toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { modelTask, startManager } from './fixtures';

const ATTEMPT: ReviewInput = {
  task: { id: '4', title: 'Shopping cart', description: 'Add and remove products.' },
  acceptanceCriteria: ['POST /cart/items adds a product', 'the total is computed server-side'],
  diff: 'diff --git a/src/cart.ts b/src/cart.ts\n+export function total() { return 0; }\n',
  workerOutput: 'Implemented the cart.',
};

describe('Manager review, expansion, analysis and summary', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('returns approve, request_changes with feedback, and fail with a reason', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('submit_review', { verdict: 'approve' }),
      toolUseReply('submit_review', { verdict: 'request_changes', feedback: 'total() must sum the line items.' }),
      toolUseReply('submit_review', { verdict: 'fail', reason: 'The cart needs accounts, which do not exist.' }),
    );
    expect(await started.manager.reviewAttempt(ATTEMPT)).toMatchObject({ verdict: 'approve' });
    expect(await started.manager.reviewAttempt(ATTEMPT)).toMatchObject({ verdict: 'request_changes', feedback: 'total() must sum the line items.' });
    expect(await started.manager.reviewAttempt(ATTEMPT)).toMatchObject({ verdict: 'fail', reason: 'The cart needs accounts, which do not exist.' });
    const sent = JSON.stringify(fake.messageRequests()[0]?.body?.messages);
    expect(sent).toContain('POST /cart/items adds a product');
    expect(sent).toContain('export function total()');
    expect(fake.messageRequests()[0]?.body?.tool_choice).toMatchObject({ type: 'tool', name: 'submit_review' });
  });

  it('asks again when request_changes comes without feedback, and refuses when it happens twice', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('submit_review', { verdict: 'request_changes' }), toolUseReply('submit_review', { verdict: 'request_changes', feedback: '  ' }));
    const failure = await started.manager.reviewAttempt(ATTEMPT).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    expect((failure as ManagerError).message).toContain("The manager's submit_review reply was invalid twice; nothing was stored.");
    expect((failure as ManagerError).message).toContain('request_changes needs feedback');
  });

  it('expands a task into subtasks numbered under it, dropping references outside the subtask list', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('expand_task', {
        tasks: [modelTask(1, 'Cart table'), modelTask(2, 'Cart endpoints', [1, 3]), modelTask(3, 'Cart totals', [1, 'task-9'])],
      }),
    );
    const plan = await started.manager.expandTask({ id: '4', title: 'Shopping cart', description: 'Add and remove products.' });
    expect(plan.tasks.map((task) => [task.id, task.dependencies])).toEqual([
      ['4.1', []],
      ['4.2', ['4.1', '4.3']],
      ['4.3', ['4.1']],
    ]);
    expect(plan.notes.map((note) => note.message)).toEqual([
      'ids made contiguous: 1 → 4.1, 2 → 4.2, 3 → 4.3',
      'task 4.3 ("Cart totals") depended on unknown task task-9; dependency dropped',
    ]);
  });

  it('plans additions after the highest existing id and validates updates against the project', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('analyze_and_plan', {
        additions: [modelTask('a', 'Coupons', [2]), modelTask('b', 'Coupon admin', ['a', 3])],
        updates: [
          { id: 2, dependencies: [1, 'b'], reason: 'checkout must know coupons' },
          { id: 3, priority: 'high', reason: 'needed soon' },
          { id: 42, title: 'Ghost', reason: 'mistake' },
        ],
      }),
    );
    const existing = [
      { id: '1', title: 'Skeleton', priority: 'high' as const, dependencies: [] },
      { id: '2', title: 'Checkout', priority: 'medium' as const, dependencies: ['1'] },
      { id: '3', title: 'Admin', priority: 'low' as const, dependencies: ['1'] },
    ];
    const plan = await started.manager.analyzeAndPlan(existing, 'Support discount coupons');
    expect(plan.additions.map((task) => [task.id, task.title, task.dependencies])).toEqual([
      ['4', 'Coupons', ['2']],
      ['5', 'Coupon admin', ['4', '3']],
    ]);
    expect(plan.updates).toEqual([
      { id: '2', reason: 'checkout must know coupons', dependencies: ['1'] },
      { id: '3', reason: 'needed soon', priority: 'high' },
    ]);
    expect(plan.notes.map((note) => note.message)).toEqual([
      'ids made contiguous: a → 4, b → 5',
      'update of unknown task 42 dropped',
      'dependency cycle 2 → 5 → 4 → 2 broken: task 2 no longer depends on task 5',
    ]);
  });

  it('summarises a run as plain text', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(textReply('Seven of eight tasks are done; checkout failed on stock locking.'));
    const summary = await started.manager.summarizeRun({
      tasks: [{ id: '1', title: 'Skeleton', status: 'done' }],
      outcomes: [{ taskId: '1', status: 'succeeded', summary: 'scaffolded' }],
    });
    expect(summary.text).toBe('Seven of eight tasks are done; checkout failed on stock locking.');
    expect(started.usage.at(-1)?.purpose).toBe('summarize_run');
  });
});
