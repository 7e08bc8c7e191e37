import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WebSocketRoute } from '@playwright/test';
import { expect, test } from './fixtures';
import { finishedAttempt } from './helpers';

const SHOTS = 'test-results/screenshots';

const PATCH = [
  'diff --git a/hello.txt b/hello.txt',
  'new file mode 100644',
  'index 0000000..3b18e51',
  '--- /dev/null',
  '+++ b/hello.txt',
  '@@ -0,0 +1,2 @@',
  '+Hello, world',
  '+key=sk-ant-api03-****',
  'diff --git a/README.md b/README.md',
  'index 8ae0569..d3f0b5c 100644',
  '--- a/README.md',
  '+++ b/README.md',
  '@@ -1 +1,2 @@',
  ' # Demo',
  '+See hello.txt.',
  '',
].join('\n');

/**
 * The Review section of the task detail: the attempt list and its diff are answered in the
 * test (a finished worktree attempt needs the real CLI and the fake API, which the run journey
 * covers); the verdict itself goes to the real host.
 */
test.describe('task review: diff, verdict and request changes', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await mkdtemp(join(tmpdir(), 'co-e2e-review-'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
    git('init', '-q', '-b', 'main');
    await writeFile(join(folder, 'README.md'), '# Demo\n');
    git('add', '.');
    git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
    await page.setViewportSize({ width: 1400, height: 1000 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('shows the diff and the manager’s verdict, and sends the task back with feedback', async ({ page, serve }) => {
    await page.routeWebSocket(/\/rpc\?token=/, (route: WebSocketRoute) => {
      const server = route.connectToServer();
      route.onMessage((raw) => {
        const message = JSON.parse(String(raw)) as { id: number; method: string; input: { id?: string } };
        const output = answer(message.method, folder);
        if (output === undefined) server.send(raw);
        else route.send(JSON.stringify({ type: 'result', id: message.id, ok: true, output }));
      });
    });

    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('button', { name: 'Add task' }).click();
    await page.getByRole('form', { name: 'New task' }).getByLabel('Title').fill('Write the greeting');
    await page.getByRole('form', { name: 'New task' }).getByRole('button', { name: 'Create task' }).click();
    const table = page.getByRole('table', { name: 'Tasks' });
    await table.getByRole('row', { name: /Write the greeting/ }).click();
    const detail = page.getByRole('complementary', { name: /Write the greeting/ });
    await detail.getByLabel('New status').selectOption('done');
    await detail.getByRole('button', { name: 'Set status' }).click();
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('done');

    const review = detail.getByRole('region', { name: 'Review' });
    await expect(review).toContainText('Manager’s verdict: changes requested');
    const diff = review.getByRole('region', { name: 'Diff of attempt 1' });
    await expect(diff).toContainText('hello.txt');
    await expect(diff).toContainText('Hello, world');
    await expect(diff).toContainText('See hello.txt.');
    await expect(review.getByRole('group', { name: 'Your verdict' }).getByRole('button', { name: 'Request changes' })).toBeDisabled();
    await review.getByLabel('Feedback (required to request changes)').fill('Greet the user by name.');
    await detail.evaluate((element) => element.scrollTo(0, element.scrollHeight));
    await page.screenshot({ path: `${SHOTS}/review.png`, fullPage: true });

    await review.getByRole('button', { name: 'Request changes' }).click();
    await expect(table.getByRole('row', { name: /Write the greeting/ })).toContainText('ready');
    await expect(review).toContainText('Changes requested: Greet the user by name.');
  });
});

/** Answers for the methods this test fakes; undefined sends the call to the real host. */
function answer(method: string, folder: string): unknown {
  if (method === 'attempts.list') {
    return [finishedAttempt(folder, 'request_changes')];
  }
  if (method === 'attempts.comments') return [];
  if (method === 'attempts.diff') {
    return {
      baseCommit: 'a'.repeat(40),
      files: [
        { path: 'hello.txt', status: 'added', additions: 2, deletions: 0 },
        { path: 'README.md', status: 'modified', additions: 1, deletions: 0 },
      ],
      patch: PATCH,
      truncated: false,
    };
  }
  return undefined;
}
