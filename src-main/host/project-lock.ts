import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RpcError } from '../../src-shared/rpc/errors';
import { isOwnerAlive, makeOwnerId } from '../engine/owner';

/**
 * One app per project: a host (the desktop app or `co serve`) holds `<project>/.orchestrator/host.lock`
 * while it has the project open, so a second app cannot open it and run it at the same time.
 * The CLI's one-shot commands do not take it: they share the database with the app by design.
 *
 * Written by hand rather than with proper-lockfile: that library detects a dead holder by an mtime
 * going stale (seconds later, with a timer refreshing it), while a pid check frees a crashed app's
 * lock at once, and the file names who holds it, which the message to the user needs.
 */

const lockSchema = z.object({ owner: z.string(), app: z.string(), pid: z.number(), since: z.string() });
type LockHolder = z.infer<typeof lockSchema>;

/** The lock file of a project folder. */
export function projectLockFile(projectDir: string): string {
  return join(projectDir, '.orchestrator', 'host.lock');
}

/** This host's side of the locks: which app it is, and the projects it holds. */
export class ProjectLocks {
  private readonly owner = makeOwnerId();
  private readonly held = new Set<string>();

  /** `app` names this host in messages to the user of another one, e.g. "the desktop app". */
  constructor(private readonly app: string) {}

  /** Who else holds a project, or null when it is free or ours. */
  holder(projectDir: string): LockHolder | null {
    const current = readHolder(projectDir);
    if (current === null || current.owner === this.owner || !isOwnerAlive(current.owner)) return null;
    return current;
  }

  /** Refuses, with a message saying where the project is open, when another live app holds it. */
  assertAvailable(projectDir: string): void {
    const other = this.holder(projectDir);
    if (other !== null) throw heldElsewhere(projectDir, other);
  }

  /** Takes the project's lock (again) for this host; throws `conflict` when another live app holds it. */
  acquire(projectDir: string): void {
    const file = projectLockFile(projectDir);
    mkdirSync(join(projectDir, '.orchestrator'), { recursive: true });
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = readHolder(projectDir);
      if (current !== null && current.owner === this.owner) {
        this.held.add(projectDir);
        return;
      }
      if (current !== null && isOwnerAlive(current.owner)) throw heldElsewhere(projectDir, current);
      if (current === null && isBeingWritten(file)) {
        throw new RpcError('conflict', `${projectDir} is being opened by another Claude Orchestrator app right now. Try again in a moment.`);
      }
      // Free, or left by an app that is gone (or unreadable and old): remove it and race for it with O_EXCL.
      rmSync(file, { force: true });
      const mine: LockHolder = { owner: this.owner, app: this.app, pid: process.pid, since: new Date().toISOString() };
      try {
        writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
        this.held.add(projectDir);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // Another app created it between our check and our write: look again.
      }
    }
    throw new RpcError('conflict', `Could not take ${file}: another app keeps recreating it. Close other Claude Orchestrator windows for this project and try again.`);
  }

  /** Lets go of a project; only our own lock file is removed. */
  release(projectDir: string): void {
    if (!this.held.delete(projectDir)) return;
    if (readHolder(projectDir)?.owner === this.owner) rmSync(projectLockFile(projectDir), { force: true });
  }

  /** Lets go of every project (the host is closing). */
  releaseAll(): void {
    for (const projectDir of [...this.held]) this.release(projectDir);
  }
}

function readHolder(projectDir: string): LockHolder | null {
  let text: string;
  try {
    text = readFileSync(projectLockFile(projectDir), 'utf8');
  } catch {
    return null;
  }
  try {
    return lockSchema.parse(JSON.parse(text));
  } catch {
    return null; // A torn or foreign file: treated as free; acquire() replaces it.
  }
}

/** An unreadable lock file written in the last two seconds is another app between creating and filling it. */
function isBeingWritten(file: string): boolean {
  try {
    return Date.now() - statSync(file).mtimeMs < 2_000;
  } catch {
    return false;
  }
}

function heldElsewhere(projectDir: string, holder: LockHolder): RpcError {
  return new RpcError(
    'conflict',
    `${projectDir} is already open in ${holder.app} (process ${holder.pid}, since ${holder.since}). ` +
      'Switch to it there, or close it there first; one app at a time runs a project.',
  );
}
