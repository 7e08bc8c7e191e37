import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { currentBootId, lookUpProcess, processStartTime, sameBoot } from '../process/process-identity';

/** The process behind a lease owner id: enough to prove it dead on its own host. */
export interface OwnerIdentity {
  readonly host: string;
  readonly pid: number;
  /** Start time token of the process (see process-identity.ts), or null where unknown. */
  readonly startTime: string | null;
  /** Boot id of the host when the owner was made, or null where unknown. */
  readonly bootId: string | null;
}

let selfIdentity: OwnerIdentity | undefined;

/** This process's identity, computed once (on macOS it costs a `ps` and a `sysctl`). */
export function currentOwnerIdentity(): OwnerIdentity {
  if (selfIdentity === undefined || selfIdentity.pid !== process.pid) {
    selfIdentity = { host: os.hostname(), pid: process.pid, startTime: processStartTime(process.pid), bootId: currentBootId() };
  }
  return selfIdentity;
}

/**
 * A lease owner id unique to this engine instance: "host:pid:random:start:boot" (start time and boot
 * id empty where the platform cannot tell). The first three parts are what older versions wrote.
 */
export function makeOwnerId(): string {
  const self = currentOwnerIdentity();
  return [self.host, String(self.pid), randomUUID().slice(0, 8), token(self.startTime), token(self.bootId)].join(':');
}

/** The identity an owner id records, or undefined for ids that name no process (external workers' ids). */
export function parseOwnerId(owner: string): OwnerIdentity | undefined {
  const [host, pidText, , startTime, bootId] = owner.split(':');
  if (!host || !pidText || !/^\d+$/.test(pidText)) return undefined;
  return { host, pid: Number(pidText), startTime: startTime || null, bootId: bootId || null };
}

/**
 * False only when the owner is provably dead: it ran on this host and the machine rebooted since,
 * or its pid is gone (or a zombie), or the pid now belongs to a process started at another time
 * (a recycled pid). Owners on other hosts, and ids that name no process, count as alive.
 */
export function isOwnerAlive(owner: string): boolean {
  const identity = parseOwnerId(owner);
  if (identity === undefined || identity.host !== os.hostname()) return true;
  const boot = currentBootId();
  if (identity.bootId !== null && boot !== null && !sameBoot(identity.bootId, token(boot))) return false;
  const now = Date.now();
  if ((recentlyAlive.get(owner) ?? 0) > now) return true;
  const found = lookUpProcess(identity.pid);
  if (found.state !== 'running') return false;
  const alive = identity.startTime === null || found.startTime === null || token(found.startTime) === identity.startTime;
  // Off Linux a look-up costs a `ps`; the scheduler asks every poll, so remember "alive" briefly.
  if (alive && process.platform !== 'linux') {
    for (const [known, until] of recentlyAlive) if (until <= now) recentlyAlive.delete(known);
    recentlyAlive.set(owner, now + ALIVE_CACHE_MS);
  }
  return alive;
}

const ALIVE_CACHE_MS = 2_000;
const recentlyAlive = new Map<string, number>();

function token(value: string | null): string {
  return (value ?? '').replaceAll(':', '_');
}
