import os from 'node:os';
import type { Store } from '../store/store';
import { signalGroup } from '../process/process-group';
import { currentBootId, lookUpProcess, processGroupExists, sameBoot } from '../process/process-identity';
import { isOwnerAlive, parseOwnerId } from './owner';

/** A leftover process group that was killed. */
export interface KilledProcessGroup {
  readonly attemptId: string;
  readonly taskId: string;
  readonly pid: number;
  readonly processGroup: number;
}

/**
 * Kills the process groups that attempts of dead owners left behind (the watchdog normally ends
 * them within seconds; this covers a watchdog that was itself killed). A group is killed only when
 * it is provably the recorded one: same host and boot as its owner, and its leader either has the
 * recorded start time or is gone while the group lives on (a group id is never reused while the
 * group exists). A recycled pid, or a leader whose start time cannot be read, is left alone.
 */
export function killOrphanedAttemptProcesses(store: Store, ownerIsAlive: (owner: string) => boolean = isOwnerAlive): ReadonlyArray<KilledProcessGroup> {
  const verdicts = new Map<string, boolean>();
  const killed: KilledProcessGroup[] = [];
  for (const record of store.attempts.listUnfinishedProcesses()) {
    let alive = verdicts.get(record.workerOwner);
    if (alive === undefined) {
      alive = ownerIsAlive(record.workerOwner);
      verdicts.set(record.workerOwner, alive);
    }
    if (alive || !onThisBoot(record.workerOwner)) continue;
    if (!processGroupExists(record.processGroup)) continue;
    const leader = lookUpProcess(record.pid);
    if (leader.state !== 'gone' && (record.startTime === null || leader.startTime !== record.startTime)) continue;
    signalGroup(record.processGroup, 'SIGKILL');
    killed.push({ attemptId: record.attemptId, taskId: record.taskId, pid: record.pid, processGroup: record.processGroup });
  }
  return killed;
}

/** True when the owner ran on this host since its last boot, so its recorded pids mean something here. */
function onThisBoot(owner: string): boolean {
  const identity = parseOwnerId(owner);
  if (identity === undefined || identity.host !== os.hostname()) return false;
  const boot = currentBootId();
  return identity.bootId === null || boot === null || sameBoot(identity.bootId, boot);
}
