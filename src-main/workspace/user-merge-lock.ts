import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gitText } from './git';

/** How long a merge into the user's branch waits for another process's merge before giving up. */
const WAIT_MS = 120_000;

/**
 * Runs `work` while this process holds `<git dir>/orchestrator-merge.lock`, so merges into the
 * user's checkout from several processes (the app and `co run` finishing runs on one project)
 * take turns: git's own locks cover the index and the branch ref one at a time, and two
 * fast-forwards running together can leave the index out of step with HEAD. A lock whose process
 * is gone (killed mid-merge) is taken over. Two processes taking over the same dead lock at the
 * same instant could both proceed; that needs a kill -9 during a merge and a race right after it.
 */
export async function withUserMergeLock<T>(projectDir: string, work: () => Promise<T>): Promise<T> {
  const file = path.join(await gitText(projectDir, ['rev-parse', '--absolute-git-dir']), 'orchestrator-merge.lock');
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      await writeFile(file, JSON.stringify({ pid: process.pid, since: Date.now() }), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await holderIsGone(file)) {
        await rm(file, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`another process has been merging into your branch for over ${WAIT_MS / 1000} s (${file}); try again, or delete that file if no orchestrator is running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.floor(Math.random() * 100)));
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

/** True when the lock's process no longer exists (or the file is unreadable garbage left by a crash). */
async function holderIsGone(file: string): Promise<boolean> {
  let pid: unknown;
  try {
    pid = (JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown }).pid;
  } catch {
    // Gone meanwhile (take it on the next try), or being written now.
    return false;
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
