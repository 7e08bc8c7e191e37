import path from 'node:path';
import { gitText } from './git';
import { readSlotLock, tryLockSlot, unlockSlot } from './slot-lock';

/** How long a merge into the user's branch waits for another process's merge before giving up. */
const WAIT_MS = 120_000;

/** What the lock file names as its holder's work (the slot locks name an attempt there). */
const MERGE_HOLDER = 'merge into the user’s branch';

/**
 * Runs `work` while this process holds `<git dir>/orchestrator-merge.lock`, so merges into the
 * user's checkout from several processes (the app and `co run` finishing runs on one project)
 * take turns: git's own locks cover the index and the branch ref one at a time, and two
 * fast-forwards running together can leave the index out of step with HEAD. The lock is a pool
 * slot lock (slot-lock.ts): it records host, pid, start time and boot id, so a holder that is gone
 * (killed mid-merge, or a lock left from before a reboot whose pid now belongs to another process)
 * is taken over, and a takeover moves the dead lock aside atomically first, so several processes
 * finding the same dead lock at once still go through one at a time.
 */
export async function withUserMergeLock<T>(projectDir: string, work: () => Promise<T>): Promise<T> {
  const file = path.join(await gitText(projectDir, ['rev-parse', '--absolute-git-dir']), 'orchestrator-merge.lock');
  const deadline = Date.now() + WAIT_MS;
  while (!(await tryLockSlot(file, MERGE_HOLDER))) {
    if (Date.now() > deadline) throw new Error(await stillHeldMessage(file));
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 100)));
  }
  try {
    return await work();
  } finally {
    await unlockSlot(file);
  }
}

async function stillHeldMessage(file: string): Promise<string> {
  const owner = await readSlotLock(file);
  const holder = owner === null || owner === 'unreadable' ? 'another process' : `process ${owner.pid} on ${owner.host}`;
  return `${holder} has been merging into your branch for over ${WAIT_MS / 1000} s (${file}); try again, or delete that file if no orchestrator is running`;
}
