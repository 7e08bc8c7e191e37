import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChecksConfig } from '../../../src-shared/config/config-schema';

/** Lockfiles whose change means dependencies must be installed again (checks.setup_inputs when it is empty). */
export const KNOWN_LOCKFILES: ReadonlyArray<string> = [
  'package-lock.json',
  'npm-shrinkwrap.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lock',
  'bun.lockb',
  'uv.lock',
  'poetry.lock',
  'Pipfile.lock',
  'requirements.txt',
  'requirements-dev.txt',
  'Cargo.lock',
  'go.sum',
];

/** The files checks.setup depends on in a folder: checks.setup_inputs, or the known lockfiles present there. */
export function setupInputFiles(dir: string, checks: Pick<ChecksConfig, 'setup_inputs'>): string[] {
  if (checks.setup_inputs.length > 0) return [...checks.setup_inputs];
  return KNOWN_LOCKFILES.filter((file) => existsSync(path.join(dir, file)));
}

/**
 * A fingerprint of what checks.setup depends on in a folder: its commands and its input files'
 * contents (a missing file counts as missing). Equal fingerprints mean setup need not run again.
 */
export async function setupFingerprint(dir: string, checks: Pick<ChecksConfig, 'setup' | 'setup_inputs'>): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(checks.setup));
  for (const file of setupInputFiles(dir, checks)) {
    hash.update(`\0${file}\0`);
    const content = await readFile(path.join(dir, file)).catch(() => null);
    hash.update(content === null ? '(missing)' : createHash('sha256').update(content).digest('hex'));
  }
  return hash.digest('hex');
}
