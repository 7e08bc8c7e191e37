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
}

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
  const offRun = bus.on('run.finished', ({ run, counts }) => {
    const summary = `${counts.done} done, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled`;
    const headline = run.status === 'succeeded' ? 'Run complete' : `Run ${run.status}`;
    if (options.onAllComplete) slack(`🏁 ${headline}: ${summary}.`);
    if (options.desktopEnabled) {
      options.desktop.notify({
        title: `${headline} · ${options.projectName}`,
        body: summary,
        ...(options.projectPath === undefined ? {} : { project: options.projectPath }),
        urgency: run.status === 'succeeded' ? 'normal' : 'attention',
      });
    }
  });

  return async () => {
    offTask();
    offRun();
    await Promise.all([...inFlight]);
  };
}
