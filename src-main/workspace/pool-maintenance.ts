import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { runGit } from './git';
import { isSlotOwnerAlive, readSlotLock, removeDeadSlotLock, tryLockSlot, unlockSlot } from './slot-lock';
import { parkSlot, poolDir, slotLockFile, slotPath } from './worktree-pool';
import { listWorktrees } from './worktrees';

/** One slot of the worktree pool, as `co status` shows it. */
export interface PoolSlotInfo {
  readonly slot: number;
  readonly path: string;
  /** False when the folder is gone (deleted by hand): the next attempt in this slot makes it again. */
  readonly present: boolean;
  /** free; in use by a live process; or left locked by a process that is gone (freed by the next run). */
  readonly state: 'free' | 'in-use' | 'stale';
  /** The branch checked out there (null: detached, between attempts). */
  readonly branch: string | null;
  /** The pid and attempt holding the slot, when locked. */
  readonly pid: number | null;
  readonly attemptId: string | null;
}

/** The pool's slots (folders and locks under `.orchestrator/pool`), lowest first; [] when there is no pool. */
export async function listPoolSlots(projectDir: string): Promise<ReadonlyArray<PoolSlotInfo>> {
  const entries = await readdir(poolDir(projectDir)).catch(() => null);
  if (entries === null) return [];
  const slots = new Set<number>();
  for (const entry of entries) {
    const match = /^slot-(\d+)(\.lock)?$/.exec(entry);
    if (match) slots.add(Number(match[1]));
  }
  if (slots.size === 0) return [];
  const worktrees = await listWorktrees(projectDir).catch(() => []);
  const infos: PoolSlotInfo[] = [];
  for (const slot of [...slots].sort((a, b) => a - b)) {
    const folder = slotPath(projectDir, slot);
    const present = await stat(folder).then((info) => info.isDirectory(), () => false);
    const owner = await readSlotLock(slotLockFile(projectDir, slot));
    const locked = owner !== null && owner !== 'unreadable' ? owner : null;
    const state = owner === null ? 'free' : locked === null || isSlotOwnerAlive(locked) ? 'in-use' : 'stale';
    const entry = worktrees.find((worktree) => path.basename(worktree.path) === `slot-${slot}` && path.basename(path.dirname(worktree.path)) === 'pool');
    infos.push({ slot, path: folder, present, state, branch: entry?.branch ?? null, pid: locked?.pid ?? null, attemptId: locked?.attemptId ?? null });
  }
  return infos;
}

/**
 * Recovery of the pool: slots locked by processes that are gone get their uncommitted work committed
 * to the attempt's branch (best effort: a half-done merge is left for the next re-point to clear),
 * HEAD detached (so branch cleanup can delete the branch) and their lock removed. Registrations of
 * slot folders deleted by hand are pruned. Slots of live processes are not touched. With
 * `keepSlots` (execution.max_workers), free slots numbered above it are removed: a run never uses
 * more slots than it has workers, so after max_workers is lowered they would only take disk space.
 */
export async function recoverPoolSlots(projectDir: string, options: { readonly keepSlots?: number } = {}): Promise<ReadonlyArray<number>> {
  const freed: number[] = [];
  for (const info of await listPoolSlots(projectDir)) {
    if (info.state !== 'stale') continue;
    if (info.present) await parkSlot(info.path).catch(() => undefined);
    if (await removeDeadSlotLock(slotLockFile(projectDir, info.slot))) freed.push(info.slot);
  }
  const keepSlots = options.keepSlots;
  const surplus = keepSlots === undefined ? [] : (await listPoolSlots(projectDir)).filter((info) => info.slot > keepSlots && info.state === 'free');
  for (const info of surplus) {
    // Locked first: a run starting right now may take the slot; then it stays.
    if (!(await tryLockSlot(slotLockFile(projectDir, info.slot), 'pool trim'))) continue;
    await removeSlot(projectDir, info);
  }
  if (freed.length > 0 || surplus.length > 0 || (await listPoolSlots(projectDir)).some((info) => !info.present)) await runGit(projectDir, ['worktree', 'prune']);
  return freed;
}

/** A pool slot held by a live process: `co clean` refuses, saying which. */
export class PoolInUseError extends Error {
  override readonly name = 'PoolInUseError';
}

/**
 * Removes the whole pool (`co clean`): every slot is locked first — a slot a live run holds makes it
 * refuse, changing nothing — then each slot's leftover work is committed to its branch, the worktree
 * removed and its registration pruned. Returns the removed slot folders.
 */
export async function removePool(projectDir: string): Promise<ReadonlyArray<string>> {
  const slots = await listPoolSlots(projectDir);
  if (slots.length === 0) return [];
  const locked: number[] = [];
  for (const info of slots) {
    if (await tryLockSlot(slotLockFile(projectDir, info.slot), 'co clean')) {
      locked.push(info.slot);
      continue;
    }
    await Promise.all(locked.map((slot) => unlockSlot(slotLockFile(projectDir, slot))));
    const holder = await readSlotLock(slotLockFile(projectDir, info.slot));
    const who = holder !== null && holder !== 'unreadable' ? ` by process ${holder.pid}${holder.attemptId === '' ? '' : ` (attempt ${holder.attemptId})`}` : '';
    throw new PoolInUseError(`Worktree pool slot ${info.slot} is in use${who}. Stop that run (or wait for it to finish), then run \`co clean\` again.`);
  }
  const removed: string[] = [];
  for (const info of slots) {
    if (info.present) removed.push(info.path);
    await removeSlot(projectDir, info);
  }
  await runGit(projectDir, ['worktree', 'prune']);
  // Only when empty: a run starting right now may be making a new slot there.
  await rmdir(poolDir(projectDir)).catch(() => undefined);
  return removed;
}

/** Removes one slot the caller has locked: its leftover work committed to its branch, its worktree and folder, then its lock. */
async function removeSlot(projectDir: string, info: PoolSlotInfo): Promise<void> {
  if (info.present) {
    await parkSlot(info.path).catch(() => undefined);
    await runGit(projectDir, ['worktree', 'remove', '-f', '-f', info.path], { allowExitCodes: [128] });
    await rm(info.path, { recursive: true, force: true });
  }
  await rm(slotLockFile(projectDir, info.slot), { force: true });
}
