import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';

const execFileAsync = promisify(execFile);

/** Runs git without blocking the event loop (fuzz lanes run side by side); exit codes in `allow` are answers. */
export async function gitAsync(cwd: string, args: ReadonlyArray<string>, allow: ReadonlyArray<number> = []): Promise<string> {
  try {
    return (await execFileAsync('git', ['-c', 'core.quotepath=off', ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    const failed = error as { code?: number; stdout?: string };
    if (typeof failed.code === 'number' && allow.includes(failed.code)) return failed.stdout ?? '';
    throw error;
  }
}

/** Path → "<mode> <blob id>" as git would record it, for every file and symlink on disk (ignored ones too). */
export type Entries = Map<string, string>;

/** The id git gives a blob with this content. */
export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Every file and symlink under `dir` (ignored included; .git and .orchestrator excluded), as git would record it. */
export async function diskEntries(dir: string): Promise<Entries> {
  const entries: Entries = new Map();
  async function walk(relative: string): Promise<void> {
    for (const name of await readdir(path.join(dir, relative))) {
      const child = relative === '' ? name : `${relative}/${name}`;
      if (child === '.git' || child === '.orchestrator') continue;
      const full = path.join(dir, child);
      const info = await lstat(full);
      if (info.isDirectory()) await walk(child);
      else if (info.isSymbolicLink()) entries.set(child, `120000 ${blobId(Buffer.from(await readlink(full)))}`);
      else entries.set(child, `${(info.mode & 0o111) !== 0 ? '100755' : '100644'} ${blobId(await readFile(full))}`);
    }
  }
  await walk('');
  return entries;
}

/** The entries of a git tree (a checkpoint's, say), in the same form. */
export async function treeEntries(dir: string, tree: string): Promise<Entries> {
  const entries: Entries = new Map();
  for (const record of (await gitAsync(dir, ['ls-tree', '-r', '-z', tree])).split('\0')) {
    if (record === '') continue;
    const [meta = '', file = ''] = record.split('\t');
    const [mode = '', , oid = ''] = meta.split(' ');
    entries.set(file, `${mode} ${oid}`);
  }
  return entries;
}

/** The paths .gitignore files (as on disk now) ignore, tracked or not. */
export async function ignoredNow(dir: string, files: ReadonlyArray<string>): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  // Exit 1: none of them is ignored.
  return new Set((await gitAsync(dir, ['check-ignore', '--no-index', '--', ...files], [1])).split('\n').filter(Boolean));
}

/** Every entry that differs or disappeared between `before` and `after` is recorded, identically, in the safety checkpoint. */
export function expectRecoverable(before: Entries, after: Entries, safety: Entries, where: string): void {
  const lost = [...before].filter(([file, entry]) => after.get(file) !== entry && safety.get(file) !== entry).map(([file]) => file);
  expect(lost, `destroyed without being recorded in the safety checkpoint; ${where}`).toEqual([]);
}

/**
 * FULL's promise: every entry of the checkpoint is on disk as recorded; anything else left on
 * disk is a file the rollback did not record and so must not touch (ignored before the rollback,
 * or ignored by the restored .gitignore files), exactly as it was; everything destroyed is in
 * the safety checkpoint.
 */
export async function expectFullPromise(
  dir: string,
  state: { readonly checkpoint: Entries; readonly before: Entries; readonly ignoredBefore: ReadonlySet<string>; readonly after: Entries; readonly safety: Entries },
  where: string,
): Promise<void> {
  const { checkpoint, before, ignoredBefore, after, safety } = state;
  const wrong = [...checkpoint].filter(([file, entry]) => after.get(file) !== entry).map(([file]) => file);
  expect(wrong, `not restored as at the checkpoint; ${where}`).toEqual([]);
  const extra = [...after.keys()].filter((file) => !checkpoint.has(file));
  const ignoredAfter = await ignoredNow(dir, extra);
  const stray = extra.filter((file) => !ignoredAfter.has(file) && !ignoredBefore.has(file));
  expect(stray, `left on disk though neither in the checkpoint nor ignored; ${where}`).toEqual([]);
  expect(extra.filter((file) => after.get(file) !== before.get(file)), `files outside the checkpoint changed; ${where}`).toEqual([]);
  expectRecoverable(before, after, safety, where);
}
