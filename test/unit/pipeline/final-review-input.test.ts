import { describe, expect, it } from 'vitest';
import type { Integration } from '../../../src-shared/domain/integration';
import { finalReviewContent } from '../../../src-main/agents/manager/final-review';
import { InvalidStateError } from '../../../src-main/engine/errors';
import { FINAL_REVIEW_PRD_CHARS, FINAL_REVIEW_TASKS_BUDGET_CHARS, describeChange, gatherFinalReviewInput, type FileChange } from '../../../src-main/pipeline/final-review-input';
import { decideFollowUps } from '../../../src-main/pipeline/follow-ups';
import { finalReviewOfRun } from '../../../src-main/pipeline/stage-finish-review';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath, temporaryFolder } from '../engine/helpers';

/** A finished run of `count` done tasks, each with four criteria and a merged attempt. */
function seedRun(store: Store, count: number): { readonly runId: string; readonly integration: Integration } {
  const runId = 'run-final-review';
  store.write(() => {
    store.meta.set('goal', 'Build the shop');
    store.meta.set('masterPlan', 'P'.repeat(100_000));
    store.runs.insert({ id: runId, goal: 'Build the shop', owner: 'me', maxWorkers: 4, taskIds: null, startedAt: 1 });
    for (let index = 1; index <= count; index += 1) {
      const id = String(index);
      store.db.prepare(`INSERT INTO tasks (id, id_key, title, description, acceptance, priority, priority_rank, status, result, created_at, updated_at)
        VALUES (?, ?, ?, 'x', ?, 'medium', 2, 'done', ?, 1, 1)`).run(id, id.padStart(8, '0'), `Feature ${index}`, JSON.stringify([`criterion A of ${index}`, `criterion B of ${index} ${'long '.repeat(200)}`, `criterion C of ${index}`, `criterion D of ${index}`]), JSON.stringify({ output: `Implemented feature ${index}. ${'detail '.repeat(500)}`, filesModified: [], filesCreated: [], error: null, discoveryIds: [], subtasksCreated: [] }));
      store.attempts.insert({ id: `a${index}`, taskId: id, runId, number: 1, backend: 'claude-cli', workerOwner: 'me' }, 2);
      store.attempts.setWorkspace(`a${index}`, { commitBefore: `base${index}`, workCommit: `work${index}` });
      store.attempts.finish(`a${index}`, { status: 'succeeded', output: 'ok', review: 'approve' }, 3);
    }
    store.runs.finish(runId, 'succeeded', 'done', 4);
  });
  return { runId, integration: { runId, branch: 'orchestrator/run', baseCommit: 'base', startedOnBranch: 'main', startedAtCommit: 'base', tip: 'tip', status: 'integrated', note: null, integratedCommit: 'tip', owner: 'me', createdAt: 1, updatedAt: 1 } };
}

/** Every task changed 400 files of 1,000 lines: the whole diff would be megabytes. */
const hugeChange = async (): Promise<ReadonlyArray<FileChange>> => Array.from({ length: 400 }, (_, index) => ({ path: `src/module-${index}/file-${index}.ts`, added: 1_000, removed: index }));

describe('what the final review of a run is shown', () => {
  it('a 50-task run with huge diffs stays within the budget, every criterion of every task kept by number', async () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const { runId, integration } = seedRun(store, 50);
      const run = store.runs.get(runId);
      if (run === undefined) throw new Error('no run');
      const input = await gatherFinalReviewInput(temporaryFolder(), store, run, integration, hugeChange);
      expect(input.tasks).toHaveLength(50);
      expect(input.prd?.length).toBe(FINAL_REVIEW_PRD_CHARS);
      for (const task of input.tasks) {
        expect(task.criteria).toHaveLength(4);
        expect(task.changes).toMatch(/^400 files, \+400000 −79800: src\/module-399\/file-399\.ts \(\+1000 −399\).*, … and \d+ more$/);
      }
      const content = finalReviewContent(input);
      const taskText = JSON.stringify(content[1]);
      expect(taskText.length).toBeLessThan(FINAL_REVIEW_TASKS_BUDGET_CHARS * 1.15);
      expect(JSON.stringify(content).length).toBeLessThan(FINAL_REVIEW_TASKS_BUDGET_CHARS * 1.15 + FINAL_REVIEW_PRD_CHARS + 2_000);
    } finally {
      store.close();
    }
  });

  it('is skipped, saying why, when it is off, when the run changed nothing, and when the user stopped the run', async () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const { runId } = seedRun(store, 2);
      const manager = () => {
        throw new Error('the manager must not be asked');
      };
      const review = (enabled = true) => finalReviewOfRun({ projectDir: temporaryFolder(), store, enabled, manager }, runId);
      expect(await review(false)).toMatchObject({ status: 'skipped', note: 'the final review is off (models.final_review)' });
      expect(await review()).toMatchObject({ status: 'skipped', note: "it reviews the run's integrated change, which needs git worktrees" });
      store.write(() => store.integrations.insert({ runId, branch: 'orchestrator/run', baseCommit: 'base', owner: 'me' }, 5));
      expect(await review()).toMatchObject({ status: 'skipped', note: 'the run changed nothing' });
      store.write(() => {
        store.integrations.setTip(runId, 'tip', 6);
        store.runs.finish(runId, 'cancelled', 'stopped', 7);
      });
      expect(await review()).toMatchObject({ status: 'skipped', note: 'the run was stopped before it finished' });
      store.write(() => store.runs.finish(runId, 'succeeded', 'done', 8));
      expect(await review()).toMatchObject({ status: 'failed', note: 'the manager must not be asked', criteria: [], followUps: null });
    } finally {
      store.close();
    }
  });

  it('a change is listed largest files first, as many as fit', () => {
    const files = [
      { path: 'a.ts', added: 1, removed: 0 },
      { path: 'b.ts', added: 50, removed: 5 },
      { path: 'c.ts', added: 10, removed: 0 },
    ];
    expect(describeChange(files, 1_000)).toBe('3 files, +61 −5: b.ts (+50 −5), c.ts (+10 −0), a.ts (+1 −0)');
    expect(describeChange(files, 60)).toBe('3 files, +61 −5: b.ts (+50 −5), … and 2 more');
    expect(describeChange([], 100)).toBe('no file changes');
  });
});

describe('follow-up tasks the final review proposed', () => {
  it('are added only when accepted, renumbered after the highest id; a second decision is refused', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const { runId } = seedRun(store, 2);
      const run = store.runs.get(runId);
      if (run === undefined) throw new Error('no run');
      const followUp = (id: string, dependencies: string[]) => ({ id, title: `Follow-up ${id}`, description: 'd', details: '', testStrategy: '', acceptanceCriteria: ['c'], priority: 'medium' as const, dependencies, contextFiles: [], hints: [], expectsNoChanges: false });
      store.write(() =>
        store.runSummaries.save(
          {
            runId, goal: 'g', status: 'succeeded', startedAt: 1, finishedAt: 4, durationMs: 3, costUsd: 0, inputTokens: 0, outputTokens: 0, completed: [], failed: [], waiting: 0, discoveries: [], integration: [], text: '',
            finalReview: { status: 'reviewed', verdict: 'partially_met', note: 'n', criteria: [], gaps: [], costUsd: 0, followUps: { status: 'proposed', tasks: [followUp('3', ['1']), followUp('4', ['3', '99'])], notes: [], acceptedIds: [] } },
          },
          5,
        ),
      );
      // Another task was added since the proposal: the follow-ups take the next ids.
      store.db.prepare(`INSERT INTO tasks (id, id_key, title, priority, priority_rank, status, created_at, updated_at) VALUES ('3', '00000003', 'Added by hand', 'medium', 2, 'ready', 1, 1)`).run();
      const added: unknown[] = [];
      const decided = decideFollowUps(store, (tasks) => {
        added.push(...tasks);
        return tasks.map((task) => String(task.id));
      }, runId, 'accept');
      expect(added).toEqual([expect.objectContaining({ id: '4', title: 'Follow-up 3', dependencies: ['1'] }), expect.objectContaining({ id: '5', title: 'Follow-up 4', dependencies: ['4'] })]);
      expect(decided.finalReview?.followUps).toMatchObject({ status: 'accepted', acceptedIds: ['4', '5'] });
      expect(decided.text).toContain('Follow-up tasks accepted as 4, 5.');
      expect(store.runSummaries.get(runId)?.finalReview?.followUps?.status).toBe('accepted');
      expect(() => decideFollowUps(store, () => [], runId, 'discard')).toThrow(InvalidStateError);
      expect(() => decideFollowUps(store, () => [], runId, 'discard')).toThrow('were already accepted');
    } finally {
      store.close();
    }
  });
});
