import type { FinalReview, FollowUpProposal, FollowUpTask } from '../../src-shared/domain/run-summary';
import type { ExistingTask, Manager } from '../agents/manager';
import type { Store } from '../store/store';
import { gatherFinalReviewInput, type ChangeCounter } from './final-review-input';

/** What the final review needs. */
export interface FinishReviewDeps {
  readonly projectDir: string;
  readonly store: Store;
  /** models.final_review (default: on when review is on). */
  readonly enabled: boolean;
  /** The manager; may throw a ConfigurationError saying how to add a key. */
  readonly manager: () => Manager;
  /** Lessons of earlier runs for the follow-up planning. */
  readonly lessons?: ReadonlyArray<string>;
  /** Reads a task's change; default `git diff --numstat`. */
  readonly counter?: ChangeCounter;
  readonly signal?: AbortSignal;
  /** Told once the review is not skipped, just before the manager is asked. */
  readonly onAsk?: () => void;
}

/** Longest description of an existing task the follow-up planning is shown. */
const EXISTING_DESCRIPTION_CHARS = 200;
/** Most tasks outside the run the follow-up planning is shown. */
const MAX_OTHER_TASKS = 100;
/** Most gaps the follow-up planning is asked to close. */
const MAX_GAPS = 40;

/**
 * The finish stage's final review: after the run's work is merged (into the user's branch, or kept
 * on its branch), the manager reviews the run's integrated change against the goal, the PRD and every
 * task's acceptance criteria (per-task change summaries, bounded: see final-review-input.ts) and
 * reports each criterion met or not. For what is not met, and for gaps against the goal, it proposes
 * follow-up tasks through analyzeAndPlan — stored as a proposal the user accepts or discards, never
 * added by itself. Skipped, with a note, when it is off, without git, or when the run changed nothing;
 * a manager that cannot be reached fails the review, never the run.
 */
export async function finalReviewOfRun(deps: FinishReviewDeps, runId: string): Promise<FinalReview> {
  if (!deps.enabled) return skipped('the final review is off (models.final_review)');
  const run = deps.store.runs.get(runId);
  const integration = deps.store.integrations.get(runId);
  if (run === undefined || integration === undefined) return skipped("it reviews the run's integrated change, which needs git worktrees");
  if (integration.tip === integration.baseCommit) return skipped('the run changed nothing');
  // A run the user stopped is not done: judging it against the goal would only list what it never reached.
  if (run.status === 'cancelled') return skipped('the run was stopped before it finished');
  let manager: Manager;
  try {
    manager = deps.manager();
  } catch (error) {
    return { ...skipped(messageOf(error)), status: 'failed' };
  }
  deps.onAsk?.();
  const input = await gatherFinalReviewInput(deps.projectDir, deps.store, run, integration, deps.counter);
  const options = deps.signal === undefined ? {} : { signal: deps.signal };
  let answer: Awaited<ReturnType<Manager['finalReview']>>;
  try {
    answer = await manager.finalReview(input, options);
  } catch (error) {
    return { ...skipped(`the manager could not review the run: ${messageOf(error)}`), status: 'failed' };
  }
  const unmet = answer.criteria.filter((criterion) => !criterion.met);
  const gaps = [
    ...unmet.map((criterion) => `task ${criterion.taskId} "${deps.store.tasks.get(criterion.taskId)?.title ?? ''}", criterion ${criterion.index} "${criterion.criterion}" is not met${criterion.note === null ? '' : `: ${criterion.note}`}`),
    ...answer.gaps.map((gap) => `goal gap: ${gap}`),
  ].slice(0, MAX_GAPS);
  let costUsd = answer.costUsd;
  let followUps: FollowUpProposal | null = null;
  let note = answer.summary;
  if (gaps.length > 0) {
    try {
      const goal = [
        `The run toward this goal has finished: ${input.goal}`,
        'Its final review found the gaps below. Propose new follow-up tasks that close them (do not change existing tasks):',
        ...gaps.map((gap) => `- ${gap}`),
      ].join('\n');
      const plan = await manager.analyzeAndPlan(existingTasks(deps.store, input.tasks.map((task) => task.id)), goal, { ...options, ...(deps.lessons === undefined ? {} : { lessons: deps.lessons }) });
      costUsd += plan.costUsd;
      if (plan.additions.length > 0) {
        followUps = {
          status: 'proposed',
          tasks: plan.additions.map((task): FollowUpTask => ({ ...task, acceptanceCriteria: [...task.acceptanceCriteria], dependencies: [...task.dependencies], contextFiles: [...task.contextFiles], hints: [...task.hints] })),
          notes: [...plan.notes.map((repair) => repair.message), ...(plan.modelNotes === undefined ? [] : [plan.modelNotes])],
          acceptedIds: [],
        };
      }
    } catch (error) {
      note = `${note} (No follow-up tasks could be proposed: ${messageOf(error)})`;
    }
  }
  return { status: 'reviewed', verdict: answer.verdict, note, criteria: answer.criteria, gaps: answer.gaps, costUsd, followUps };
}

/**
 * The tasks the follow-up planning sees, so a big project stays a small request: the run's own, then
 * up to MAX_OTHER_TASKS others (unfinished ones first), descriptions cut.
 */
function existingTasks(store: Store, runTaskIds: ReadonlyArray<string>): ReadonlyArray<ExistingTask> {
  const ofRun = new Set(runTaskIds);
  const all = store.tasks.list();
  const others = all.filter((task) => !ofRun.has(task.id)).sort((a, b) => Number(a.status === 'done') - Number(b.status === 'done'));
  const shown = new Set([...runTaskIds, ...others.slice(0, MAX_OTHER_TASKS).map((task) => task.id)]);
  return all.filter((task) => shown.has(task.id)).map((task) => ({
    id: task.id,
    title: task.title,
    description: task.description.length > EXISTING_DESCRIPTION_CHARS ? `${task.description.slice(0, EXISTING_DESCRIPTION_CHARS - 1)}…` : task.description,
    priority: task.priority,
    dependencies: task.dependencies,
    status: task.status,
  }));
}

function skipped(note: string): FinalReview {
  return { status: 'skipped', verdict: null, note, criteria: [], gaps: [], costUsd: 0, followUps: null };
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, '');
}
