import type { RunSummary } from '../../src-shared/domain/run-summary';
import type { TaskStatus } from '../../src-shared/domain/task-status';
import type { EngineEventBus } from '../engine/engine-events';
import type { DesktopNotifier } from './desktop-notifier';
import { postSlackMessage, type SlackPostOptions } from './slack-webhook';

/** What to notify about, and where (the seeds' notifications section). */
export interface RunNotifierOptions {
  readonly desktop: DesktopNotifier;
  readonly desktopEnabled: boolean;
  readonly slackWebhookUrl?: string;
  readonly onTaskComplete: boolean;
  readonly onTaskFailed: boolean;
  readonly onAllComplete: boolean;
  readonly projectName: string;
  /** The project folder, so a clicked notification can open the right project. */
  readonly projectPath?: string;
  /** Title of a task for messages; falls back to its id. */
  readonly taskTitle: (taskId: string) => string | undefined;
  /** Told when a Slack post fails (already free of secrets). */
  readonly onError?: (message: string) => void;
  readonly slack?: SlackPostOptions;
  /**
   * Each run's summary follows its finish stage (`run.summarized`: merge, final review): the run's
   * notification waits for it and carries it. Off: the notification comes at `run.finished`.
   */
  readonly withSummary?: boolean;
}

/** Longest summary a Slack message carries. */
const SLACK_SUMMARY_CHARS = 2_500;

/** Subscribes notifications to the engine's events; returns a function that stops them and waits for posts in flight. */
export function attachRunNotifier(bus: EngineEventBus, options: RunNotifierOptions): () => Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const slack = (text: string): void => {
    const url = options.slackWebhookUrl;
    if (url === undefined || url === '') return;
    const post = postSlackMessage(url, `[${options.projectName}] ${text}`, options.slack).then((error) => {
      if (error !== null) options.onError?.(error);
    });
    inFlight.add(post);
    void post.finally(() => inFlight.delete(post));
  };
  const label = (taskId: string): string => {
    const title = options.taskTitle(taskId);
    return title === undefined ? `task ${taskId}` : `task ${taskId} "${title}"`;
  };

  const offTask = bus.on('task.changed', (event) => {
    if (event.previousStatus === event.status) return;
    if (event.status === 'done' && options.onTaskComplete) slack(`✅ ${label(event.taskId)} is done.`);
    if (event.status === 'failed' && options.onTaskFailed) {
      const why = event.reason === null ? '' : `: ${event.reason}`;
      slack(`❌ ${label(event.taskId)} failed${why}`);
      if (options.desktopEnabled) {
        options.desktop.notify({
          title: 'A task needs attention',
          body: `${label(event.taskId)} failed${why}`,
          taskId: event.taskId,
          ...(options.projectPath === undefined ? {} : { project: options.projectPath }),
          urgency: 'attention',
        });
      }
    }
  });
  const announce = (status: string, counts: Readonly<Record<TaskStatus, number>>, summary: RunSummary | null): void => {
    const tally = `${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled`;
    const headline = status === 'succeeded' ? 'Run complete' : `Run ${status}`;
    const details = summary === null ? [] : summaryHighlights(summary);
    if (options.onAllComplete) slack(summary === null ? `🏁 ${headline}: ${tally}.` : `🏁 ${headline}: ${tally}.\n${clip(summary.text, SLACK_SUMMARY_CHARS)}`);
    if (options.desktopEnabled) {
      options.desktop.notify({
        title: `${headline} · ${options.projectName}`,
        body: [tally, ...details].join(' · '),
        ...(options.projectPath === undefined ? {} : { project: options.projectPath }),
        urgency: status === 'succeeded' ? 'normal' : 'attention',
      });
    }
  };
  const finishedCounts = new Map<string, Readonly<Record<TaskStatus, number>>>();
  const offRun = bus.on('run.finished', ({ run, counts }) => {
    if (options.withSummary === true) finishedCounts.set(run.id, counts);
    else announce(run.status, counts, null);
  });
  const offSummary = bus.on('run.summarized', ({ runId, summary }) => {
    const counts = finishedCounts.get(runId);
    // Once per run: a summary announced again (the user decided on its follow-ups) is not a new notification.
    if (counts === undefined) return;
    finishedCounts.delete(runId);
    announce(summary.status, counts, summary);
  });

  return async () => {
    offTask();
    offRun();
    offSummary();
    await Promise.all([...inFlight]);
  };
}

/** The parts of a summary a short notification shows: cost, time, the final review's verdict, proposed follow-ups. */
function summaryHighlights(summary: RunSummary): ReadonlyArray<string> {
  const parts = [`$${summary.costUsd.toFixed(2)}`];
  const review = summary.finalReview;
  if (review !== null && review.status === 'reviewed') {
    const met = review.criteria.filter((criterion) => criterion.met).length;
    parts.push(`final review: ${(review.verdict ?? 'not_met').replace('_', ' ')} (${met}/${review.criteria.length} criteria)`);
    if (review.followUps?.status === 'proposed') parts.push(`${review.followUps.tasks.length} follow-up tasks proposed`);
  }
  return parts;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
