import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { currentBootId, lookUpProcess, processStartTime, sameBoot } from '../process/process-identity';

/**
 * Per-slot lock files of the worktree pool: `slot-N.lock` holds the owner's host, pid, start time and
 * boot id, so a slot whose owner died (a killed `co run`, a crashed app) can be taken over, while a
 * live owner's slot never is — even across processes. The lock of merges into the user's branch
 * (user-merge-lock.ts) is one too.
 */

/** Who holds a slot. */
export interface SlotLockOwner {
  readonly host: string;
  readonly pid: number;
  /** Start time token of the process (process-identity.ts), or null where unknown. */
  readonly startTime: string | null;
  readonly bootId: string | null;
  /** The attempt working in the slot (for the merge lock, user-merge-lock.ts, a fixed label). */
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
    if (typeof parsed.pid !== 'number' || (parsed.host !== undefined && typeof parsed.host !== 'string')) return 'unreadable';
    // Merge locks written before they became slot locks hold only `{ pid, since }`, always on this machine.
    return { host: parsed.host ?? os.hostname(), pid: parsed.pid, startTime: parsed.startTime ?? null, bootId: parsed.bootId ?? null, attemptId: parsed.attemptId ?? '', acquiredAt: parsed.acquiredAt ?? 0 };
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
 * owner is taken over (under the takeover guard, so two processes finding the same dead lock cannot
 * both win); a live owner's lock, or one being written right now, is left alone.
 */
export async function tryLockSlot(lockFile: string, attemptId: string): Promise<boolean> {
  const content = JSON.stringify(selfOwner(attemptId));
  if (await createExclusive(lockFile, content)) return true;
  const owner = await readSlotLock(lockFile);
  if (owner !== null && !(await isAbandoned(lockFile, owner))) return false;
  if (owner !== null && !(await removeAbandonedLock(lockFile))) return false;
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
  return removeAbandonedLock(lockFile);
}

/** A dead owner's lock, or an unreadable one old enough that its writer must have died half-way (one being written now is not). */
async function isAbandoned(lockFile: string, owner: SlotLockOwner | 'unreadable'): Promise<boolean> {
  return owner === 'unreadable' ? isOlderThan(lockFile, UNREADABLE_LOCK_GRACE_MS) : !isSlotOwnerAlive(owner);
}

/**
 * Deletes an abandoned lock under the takeover guard (`<lock>.takeover`, created exclusively), looking
 * at the lock again once the guard is held: without it, a process that found the dead lock a moment
 * ago could delete the live lock another process has just put in its place. False when the guard is
 * taken (another process is doing the same; it lasts milliseconds) or the lock is no longer abandoned.
 * A guard left by a process killed inside that window is removed after TAKEOVER_GUARD_STALE_MS.
 */
async function removeAbandonedLock(lockFile: string): Promise<boolean> {
  const guard = `${lockFile}.takeover`;
  if (!(await createExclusive(guard, String(process.pid)))) {
    if (await isOlderThan(guard, TAKEOVER_GUARD_STALE_MS)) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const owner = await readSlotLock(lockFile);
    if (owner === null) return true;
    if (!(await isAbandoned(lockFile, owner))) return false;
    await unlink(lockFile).catch(() => undefined);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** A takeover guard this old belongs to a process that died while holding it. */
const TAKEOVER_GUARD_STALE_MS = 10_000;

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
