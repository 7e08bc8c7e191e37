import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'co-unit-'));
  folders.push(folder);
  return folder;
}

/** A database path in a fresh temporary folder. */
export function temporaryDatabasePath(): string {
  return path.join(temporaryFolder(), '.orchestrator', 'state.db');
}
