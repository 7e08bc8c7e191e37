import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { makeRepository } from './helpers';

const SHOTS = 'test-results/screenshots';

test.describe('checkpoints: create, preview and roll back', () => {
  let folder: string;
  test.beforeEach(async ({ page }) => {
    folder = await makeRepository('co-e2e-checkpoints-', { 'README.md': '# Demo\n', '.gitignore': '.orchestrator/\n' });
    await page.setViewportSize({ width: 1400, height: 900 });
  });
  test.afterEach(async () => {
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  });

  test('a FULL rollback previews and restores a file changed on disk', async ({ page, serve }) => {
    await page.goto(serve.url);
    await page.getByLabel('Project folder').fill(folder);
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('region', { name: 'Current project' })).toBeVisible();
    await page.getByRole('tab', { name: 'Checkpoints' }).click();
    await expect(page.getByText('No checkpoints yet.')).toBeVisible();

    const create = page.getByRole('form', { name: 'Create a checkpoint' });
    await create.getByLabel('Description').fill('Before my edits');
    await create.getByRole('button', { name: 'Create checkpoint' }).click();
    const list = page.getByRole('table', { name: 'Checkpoint list' });
    await expect(list.getByRole('row', { name: /Before my edits/ })).toBeVisible();

    await writeFile(join(folder, 'README.md'), '# Demo, edited by hand\n');
    await writeFile(join(folder, 'scratch.txt'), 'a new file\n');

    await list.getByRole('button', { name: 'Roll back… to Before my edits' }).click();
    const panel = page.getByRole('complementary', { name: /Roll back to/ });
    await expect(panel.getByRole('radio', { name: /Full/ })).toBeChecked();
    await panel.getByRole('radio', { name: /Selective/ }).check();
    await expect(panel.getByRole('button', { name: 'Preview' })).toBeDisabled();
    await panel.getByRole('radio', { name: /Full/ }).check();
    await panel.getByRole('button', { name: 'Preview' }).click();
    const files = panel.getByRole('list', { name: 'Files that change' });
    await expect(files.getByRole('listitem').filter({ hasText: 'README.md' })).toContainText('restored');
    await expect(files.getByRole('listitem').filter({ hasText: 'scratch.txt' })).toContainText('deleted');
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toBe('# Demo, edited by hand\n');
    await page.screenshot({ path: `${SHOTS}/checkpoints.png`, fullPage: true });

    await panel.getByRole('button', { name: 'Roll back', exact: true }).click();
    await panel.getByRole('group', { name: 'Confirm rollback' }).getByRole('button', { name: 'Confirm roll back' }).click();
    const result = panel.getByRole('status', { name: 'Rollback result' });
    await expect(result).toContainText('1 file restored, 1 deleted');
    await expect(result).toContainText('Undo with checkpoint');
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toBe('# Demo\n');
    await expect(list.getByRole('row', { name: /Before FULL rollback/ })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/checkpoints-rolled-back.png`, fullPage: true });

    // Undo: the edit and the new file come back.
    await result.getByRole('button', { name: 'Undo rollback' }).click();
    const confirmUndo = result.getByRole('group', { name: 'Confirm undo' });
    await expect(confirmUndo).toBeFocused();
    await confirmUndo.getByRole('button', { name: 'Confirm undo' }).click();
    await expect(result).toContainText('Rollback undone');
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toBe('# Demo, edited by hand\n');
    expect(await readFile(join(folder, 'scratch.txt'), 'utf8')).toBe('a new file\n');

    await result.getByRole('button', { name: 'Open undo checkpoint' }).click();
    await expect(page.getByRole('complementary', { name: /Roll back to “Before FULL rollback/ })).toBeVisible();
    // With the panel closed, the view offers to undo the last rollback (here: the undo itself).
    await page.getByRole('button', { name: 'Close rollback' }).click();
    await expect(page.getByRole('region', { name: 'Last rollback' }).getByRole('button', { name: 'Undo rollback' })).toBeVisible();
    await expect(list.getByRole('row', { name: /Before FULL rollback/ }).first()).toContainText('undo of the last rollback');
  });
});
