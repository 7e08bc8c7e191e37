import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { git } from './git-fixtures';

/** Path → "<mode> <blob id>" as git would record it, for every file and symlink on disk (ignored ones too). */
export type Entries = Map<string, string>;

function blobId(content: Buffer): string {
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
export function treeEntries(dir: string, tree: string): Entries {
  const entries: Entries = new Map();
  for (const record of git(dir, 'ls-tree', '-r', '-z', tree).split('\0')) {
    if (record === '') continue;
    const [meta = '', file = ''] = record.split('\t');
    const [mode = '', , oid = ''] = meta.split(' ');
    entries.set(file, `${mode} ${oid}`);
  }
  return entries;
}

/** The paths .gitignore files (as on disk now) ignore, tracked or not. */
export function ignoredNow(dir: string, files: ReadonlyArray<string>): Set<string> {
  if (files.length === 0) return new Set();
  try {
    return new Set(git(dir, 'check-ignore', '--no-index', ...files).split('\n').filter(Boolean));
  } catch {
    return new Set(); // exit 1: none ignored
  }
}

/** Every entry that differs or disappeared between `before` and `after` is recorded, identically, in the safety checkpoint. */
export function expectRecoverable(before: Entries, after: Entries, safety: Entries, where: string): void {
  const lost = [...before].filter(([file, entry]) => after.get(file) !== entry && safety.get(file) !== entry).map(([file]) => file);
  expect(lost, `destroyed without being recorded in the safety checkpoint; ${where}`).toEqual([]);
}

/**
 * FULL's promise: every entry of the checkpoint is on disk as recorded; anything else on disk is
 * ignored by the restored .gitignore files and was left exactly as it was; everything destroyed
 * is in the safety checkpoint.
 */
export function expectFullPromise(dir: string, checkpoint: Entries, before: Entries, after: Entries, safety: Entries, where: string): void {
  const wrong = [...checkpoint].filter(([file, entry]) => after.get(file) !== entry).map(([file]) => file);
  expect(wrong, `not restored as at the checkpoint; ${where}`).toEqual([]);
  const extra = [...after.keys()].filter((file) => !checkpoint.has(file));
  const ignored = ignoredNow(dir, extra);
  expect(extra.filter((file) => !ignored.has(file)), `left on disk though neither in the checkpoint nor ignored; ${where}`).toEqual([]);
  expect(extra.filter((file) => after.get(file) !== before.get(file)), `ignored files changed; ${where}`).toEqual([]);
  expectRecoverable(before, after, safety, where);
}
