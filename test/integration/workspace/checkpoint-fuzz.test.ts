import { afterAll, describe, expect, it } from 'vitest';
import { createCheckpoint, ensureWorkspace, getCheckpoint, rollback } from '../../../src-main/workspace';
import { seededRandom as prng } from '../../support/prng';
import { makeRepo, tempDir, userGitState, writeFiles } from './git-fixtures';
import { mutate, type MutationContext } from './fuzz-mutations';
import { MemoryTaskTable } from './memory-tasks';
import { diskEntries, expectFullPromise, expectRecoverable, gitAsync, ignoredNow, treeEntries } from './rollback-oracle';
import { runSelectiveRound } from './selective-fuzz';

const SEED = Number(process.env['CHECKPOINT_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = Number(process.env['CHECKPOINT_FUZZ_ROUNDS'] ?? 40);
const SELECTIVE_ROUNDS = Number(process.env['CHECKPOINT_FUZZ_SELECTIVE_ROUNDS'] ?? 8);
const LANES = 4;
const REPLAY = `seed ${SEED} (set CHECKPOINT_FUZZ_SEED=${SEED} to replay)`;
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

/** Runs `lane` on LANES lanes side by side (each with its own seed and repository), failing with the seed named. */
async function inLanes(rounds: number, lane: (index: number, random: () => number) => Promise<void>): Promise<void> {
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(LANES, rounds) }, (_unused, index) => lane(index, prng(SEED + index * 7919))));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') {
      const error = outcome.reason as Error;
      error.message = `${error.message}\n(${REPLAY})`;
      throw error;
    }
  }
}

describe('checkpoint rollback fuzz', () => {
  it(`FULL restores the checkpoint, leaves what it did not record alone and loses nothing, in ${ROUNDS} rounds (${REPLAY})`, async () => {
    const started = Date.now();
    await inLanes(ROUNDS, async (lane, random) => {
      const repo = await makeRepo({ '.gitignore': '*.log\n', 'README.md': '# fuzz\n' });
      const outside = await tempDir('co-fuzz-outside-');
      cleanups.push(repo.cleanup, outside.cleanup);
      await writeFiles(outside.dir, { 'victim.txt': 'outside the project\n' });
      await ensureWorkspace(repo.dir);
      const context: MutationContext = { dir: repo.dir, outside: outside.dir, counter: { next: 0 } };
      const outsideBefore = await diskEntries(outside.dir);
      const tasks = new MemoryTaskTable();
      for (let round = lane; round < ROUNDS; round += LANES) {
        const where = `${REPLAY}, lane ${lane}, round ${round}`;
        // Evolve the starting point: untracked, ignored, staged, tracked-but-ignored and committed states all occur.
        const preSteps = 1 + Math.floor(random() * 4);
        const setup: string[] = [];
        for (let step = 0; step < preSteps; step += 1) setup.push(await mutate(context, random));
        if (random() < 0.15) setup.push(await commitAll(repo.dir, round));
        tasks.add(`t${round}`);
        const expectedTasks = tasks.snapshotTasks();
        const gitBefore = round % 8 === 0 ? await userGitState(repo.dir) : null;
        const checkpoint = await createCheckpoint(repo.dir, { description: `round ${round}`, taskSnapshot: expectedTasks });
        if (gitBefore !== null) expect(await userGitState(repo.dir), `checkpoint touched git state; ${where}`).toEqual(gitBefore);

        const applied: string[] = [];
        const mutations = 1 + Math.floor(random() * 6);
        for (let step = 0; step < mutations; step += 1) applied.push(await mutate(context, random));
        tasks.finish(`t${round}`, []);
        const history = `${where}; setup: ${setup.join(', ')}; mutations: ${applied.join(', ')}`;

        const before = await diskEntries(repo.dir);
        const ignoredBefore = await ignoredNow(repo.dir, [...before.keys()]);
        const result = await rollback(repo.dir, { strategy: 'FULL', checkpointId: checkpoint.id }, tasks).catch((error: unknown) => {
          throw new Error(`${String(error)}; ${history}`, { cause: error });
        });
        const after = await diskEntries(repo.dir);
        const safety = await treeEntries(repo.dir, (await getCheckpoint(repo.dir, result.safetyCheckpointId))?.tree ?? '');
        await expectFullPromise(repo.dir, { checkpoint: await treeEntries(repo.dir, checkpoint.tree), before, ignoredBefore, after, safety }, history);
        expect(tasks.snapshotTasks(), where).toEqual(expectedTasks);
        expect(Object.fromEntries(await diskEntries(outside.dir)), `wrote outside the project; ${history}`).toEqual(Object.fromEntries(outsideBefore));

        if (random() < 0.3) {
          // The undo (FULL to the safety checkpoint) brings back every byte the rollback changed.
          await rollback(repo.dir, { strategy: 'FULL', checkpointId: result.safetyCheckpointId }, tasks);
          expectRecoverable(before, await diskEntries(repo.dir), new Map(), `undo; ${history}`);
        }
      }
    });
    console.log(`checkpoint fuzz (FULL): ${ROUNDS} rounds, seed ${SEED}, ${Date.now() - started} ms`);
  }, 900_000);

  it(`SELECTIVE undoes only the chosen tasks' commits, keeps later edits, reports conflicts and loses nothing, in ${SELECTIVE_ROUNDS} rounds (${REPLAY})`, async () => {
    const started = Date.now();
    await inLanes(SELECTIVE_ROUNDS, async (lane, random) => {
      for (let round = lane; round < SELECTIVE_ROUNDS; round += LANES) {
        const repo = await makeRepo();
        cleanups.push(repo.cleanup);
        await runSelectiveRound(repo.dir, random, `${REPLAY}, lane ${lane}, round ${round}`);
      }
    });
    console.log(`checkpoint fuzz (SELECTIVE): ${SELECTIVE_ROUNDS} rounds, seed ${SEED}, ${Date.now() - started} ms`);
  }, 900_000);
});

async function commitAll(dir: string, round: number): Promise<string> {
  await gitAsync(dir, ['add', '-A'], [1, 128]);
  await gitAsync(dir, ['commit', '-q', '--allow-empty', '-m', `round ${round}`], [1, 128]);
  return 'commit';
}
