import { chmod, lstat, mkdir, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, rollback } from '../../../src-main/workspace';
import { git, makeRepo, treeFingerprint, userGitState, writeFiles } from './git-fixtures';
import { MemoryTaskTable } from './memory-tasks';
import { seededRandom as prng } from '../../support/prng';

const SEED = Number(process.env['CHECKPOINT_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env['CHECKPOINT_FUZZ_ROUNDS'] ?? 100);
const LANES = 4;
const FOLDERS = ['', 'src', 'src/lib', 'docs/a/b', 'with space', 'ünï', 'deep/er/still/here'];
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

type Random = () => number;

/** Files and symlinks under `dir` (no hashing), excluding .git and .orchestrator. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => !file.startsWith('.git/') && !file.startsWith('.orchestrator/'))
    .sort();
}
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function content(random: Random): string | Buffer {
  if (random() < 0.3) return Buffer.from(Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256)).concat([0]));
  return Array.from({ length: Math.floor(random() * 5) }, () => `line ${Math.floor(random() * 1e6)}`).join('\n') + (random() < 0.8 ? '\n' : '');
}

/** Applies one random mutation a worker could make; returns its name for failure messages. */
async function mutate(dir: string, random: Random, files: readonly string[], counter: { next: number }): Promise<string> {
  const fresh = (): string => {
    counter.next += 1;
    const folder = pick(random, FOLDERS);
    return folder === '' ? `f${counter.next}.txt` : `${folder}/f${counter.next}.txt`;
  };
  const existing = files.filter((file) => file !== '.gitignore');
  const kind = existing.length === 0 ? 'create' : pick(random, ['create', 'modify', 'delete', 'rename', 'chmod', 'file-to-folder', 'symlink', 'nested'] as const);
  const target = pick(random, existing);
  switch (kind) {
    case 'create':
      await writeFiles(dir, { [fresh()]: content(random) });
      break;
    case 'nested':
      await writeFiles(dir, { [`n${counter.next}/a/b/c/${path.basename(fresh())}`]: content(random) });
      break;
    case 'modify':
      if ((await lstat(path.join(dir, target))).isSymbolicLink()) await rm(path.join(dir, target));
      await writeFile(path.join(dir, target), content(random));
      break;
    case 'delete':
      await rm(path.join(dir, target));
      break;
    case 'rename': {
      const to = fresh();
      await mkdir(path.dirname(path.join(dir, to)), { recursive: true });
      await rename(path.join(dir, target), path.join(dir, to));
      break;
    }
    case 'chmod': {
      const info = await lstat(path.join(dir, target));
      if (!info.isSymbolicLink()) await chmod(path.join(dir, target), info.mode & 0o111 ? 0o644 : 0o755);
      break;
    }
    case 'file-to-folder':
      await rm(path.join(dir, target));
      await writeFiles(dir, { [`${target}/inside.txt`]: content(random) });
      break;
    case 'symlink': {
      const link = fresh();
      await mkdir(path.dirname(path.join(dir, link)), { recursive: true });
      await symlink(path.basename(target), path.join(dir, link));
      break;
    }
  }
  return `${kind} ${target ?? ''}`;
}

describe('checkpoint → random mutations → FULL rollback', () => {
  it(`restores a byte-identical tree in ${ROUNDS} randomized rounds (seed ${SEED})`, async () => {
    const started = Date.now();
    const lanes = Array.from({ length: LANES }, async (_unused, lane) => {
      const random = prng(SEED + lane * 7919);
      const repo = await makeRepo({ '.gitignore': '*.log\n', 'README.md': '# fuzz\n' });
      cleanups.push(repo.cleanup);
      await ensureWorkspace(repo.dir);
      const tasks = new MemoryTaskTable();
      const counter = { next: 0 };
      for (let round = lane; round < ROUNDS; round += LANES) {
        const where = `seed ${SEED} (set CHECKPOINT_FUZZ_SEED=${SEED} to replay), lane ${lane}, round ${round}`;
        // Evolve the starting point: untracked, staged and committed states all occur.
        const preSteps = 1 + Math.floor(random() * 3);
        for (let step = 0; step < preSteps; step += 1) await mutate(repo.dir, random, await listFiles(repo.dir), counter);
        if (random() < 0.2) git(repo.dir, 'add', '-A');
        if (random() < 0.1) git(repo.dir, 'commit', '-q', '--allow-empty', '-m', `round ${round}`);
        tasks.add(`t${round}`);
        const expected = await treeFingerprint(repo.dir);
        const expectedTasks = tasks.snapshotTasks();
        const gitBefore = round % 10 === 0 ? await userGitState(repo.dir) : null;
        const checkpoint = await createCheckpoint(repo.dir, { description: `round ${round}`, taskSnapshot: expectedTasks });
        if (gitBefore !== null) expect(await userGitState(repo.dir), `checkpoint touched git state; ${where}`).toEqual(gitBefore);

        const applied: string[] = [];
        const mutations = 1 + Math.floor(random() * 6);
        for (let step = 0; step < mutations; step += 1) applied.push(await mutate(repo.dir, random, await listFiles(repo.dir), counter));
        tasks.finish(`t${round}`, []);

        await rollback(repo.dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks);
        const actual = await treeFingerprint(repo.dir);
        expect(Object.fromEntries(actual), `${where}; mutations: ${applied.join(', ')}`).toEqual(Object.fromEntries(expected));
        expect(tasks.snapshotTasks(), where).toEqual(expectedTasks);
      }
    });
    const outcomes = await Promise.allSettled(lanes);
    for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    console.log(`checkpoint fuzz: ${ROUNDS} rounds, seed ${SEED}, ${Date.now() - started} ms`);
  }, 600_000);
});
