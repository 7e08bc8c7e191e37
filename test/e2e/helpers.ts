import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** A temporary git repository with one commit holding `files` (default a README). */
export async function makeRepository(prefix: string, files: Readonly<Record<string, string>> = { 'README.md': '# Demo\n' }): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), prefix));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: folder, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  for (const [name, content] of Object.entries(files)) await writeFile(join(folder, name), content);
  git('add', '.');
  git('-c', 'user.name=E2E', '-c', 'user.email=e2e@example.com', 'commit', '-q', '-m', 'initial');
  return folder;
}

/** Opens a project folder from the projects screen and waits for its workspace. */
export async function openProject(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Project folder').fill(folder);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page.getByRole('region', { name: 'Current project' })).toBeVisible();
}

/** Presses Tab (or Shift+Tab) until `target` has focus; fails naming what was focused on the way. */
export async function tabTo(page: Page, target: Locator, options: { readonly backwards?: boolean; readonly max?: number } = {}): Promise<void> {
  const key = options.backwards === true ? 'Shift+Tab' : 'Tab';
  const visited: string[] = [];
  for (let step = 0; step <= (options.max ?? 60); step += 1) {
    const focus = await target.evaluate((element) => {
      const active = document.activeElement;
      const name = active === null || active === document.body ? '(body)' : `${active.getAttribute('role') ?? active.tagName.toLowerCase()} "${active.getAttribute('aria-label') ?? active.textContent?.trim().slice(0, 40) ?? ''}"`;
      return { reached: element === active, name };
    }, undefined, { timeout: 10_000 });
    if (focus.reached) return;
    visited.push(focus.name);
    await page.keyboard.press(key);
  }
  throw new Error(`${key} never reached the target; focus went through: ${visited.join(' → ')}`);
}

/** Focus is on an element inside `container` (not lost to the page body). */
export async function expectFocusWithin(container: Locator): Promise<void> {
  await expect.poll(() => container.evaluate((element) => element.contains(document.activeElement))).toBe(true);
}

/** Loads the app and opens `folder` by typing its path and pressing Enter. */
export async function openByKeyboard(page: Page, url: string, folder: string): Promise<void> {
  await page.goto(url);
  await tabTo(page, page.getByRole('textbox', { name: 'Project folder' }));
  await page.keyboard.type(folder);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Current project' })).toBeVisible();
}

/** Tabs to the project's tab list and moves along it with the arrow keys to `name`. */
export async function switchTab(page: Page, name: string): Promise<void> {
  await tabTo(page, page.getByRole('tab', { selected: true }));
  const target = page.getByRole('tab', { name, exact: true });
  for (let step = 0; step < 7 && (await target.getAttribute('aria-selected')) !== 'true'; step += 1) await page.keyboard.press('ArrowRight');
  await expect(target).toBeFocused();
  await expect(target).toHaveAttribute('aria-selected', 'true');
}

/** Focuses `target` with Tab and presses Enter on it. */
export async function activate(page: Page, target: Locator, options: { readonly backwards?: boolean } = {}): Promise<void> {
  await tabTo(page, target, options);
  await expect(target).toBeFocused();
  await page.keyboard.press('Enter');
}

/**
 * Opens a task row by keyboard: the table's rows are one Tab stop, so Tab (or Shift+Tab) to it,
 * then arrow keys to the row, then Enter.
 */
export async function activateRow(page: Page, table: Locator, row: Locator, options: { readonly backwards?: boolean } = {}): Promise<void> {
  const rowIndex = (locator: Locator) => locator.evaluate((element) => Array.from(element.closest('tbody')?.children ?? []).indexOf(document.activeElement as Element));
  const target = await row.evaluate((element) => Array.from(element.parentElement?.children ?? []).indexOf(element));
  if ((await rowIndex(row)) < 0) await tabTo(page, table.locator('tbody tr[tabindex="0"]'), options);
  for (let step = 0; step < 1_000; step += 1) {
    const current = await rowIndex(row);
    if (current === target) break;
    await page.keyboard.press(current < target ? 'ArrowDown' : 'ArrowUp');
  }
  await expect(row).toBeFocused();
  await page.keyboard.press('Enter');
}

/** Replaces the text of the focused input. */
export async function retype(page: Page, text: string): Promise<void> {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(text);
}

/** A succeeded attempt of task 1 as `attempts.list` returns it, for specs that fake a finished run's review. */
export function finishedAttempt(folder: string, review: 'approve' | 'request_changes') {
  return {
    id: 'attempt-1', taskId: '1', runId: 'run-1', number: 1, status: 'succeeded', backend: 'claude-cli', workerOwner: 'e2e', sessionId: null,
    workingDirectory: folder, worktree: null, branch: 'orchestrator/attempt-1', commitBefore: 'a'.repeat(40), commitAfter: 'b'.repeat(40),
    exitCode: 0, output: 'wrote hello.txt', errorClass: null, errorMessage: null,
    usage: { inputTokens: 1200, outputTokens: 300, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0.01, review,
    startedAt: Date.now() - 60_000, finishedAt: Date.now(),
  };
}

/** Drops a file with the given name and text on an element, as the OS would after a drag from the desktop. */
export async function dropFile(page: Page, selector: string, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([fileName, content]) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], fileName, { type: fileName.endsWith('.md') ? 'text/markdown' : 'application/octet-stream' }));
      return transfer;
    },
    [name, text] as const,
  );
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}
