import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import type { DesktopNotification } from '../../../src-main/notify/desktop-notifier';
import { attachRunNotifier } from '../../../src-main/notify/run-notifier';
import { checkSlackWebhookUrl, postSlackMessage } from '../../../src-main/notify/slack-webhook';
import { TASK_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';
import type { Run } from '../../../src-shared/domain/run';

/** A loopback stand-in for Slack's incoming webhook that records what it is sent. */
function startWebhook(status = 200): Promise<{ url: string; posts: unknown[]; server: Server }> {
  const posts: unknown[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      posts.push(JSON.parse(body));
      response.writeHead(status).end(status === 200 ? 'ok' : 'invalid_token');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    resolve({ url: `http://127.0.0.1:${port}/services/T000/B000/SECRETPART`, posts, server });
  }));
}

function counts(partial: Partial<Record<TaskStatus, number>>): Record<TaskStatus, number> {
  return Object.fromEntries(TASK_STATUSES.map((status) => [status, partial[status] ?? 0])) as Record<TaskStatus, number>;
}

const run: Run = { id: 'r1', goal: null, status: 'failed', owner: 'test', maxWorkers: 2, taskIds: null, startedAt: 1, finishedAt: 2, summary: null };

describe('run notifications', () => {
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  beforeEach(async () => {
    webhook = await startWebhook();
  });
  afterEach(async () => {
    await new Promise((resolve) => webhook.server.close(resolve));
  });

  it('posts task and run events to Slack and shows OS notifications for what needs attention', async () => {
    const bus = new EngineEventBus();
    const shown: DesktopNotification[] = [];
    const stop = attachRunNotifier(bus, {
      desktop: { notify: (notification) => shown.push(notification) },
      desktopEnabled: true,
      slackWebhookUrl: webhook.url,
      onTaskComplete: true,
      onTaskFailed: true,
      onAllComplete: true,
      projectName: 'shop',
      taskTitle: (id) => (id === '1' ? 'Login page' : undefined),
      slack: { allowLoopbackHttp: true },
    });
    bus.emit('task.changed', { taskId: '1', status: 'done', previousStatus: 'review', reason: null, runId: 'r1' });
    bus.emit('task.changed', { taskId: '2', status: 'failed', previousStatus: 'in_progress', reason: 'tests fail', runId: 'r1' });
    bus.emit('run.finished', { run, counts: counts({ done: 1, failed: 1 }) });
    await stop();

    expect(webhook.posts).toEqual([
      { text: '[shop] ✅ task 1 "Login page" is done.' },
      { text: '[shop] ❌ task 2 failed: tests fail' },
      { text: '[shop] 🏁 Run failed: 1 done, 1 failed, 0 blocked, 0 cancelled.' },
    ]);
    expect(shown.map((n) => [n.title, n.urgency, n.taskId])).toEqual([
      ['A task needs attention', 'attention', '2'],
      ['Run failed · shop', 'attention', undefined],
    ]);
  });

  it('respects the switches: nothing for completed tasks when on_task_complete is off', async () => {
    const bus = new EngineEventBus();
    const stop = attachRunNotifier(bus, {
      desktop: { notify: () => undefined },
      desktopEnabled: false,
      slackWebhookUrl: webhook.url,
      onTaskComplete: false,
      onTaskFailed: false,
      onAllComplete: false,
      projectName: 'shop',
      taskTitle: () => undefined,
      slack: { allowLoopbackHttp: true },
    });
    bus.emit('task.changed', { taskId: '1', status: 'done', previousStatus: 'review', reason: null, runId: 'r1' });
    bus.emit('run.finished', { run: { ...run, status: 'succeeded' }, counts: counts({ done: 1 }) });
    await stop();
    expect(webhook.posts).toEqual([]);
  });

  it('reports a refused or unreachable webhook without the webhook URL in the message', async () => {
    const refusing = await startWebhook(403);
    try {
      const refused = await postSlackMessage(refusing.url, 'hi', { allowLoopbackHttp: true });
      expect(refused).toContain('HTTP 403');
      expect(refused).not.toContain('SECRETPART');
    } finally {
      await new Promise((resolve) => refusing.server.close(resolve));
    }
    const unreachable = await postSlackMessage('http://127.0.0.1:1/services/SECRETPART', 'hi', { allowLoopbackHttp: true });
    expect(unreachable).toContain('could not connect');
    expect(unreachable).not.toContain('SECRETPART');
  });

  it('refuses webhooks that are not https', () => {
    expect(checkSlackWebhookUrl('http://hooks.slack.com/services/x')).toContain('https://');
    expect(checkSlackWebhookUrl('not a url')).toContain('not a URL');
    expect(checkSlackWebhookUrl('https://hooks.slack.com/services/x')).toBeNull();
  });
});
