import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

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
