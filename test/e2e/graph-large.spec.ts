import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from './fixtures';

test.describe('project workspace: a large graph', () => {
  let folder: string;
  test.beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-large-'));
    await mkdir(join(folder, '.git'));
  });
  test.afterEach(async () => {
    // The host may still be writing .orchestrator/state.db for the open project; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('500 tasks: the graph renders and stays responsive', async ({ page, serve }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(serve.url);
    // Create the tasks through the host's own WebSocket API, layered like a plan: 10 layers of 50.
    await page.evaluate(
      async ({ token, project }) => {
        const socket = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
        await new Promise((resolve) => socket.addEventListener('open', resolve));
        const waiting = new Map<number, (ok: boolean) => void>();
        socket.addEventListener('message', (event) => {
          const message = JSON.parse(String(event.data)) as { type: string; id: number; ok: boolean };
          if (message.type === 'result') waiting.get(message.id)?.(message.ok);
        });
        const call = (id: number, method: string, input: unknown) =>
          new Promise<boolean>((resolve) => {
            waiting.set(id, resolve);
            socket.send(JSON.stringify({ type: 'invoke', id, method, input }));
          });
        await call(0, 'projects.open', { path: project });
        for (let index = 0; index < 500; index += 1) {
          const layer = Math.floor(index / 50);
          const dependencies = layer === 0 ? [] : [String((layer - 1) * 50 + 1 + ((index * 7) % 50)), String((layer - 1) * 50 + 1 + ((index * 13) % 50))];
          const ok = await call(index + 1, 'tasks.create', { project, task: { id: String(index + 1), title: `Task number ${index + 1}`, dependencies: [...new Set(dependencies)] } });
          if (!ok) throw new Error(`creating task ${index + 1} failed`);
        }
        socket.close();
      },
      { token: serve.token, project: folder },
    );

    await page.getByRole('list', { name: 'Recent projects' }).getByRole('button', { name: folder.split('/').pop() ?? '', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Tasks' }).getByRole('row')).toHaveCount(501);
    const started = Date.now();
    await page.getByRole('tab', { name: 'Graph' }).click();
    const graph = page.getByRole('region', { name: 'Dependency graph' });
    await expect(graph.locator('.react-flow__node').first()).toBeVisible();
    const elapsed = Date.now() - started;
    console.log(`[e2e] Graph tab with 500 tasks: first nodes visible after ${elapsed} ms`);
    await expect(page.getByText(/500 tasks · \d+ dependencies · use the fit button to see all · critical path: 1 → /)).toBeVisible();
    expect(elapsed).toBeLessThan(5_000);
    await page.screenshot({ path: 'test-results/screenshots/graph-500.png' });
    // Zooming in and opening a node still works.
    await graph.getByRole('button', { name: 'Zoom in' }).click();
    await graph.locator('.react-flow__node').first().click();
    await expect(page.getByRole('complementary', { name: /Task number/ })).toBeVisible();
  });
});
