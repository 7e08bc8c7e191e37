import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { worktreePool, slotPath } from '../../../src-main/workspace/worktree-pool';
import { cliBuilt, git, isOneLineError, tempProject } from './cli-harness';

interface StatusJson {
  readonly workspacePool: ReadonlyArray<{ readonly slot: number; readonly state: string; readonly present: boolean; readonly pid: number | null; readonly attemptId: string | null; readonly branch: string | null }>;
}

describe.skipIf(!cliBuilt)('co status and co clean with pooled worktrees (built CLI, real git)', () => {
  it('status lists the pool slots; clean refuses while a run holds one, saying what to do, then removes the pool and keeps the branches', { timeout: 120_000 }, async () => {
    const project = tempProject({ git: true });
    try {
      expect((await project.co(['init'])).status).toBe(0);
      expect((await project.coJson<StatusJson>(['status'])).workspacePool).toEqual([]);
      // This test process plays a run holding two slots, then gives one back.
      const pool = worktreePool(project.dir);
      const base = git(project.dir, 'rev-parse', 'HEAD').trim();
      const [held, given] = await Promise.all([
        pool.acquire({ attemptId: 'attempt-held', branch: 'orchestrator/task-1-attempt-1-held', baseCommit: base }),
        pool.acquire({ attemptId: 'attempt-given', branch: 'orchestrator/task-2-attempt-1-given', baseCommit: base }),
      ]);
      if (held === undefined || given === undefined) throw new Error('no slots');
      await pool.release(given);
      const heldSlot = held.path === slotPath(project.dir, 1) ? 1 : 2;

      const status = await project.coJson<StatusJson>(['status']);
      expect(status.workspacePool.map((slot) => [slot.slot, slot.state, slot.present])).toEqual([
        [1, heldSlot === 1 ? 'in-use' : 'free', true],
        [2, heldSlot === 2 ? 'in-use' : 'free', true],
      ]);
      expect(status.workspacePool[heldSlot - 1]).toMatchObject({ pid: process.pid, attemptId: 'attempt-held', branch: 'orchestrator/task-1-attempt-1-held' });
      const human = await project.co(['status']);
      expect(human.stdout).toContain('Worktree pool (2 slots; remove with: co clean):');
      expect(human.stdout).toContain(`slot-${heldSlot} in use by process ${process.pid} (attempt attempt-held)`);

      const refused = await project.co(['clean']);
      expect(isOneLineError(refused)).toBe(true);
      expect(refused.stderr).toContain(`slot ${heldSlot} is in use by process ${process.pid} (attempt attempt-held). Stop that run (or wait for it to finish), then run \`co clean\` again.`);
      expect(existsSync(held.path) && existsSync(given.path)).toBe(true);

      await pool.release(held);
      const cleaned = await project.co(['clean']);
      expect(cleaned.status).toBe(0);
      expect(cleaned.stdout).toContain('Removed 2 pooled worktrees (attempt branches kept)');
      expect(existsSync(path.join(project.dir, '.orchestrator', 'pool'))).toBe(false);
      expect(git(project.dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
      expect(git(project.dir, 'branch', '--list', 'orchestrator/*').split('\n').map((line) => line.trim()).filter(Boolean).sort()).toEqual([
        'orchestrator/task-1-attempt-1-held',
        'orchestrator/task-2-attempt-1-given',
      ]);
      expect((await project.co(['clean'])).stdout).toContain('Nothing to clean');
    } finally {
      project.cleanup();
    }
  });
});
