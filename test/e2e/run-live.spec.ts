import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The Run view's live parts (lanes, log stream, progress, pause banner) driven by pushed
 * events injected into the real host's WebSocket, until the run-to-completion test with the
 * real Claude CLI and the fake Anthropic server exists. Calls still go to the real host.
 */
test.describe('project workspace: live run events', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-live-'));
    execFileSync('git', ['init', '-q'], { cwd: folder });
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('lanes, a virtualised log of thousands of lines, progress and the pause banner', async ({ page, serve }) => {
    let socket: WebSocketRoute | undefined;
    await page.routeWebSocket(/\/rpc\?token=/, (route) => {
      route.connectToServer();
      socket = route;
    });
    const push = (event: string, payload: object) => socket?.send(JSON.stringify({ type: 'event', event, payload: { project: folder, ...payload } }));

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Design the schema');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    await expect(page.getByRole('table', { name: 'Tasks' })).toContainText('Design the schema');
    await page.getByRole('tab', { name: 'Run' }).click();
    await expect(page.getByRole('status', { name: 'Run state' })).toHaveText('Idle');

    const run = { id: 'run-1', goal: null, status: 'running', owner: 'e2e', maxWorkers: 2, taskIds: null, startedAt: Date.now(), finishedAt: null, summary: null };
    const attempt = {
      id: 'attempt-1', taskId: '1', runId: 'run-1', number: 1, status: 'running', backend: 'claude-cli', workerOwner: 'e2e', sessionId: null,
      workingDirectory: folder, worktree: null, branch: null, commitBefore: null, commitAfter: null, exitCode: null, output: null, errorClass: null,
      errorMessage: null, usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0, review: null,
      startedAt: Date.now(), finishedAt: null,
    };
    push('run.started', { run });
    push('attempt.started', { attempt });
    push('run.progress', { runId: 'run-1', counts: { pending: 0, ready: 0, in_progress: 1, done: 2 }, total: 3, settled: 2, activeWorkers: 1 });
    const at = Date.now();
    push('attempt.log', { attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq: 1, at, kind: 'tool_use', text: 'Write {"file_path":"schema.sql"}' });
    push('attempt.log', { attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq: 2, at, kind: 'stderr', text: '\u001b[31mwarning\u001b[0m: colour codes stripped' });
    for (let seq = 3; seq <= 3_000; seq += 1) push('attempt.log', { attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq, at, kind: 'assistant.text', text: `line ${seq}` });

    const lanes = page.getByRole('list', { name: 'Worker lanes' });
    await expect(lanes).toContainText('Design the schema');
    await expect(lanes).toContainText('running');
    await expect(page.getByRole('region', { name: 'Progress' })).toContainText('2/3 settled');
    const log = page.getByRole('log', { name: 'Live log of all workers' });
    await expect(log).toContainText('line 3000');
    // Only the visible lines are in the DOM.
    expect(await log.locator('.log-line').count()).toBeLessThan(120);

    // Scrolling up pauses following; new lines do not pull the view down.
    await log.evaluate((element) => element.scrollTo({ top: 0 }));
    await expect(log).toContainText('Write {"file_path":"schema.sql"}');
    await expect(log.getByText('tool', { exact: true })).toBeVisible();
    await expect(log).toContainText('warning: colour codes stripped');
    await expect(page.getByRole('button', { name: 'Follow new lines' })).toBeVisible();
    push('attempt.log', { attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq: 3_001, at, kind: 'assistant.text', text: 'line 3001' });
    await expect(page.getByRole('list', { name: 'Worker lanes' })).toContainText('3001 lines');
    await expect(log).not.toContainText('line 3001');
    await page.getByRole('button', { name: 'Follow new lines' }).click();
    await expect(log).toContainText('line 3001');

    push('pool.paused', { until: Date.now() + 60_000, reason: 'rate limited (429)' });
    await expect(page.getByRole('alert')).toContainText('Workers paused: rate limited (429)');
    await page.screenshot({ path: 'test-results/screenshots/run-live.png', fullPage: true });
    push('pool.resumed', {});
    await expect(page.getByRole('alert')).toHaveCount(0);

    push('attempt.finished', { attempt: { ...attempt, status: 'succeeded', costUsd: 0.0123, finishedAt: Date.now() } });
    await expect(lanes).toContainText('succeeded');
    await expect(lanes).toContainText('$0.01');
    await lanes.getByRole('button', { name: /Design the schema/ }).click();
    await expect(page.getByRole('log', { name: 'Live log of the selected worker' })).toContainText('line 3001');
  });
});
