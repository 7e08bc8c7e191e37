import { chmod, lstat, mkdir, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFiles } from './git-fixtures';
import { gitAsync } from './rollback-oracle';

/** A seeded random source in [0, 1). */
export type Random = () => number;

/** One random pick. */
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const FOLDERS = ['', 'src', 'src/lib', 'docs/a/b', 'with space', 'ünï', 'deep/er/still/here'];

/** Everything a user or a worker may do to a working tree, ignore rules and index included. */
export const MUTATIONS = [
  'create',
  'nested',
  'modify',
  'delete',
  'rename',
  'chmod',
  'file-to-folder',
  'folder-to-file',
  'symlink',
  'symlink-outside',
  'create-ignored',
  'ignore',
  'unignore',
  'untrack',
  'force-add',
  'stage',
] as const;

/** Where a mutation happens: the repository, a folder outside it (symlink targets), and a counter for fresh names. */
export interface MutationContext {
  readonly dir: string;
  readonly outside: string;
  readonly counter: { next: number };
}

/** Files and symlinks under `dir` (no hashing), excluding .git and .orchestrator. */
export async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('.git/') && !file.startsWith('.orchestrator/'))
    .sort();
}

/** True when every component of `folder` is a real folder or does not exist yet. */
async function onlyFolders(dir: string, folder: string): Promise<boolean> {
  const parts = folder.split('/');
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const info = await lstat(path.join(dir, ...parts.slice(0, depth))).catch(() => null);
    if (info === null) return true;
    if (!info.isDirectory()) return false;
  }
  return true;
}

/** Text or binary content (with a NUL), sometimes without a final newline. */
export function content(random: Random): string | Buffer {
  if (random() < 0.3) return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)).concat([0]));
  return Array.from({ length: Math.floor(random() * 5) }, () => `line ${Math.floor(random() * 1e6)}`).join('\n') + (random() < 0.8 ? '\n' : '');
}

/** Some index operations do not apply to every pick (an untracked file cannot be untracked); that is fine. */
async function gitQuiet(dir: string, ...args: string[]): Promise<void> {
  await gitAsync(dir, args, [1, 128]);
}

/** Applies one random mutation; returns its description for failure messages. */
export async function mutate(context: MutationContext, random: Random): Promise<string> {
  const { dir, outside, counter } = context;
  const files = await listFiles(dir);
  // A new path whose folders are real folders or missing, never a file or a symlink (writing there would leave the project).
  const fresh = async (extension = 'txt', prefix = ''): Promise<string> => {
    counter.next += 1;
    const folder = `${prefix}${pick(random, FOLDERS)}`.replace(/\/$/, '');
    const name = `f${counter.next}.${extension}`;
    return folder !== '' && (await onlyFolders(dir, folder)) ? `${folder}/${name}` : name;
  };
  const existing = files.filter((file) => file !== '.gitignore');
  const kind = existing.length === 0 ? 'create' : pick(random, MUTATIONS);
  const target = pick(random, existing);
  const full = (file: string): string => path.join(dir, file);
  const isLink = async (file: string): Promise<boolean> => (await lstat(full(file))).isSymbolicLink();
  const gitignore = full('.gitignore');
  const ignoreLines = (await readFile(gitignore, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  switch (kind) {
    case 'create':
      await writeFiles(dir, { [await fresh()]: content(random) });
      break;
    case 'nested':
      await writeFiles(dir, { [await fresh('txt', `n${counter.next}/a/b/c/`)]: content(random) });
      break;
    case 'modify':
      if (await isLink(target)) await rm(full(target));
      await writeFile(full(target), content(random));
      break;
    case 'delete':
      await rm(full(target));
      break;
    case 'rename': {
      const to = await fresh();
      await mkdir(path.dirname(full(to)), { recursive: true });
      await rename(full(target), full(to));
      break;
    }
    case 'chmod': {
      const info = await lstat(full(target));
      if (!info.isSymbolicLink()) await chmod(full(target), info.mode & 0o111 ? 0o644 : 0o755);
      break;
    }
    case 'file-to-folder':
      await rm(full(target));
      await writeFiles(dir, { [`${target}/inside.txt`]: content(random) });
      break;
    case 'folder-to-file': {
      const folder = path.posix.dirname(target);
      if (folder === '.') break;
      await rm(full(folder), { recursive: true });
      await writeFile(full(folder), content(random));
      break;
    }
    case 'symlink': {
      const link = await fresh();
      await mkdir(path.dirname(full(link)), { recursive: true });
      await symlink(path.basename(target), full(link));
      break;
    }
    case 'symlink-outside': {
      // A link to a folder or a file outside the project: a rollback must never write through it.
      const link = await fresh('lnk');
      await mkdir(path.dirname(full(link)), { recursive: true });
      await symlink(random() < 0.5 ? outside : path.join(outside, 'victim.txt'), full(link));
      break;
    }
    case 'create-ignored':
      await writeFiles(dir, { [await fresh('log')]: content(random) });
      break;
    case 'ignore':
      // Ignore an existing path from now on; often also stop tracking it, so `git status` no longer shows it.
      await writeFile(gitignore, [...ignoreLines, `/${target}`].join('\n') + '\n');
      if (random() < 0.6) await gitQuiet(dir, 'rm', '-q', '--cached', '--', target);
      break;
    case 'unignore': {
      const removable = ignoreLines.filter((line) => line !== '.orchestrator/');
      if (removable.length === 0) break;
      const dropped = pick(random, removable);
      await writeFile(gitignore, ignoreLines.filter((line) => line !== dropped).join('\n') + '\n');
      break;
    }
    case 'untrack':
      await gitQuiet(dir, 'rm', '-q', '--cached', '--', target);
      break;
    case 'force-add':
      await gitQuiet(dir, 'add', '-f', '--', target);
      break;
    case 'stage':
      await gitQuiet(dir, 'add', '-A');
      break;
  }
  return `${kind} ${target ?? ''}`;
}
