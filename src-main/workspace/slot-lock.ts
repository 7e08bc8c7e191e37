import { randomUUID } from 'node:crypto';
import { link, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { currentBootId, lookUpProcess, processStartTime, sameBoot } from '../process/process-identity';

/**
 * Per-slot lock files of the worktree pool: `slot-N.lock` holds the owner's host, pid, start time and
 * boot id, so a slot whose owner died (a killed `co run`, a crashed app) can be taken over, while a
 * live owner's slot never is — even across processes.
 */

/** Who holds a slot. */
export interface SlotLockOwner {
  readonly host: string;
  readonly pid: number;
  /** Start time token of the process (process-identity.ts), or null where unknown. */
  readonly startTime: string | null;
  readonly bootId: string | null;
  /** The attempt working in the slot. */
  readonly attemptId: string;
  readonly acquiredAt: number;
}

/** This process as a lock owner, for one attempt. */
function selfOwner(attemptId: string): SlotLockOwner {
  return { host: os.hostname(), pid: process.pid, startTime: processStartTime(process.pid), bootId: currentBootId(), attemptId, acquiredAt: Date.now() };
}

/** The owner recorded in a lock file, null when there is no lock, or 'unreadable' (half-written, foreign). */
export async function readSlotLock(lockFile: string): Promise<SlotLockOwner | null | 'unreadable'> {
  const text = await readFile(lockFile, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : ''));
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as Partial<SlotLockOwner>;
    if (typeof parsed.host !== 'string' || typeof parsed.pid !== 'number') return 'unreadable';
    return { host: parsed.host, pid: parsed.pid, startTime: parsed.startTime ?? null, bootId: parsed.bootId ?? null, attemptId: parsed.attemptId ?? '', acquiredAt: parsed.acquiredAt ?? 0 };
  } catch {
    return 'unreadable';
  }
}

/**
 * False only when the owner is provably gone: same host and another boot, or its pid is gone (or a
 * zombie), or the pid now belongs to a process started at another time. Other hosts count as alive.
 */
export function isSlotOwnerAlive(owner: SlotLockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  const boot = currentBootId();
  if (owner.bootId !== null && boot !== null && !sameBoot(owner.bootId, boot)) return false;
  const found = lookUpProcess(owner.pid);
  if (found.state !== 'running') return false;
  return owner.startTime === null || found.startTime === null || owner.startTime === found.startTime;
}

/**
 * Takes the lock of a slot for `attemptId`: true when this process now holds it. A lock of a dead
 * owner is taken over (moved aside atomically first, so two processes taking over the same dead lock
 * cannot both win); a live owner's lock, or one being written right now, is left alone.
 */
export async function tryLockSlot(lockFile: string, attemptId: string): Promise<boolean> {
  const content = JSON.stringify(selfOwner(attemptId));
  if (await createExclusive(lockFile, content)) return true;
  const owner = await readSlotLock(lockFile);
  if (owner === null) return createExclusive(lockFile, content);
  // An unreadable lock may be one another process is writing this very moment: only an old one (its writer died half-way) is taken over.
  if (owner === 'unreadable' ? !(await isOlderThan(lockFile, UNREADABLE_LOCK_GRACE_MS)) : isSlotOwnerAlive(owner)) return false;
  const aside = `${lockFile}.stale-${randomUUID().slice(0, 8)}`;
  if (!(await rename(lockFile, aside).then(() => true, () => false))) return false;
  const moved = await readSlotLock(aside);
  const same = owner === 'unreadable' ? moved === 'unreadable' : moved !== 'unreadable' && moved !== null && moved.pid === owner.pid && moved.acquiredAt === owner.acquiredAt;
  if (!same) {
    // Another process took the dead lock over between our read and our rename: give its lock back.
    await link(aside, lockFile).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }
  await unlink(aside).catch(() => undefined);
  return createExclusive(lockFile, content);
}

/** Gives a slot back (only a lock this process holds is removed). */
export async function unlockSlot(lockFile: string): Promise<void> {
  const owner = await readSlotLock(lockFile);
  if (owner === null || owner === 'unreadable' || owner.pid !== process.pid || owner.host !== os.hostname()) return;
  await unlink(lockFile).catch(() => undefined);
}

/** Removes the lock of a dead owner (recovery); true when it was removed. */
export async function removeDeadSlotLock(lockFile: string): Promise<boolean> {
  const owner = await readSlotLock(lockFile);
  if (owner === null || owner === 'unreadable' || isSlotOwnerAlive(owner)) return false;
  await unlink(lockFile).catch(() => undefined);
  return true;
}

/** How long a lock file may stay unreadable (being written) before it counts as its writer's leftover. */
const UNREADABLE_LOCK_GRACE_MS = 60_000;

async function isOlderThan(file: string, ageMs: number): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs > ageMs;
}

async function createExclusive(file: string, content: string): Promise<boolean> {
  return writeFile(file, content, { flag: 'wx', mode: 0o600 }).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return false;
      throw error;
    },
  );
}
