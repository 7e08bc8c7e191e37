import { afterEach, describe, expect, it } from 'vitest';
import { ManagerError, type FinalReviewInput } from '../../../src-main/agents/manager';
import { toolUseReply, type FakeAnthropic } from '../../support/fake-anthropic';
import { SHOP_PRD, shopPlan, startManager } from './fixtures';

const RUN: FinalReviewInput = {
  goal: 'A tiny shop',
  prd: '# Tiny shop\nProducts and a cart.',
  tasks: [
    { id: '1', title: 'Catalogue', status: 'done', criteria: ['GET /products lists products'], changes: '1 file, +40 −0: src/products.ts (+40 −0)', note: 'Added the endpoint.' },
    { id: '2', title: 'Cart', status: 'failed', criteria: ['POST /cart adds an item', 'totals are server-side'], changes: 'not merged', note: 'the check `npm test` failed (exit 1)' },
  ],
  overallChange: ' 1 file changed, 40 insertions(+)',
};

describe('Manager final review and planning with lessons', () => {
  let fake: FakeAnthropic | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('sends the goal, the PRD and every criterion, and keeps only judgements of criteria it was shown', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(
      toolUseReply('submit_final_review', {
        verdict: 'partially_met',
        summary: 'The catalogue works; the cart failed.',
        criteria: [
          { task_id: 1, criterion: 1, met: true },
          { task_id: '2', criterion: 1, met: false, note: 'not merged' },
          { task_id: '2', criterion: 1, met: true },
          { task_id: '2', criterion: 5, met: true },
          { task_id: '7', criterion: 1, met: true },
        ],
        gaps: ['No checkout'],
      }),
    );
    const review = await started.manager.finalReview(RUN);
    expect(review).toMatchObject({
      verdict: 'partially_met',
      summary: 'The catalogue works; the cart failed.',
      criteria: [
        { taskId: '1', index: 1, criterion: 'GET /products lists products', met: true, note: null },
        { taskId: '2', index: 1, criterion: 'POST /cart adds an item', met: false, note: 'not merged' },
      ],
      gaps: ['No checkout'],
    });
    expect(review.costUsd).toBeGreaterThan(0);
    const request = fake.messageRequests()[0];
    expect(request?.body?.tool_choice).toMatchObject({ type: 'tool', name: 'submit_final_review' });
    const sent = JSON.stringify(request?.body?.messages);
    for (const text of ['<goal>\\nA tiny shop', '<prd>\\n# Tiny shop', '1. GET /products lists products', '2. totals are server-side', 'src/products.ts (+40 −0)', 'status: failed']) expect(sent).toContain(text);
  });

  it('asks again when the answer has no summary, and refuses when it happens twice', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('submit_final_review', { verdict: 'met', summary: '' }), toolUseReply('submit_final_review', { verdict: 'met' }));
    const failure = await started.manager.finalReview(RUN).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ManagerError);
    expect((failure as ManagerError).message).toContain("The manager's submit_final_review reply was invalid twice; nothing was stored.");
  });

  it('tells the planner the lessons of earlier runs, after the cached PRD', async () => {
    const started = await startManager();
    fake = started.fake;
    fake.enqueue(toolUseReply('parse_prd', shopPlan()), toolUseReply('parse_prd', shopPlan()));
    await started.manager.parsePrd(SHOP_PRD, { lessons: ['The check `npm test` failed 3 times (from 3 failed checks · task 2)'] });
    await started.manager.parsePrd(SHOP_PRD);
    const [withLessons, without] = fake.messageRequests();
    const blocks = (withLessons?.body?.messages?.[0] as { content: Array<{ text: string; cache_control?: unknown }> }).content;
    expect(blocks[0]?.text).toContain('<prd>');
    expect(blocks[0]?.cache_control).toBeDefined();
    expect(blocks[1]?.text).toContain('<lessons_from_earlier_runs>');
    expect(blocks[1]?.text).toContain('- The check `npm test` failed 3 times (from 3 failed checks · task 2)');
    expect(JSON.stringify(without?.body?.messages)).not.toContain('lessons_from_earlier_runs');
  });
});
