import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';

/**
 * The desktop shell pushes `ui.openProject` (File → Open Project…, a clicked notification) and
 * `ui.focusTask` (a clicked notification). The Electron binary cannot run here, so the events are
 * injected into the real host's WebSocket; the page must react as it would in the app.
 */
test.describe('desktop shell requests', () => {
  let folder: string;
  test.beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-desktop-'));
    execFileSync('git', ['init', '-q'], { cwd: folder });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('opening a project and focusing a task on request', async ({ page, serve }) => {
    let socket: WebSocketRoute | undefined;
    await page.routeWebSocket(/\/rpc\?token=/, (route) => {
      route.connectToServer();
      socket = route;
    });
    const push = (event: string, payload: object) => socket?.send(JSON.stringify({ type: 'event', event, payload }));

    await page.goto(serve.url);
    await expect(page.getByRole('status', { name: 'Host status' })).toContainText('Connected');
    push('ui.openProject', { path: folder });
    const current = page.getByRole('region', { name: 'Current project' });
    await expect(current).toContainText(folder.split('/').pop() ?? '');

    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Wire the login form');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    await expect(page.getByRole('table', { name: 'Tasks' })).toContainText('Wire the login form');
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Add the logout button');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    await expect(page.getByRole('table', { name: 'Tasks' })).toContainText('Add the logout button');
    await page.getByRole('row', { name: /Add the logout button/ }).click();
    const detail = page.getByRole('complementary').filter({ hasText: 'Acceptance criteria' });
    await expect(detail).toContainText('Add the logout button');

    await page.getByRole('tab', { name: 'Usage' }).click();
    push('ui.focusTask', { project: folder, taskId: '1' });
    await expect(page.getByRole('tab', { name: 'Tasks' })).toHaveAttribute('aria-selected', 'true');
    await expect(detail).toContainText('Wire the login form');
    await expect(detail).not.toContainText('Add the logout button');
  });

  test('a request for a missing folder says so; opening another project lets go of the first', async ({ page, serve }) => {
    let socket: WebSocketRoute | undefined;
    await page.routeWebSocket(/\/rpc\?token=/, (route) => {
      route.connectToServer();
      socket = route;
    });
    const push = (event: string, payload: object) => socket?.send(JSON.stringify({ type: 'event', event, payload }));
    const second = await mkdtemp(join(tmpdir(), 'co-e2e-desktop-second-'));
    try {
      await page.goto(serve.url);
      await expect(page.getByRole('status', { name: 'Host status' })).toContainText('Connected');

      // A notification about a project whose folder has gone: an alert the user can dismiss.
      push('ui.openProject', { path: join(folder, 'gone') });
      const problem = page.getByRole('group', { name: 'Could not open the project' });
      await expect(problem.getByRole('alert')).toContainText(`No folder at ${join(folder, 'gone')}`);
      await problem.getByRole('button', { name: 'Dismiss' }).click();
      await expect(problem).toHaveCount(0);

      // The first project is open (and held by this app) once its tasks are listed.
      push('ui.openProject', { path: folder });
      await expect(page.getByRole('region', { name: 'Current project' })).toContainText(folder.split('/').pop() ?? '');
      await expect(page.getByText('No tasks yet.', { exact: false })).toBeVisible();
      await expect.poll(() => existsSync(join(folder, '.orchestrator', 'host.lock'))).toBe(true);

      // File → Open Project… with another folder: the window moves on and the first is released.
      push('ui.openProject', { path: second });
      await expect(page.getByRole('region', { name: 'Current project' })).toContainText(second.split('/').pop() ?? '');
      await expect.poll(() => existsSync(join(folder, '.orchestrator', 'host.lock'))).toBe(false);
    } finally {
      await rm(second, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    }
  });
});
