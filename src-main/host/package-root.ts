import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Finds the folder holding our package.json, from source (tests) and from dist (built app) alike. */
export function findPackageRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let folder = start;
  for (;;) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate) && readPackageName(candidate) === 'claude-orchestrator') return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error(`Could not find the claude-orchestrator package.json above ${start}.`);
    folder = parent;
  }
}

/** The app's version from package.json. */
export function readAppVersion(root: string = findPackageRoot()): string {
  const parsed = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof parsed.version === 'string' ? parsed.version : '0.0.0';
}

function readPackageName(file: string): unknown {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}
