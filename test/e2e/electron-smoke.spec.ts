import { _electron as electron, test, expect } from '@playwright/test';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..', '..');

/** Path of the Electron binary the electron package downloaded, or null when it could not. */
function electronBinary(): string | null {
  const pathFile = join(repoRoot, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(repoRoot, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** The app loads better-sqlite3's Electron build from here (scripts/build-electron-native.mjs). */
const electronSqlite = join(repoRoot, 'dist', 'electron-native', 'better_sqlite3.node');

test('the desktop shell opens its window and reaches the host over IPC', async () => {
  const binary = electronBinary();
  const missing =
    binary === null
      ? 'no Electron binary on this machine (it cannot be downloaded here); the shell is covered by the stand-in tests in test/integration/electron'
      : !existsSync(electronSqlite)
        ? `no Electron build of better-sqlite3 at ${electronSqlite}: run \`npm run build:electron-native\` first`
        : null;
  if (missing !== null) console.log(`[e2e] Electron smoke test skipped: ${missing}.`);
  test.skip(missing !== null, missing ?? '');
  // Its own user-data folder: never the developer's recent projects, never shared between runs.
  const userData = mkdtempSync(join(tmpdir(), 'co-electron-e2e-'));
  try {
    // Playwright puts --inspect and --remote-debugging-port before these; the app finds its path anyway.
    const args = [repoRoot, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    const app = await electron.launch({ executablePath: binary ?? '', args, cwd: repoRoot, env: { ...process.env, CO_USER_DATA: userData } as Record<string, string> });
    const window = await app.firstWindow();
    await expect(window.getByRole('status', { name: 'Host status' })).toContainText('electron-ipc');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'))).toBe(userData);
    await app.close();
  } finally {
    rmSync(userData, { recursive: true, force: true });
  }
});
