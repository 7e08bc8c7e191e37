import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** State of a working directory before an attempt, to compare with afterwards. */
export type FolderSnapshot =
  | {
      readonly kind: 'git';
      readonly head: string | undefined;
      readonly status: ReadonlyMap<string, string>;
      /** Modification times of files already dirty before, to notice further changes to them. */
      readonly dirtyTimes: ReadonlyMap<string, number>;
    }
  | { readonly kind: 'files'; readonly files: ReadonlyMap<string, number> }
  | { readonly kind: 'none' };

/** Files an attempt changed, relative to the working directory. */
export interface FileChanges {
  readonly filesModified: ReadonlyArray<string>;
  readonly filesCreated: ReadonlyArray<string>;
}

const MAX_SCANNED_FILES = 20_000;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.orchestrator']);

/** Snapshot of a folder: `git status` in a repository, else file modification times (bounded). */
export async function snapshotFolder(folder: string): Promise<FolderSnapshot> {
  const status = await gitStatus(folder);
  if (status !== undefined) return { kind: 'git', head: await gitHead(folder), status, dirtyTimes: await modificationTimes(folder, [...status.keys()]) };
  try {
    return { kind: 'files', files: await scanFiles(folder) };
  } catch {
    return { kind: 'none' };
  }
}

/** What changed between a snapshot and now; never throws (a folder it cannot read reports nothing). */
export async function changesSince(folder: string, before: FolderSnapshot): Promise<FileChanges> {
  const created = new Set<string>();
  const modified = new Set<string>();
  try {
    switch (before.kind) {
      case 'git': {
        const after = (await gitStatus(folder)) ?? new Map<string, string>();
        const afterTimes = await modificationTimes(folder, [...before.dirtyTimes.keys()]);
        for (const [path, code] of after) {
          if (before.status.get(path) === code && before.dirtyTimes.get(path) === afterTimes.get(path)) continue;
          if (!before.status.has(path) && (code === '??' || code.startsWith('A'))) created.add(path);
          else modified.add(path);
        }
        for (const path of before.status.keys()) if (!after.has(path)) modified.add(path);
        const head = await gitHead(folder);
        if (before.head !== undefined && head !== undefined && head !== before.head) {
          for (const [path, code] of await committedChanges(folder, before.head, head)) {
            if (created.has(path)) continue;
            if (code === 'A') created.add(path);
            else modified.add(path);
          }
        }
        break;
      }
      case 'files': {
        const after = await scanFiles(folder);
        for (const [path, mtime] of after) {
          const old = before.files.get(path);
          if (old === undefined) created.add(path);
          else if (old !== mtime) modified.add(path);
        }
        for (const path of before.files.keys()) if (!after.has(path)) modified.add(path);
        break;
      }
      case 'none':
        break;
    }
  } catch {
    // A folder that vanished or cannot be read reports what was found so far.
  }
  for (const path of created) modified.delete(path);
  return { filesModified: [...modified].sort(), filesCreated: [...created].sort() };
}

async function modificationTimes(folder: string, paths: ReadonlyArray<string>): Promise<Map<string, number>> {
  const times = new Map<string, number>();
  for (const path of paths) {
    try {
      times.set(path, (await stat(join(folder, path))).mtimeMs);
    } catch {
      // Deleted: no time.
    }
  }
  return times;
}

async function gitStatus(folder: string): Promise<Map<string, string> | undefined> {
  try {
    const { stdout } = await run('git', ['status', '--porcelain=v1', '-z', '--untracked-files=all'], { cwd: folder, maxBuffer: 64 * 1024 * 1024 });
    const map = new Map<string, string>();
    const entries = stdout.split('\0');
    for (let index = 0; index < entries.length; index += 1) {
      const entry = entries[index] ?? '';
      if (entry.length < 4) continue;
      const code = entry.slice(0, 2);
      map.set(entry.slice(3), code);
      if (code.startsWith('R') || code.startsWith('C')) index += 1; // the original path follows a rename or copy
    }
    return map;
  } catch {
    return undefined;
  }
}

async function gitHead(folder: string): Promise<string | undefined> {
  try {
    return (await run('git', ['rev-parse', '--verify', '-q', 'HEAD'], { cwd: folder })).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

async function committedChanges(folder: string, from: string, to: string): Promise<Array<[string, string]>> {
  const { stdout } = await run('git', ['diff', '--name-status', '--no-renames', '-z', from, to], { cwd: folder, maxBuffer: 64 * 1024 * 1024 });
  const parts = stdout.split('\0').filter((part) => part.length > 0);
  const changes: Array<[string, string]> = [];
  for (let index = 0; index + 1 < parts.length; index += 2) changes.push([parts[index + 1] ?? '', (parts[index] ?? '').slice(0, 1)]);
  return changes;
}

async function scanFiles(root: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  const pending = [root];
  while (pending.length > 0 && files.size < MAX_SCANNED_FILES) {
    const folder = pending.pop() ?? root;
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(path);
      } else if (entry.isFile()) {
        files.set(relative(root, path), (await stat(path)).mtimeMs);
      }
    }
  }
  return files;
}
