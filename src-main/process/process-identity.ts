import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * Who a process is, beyond its pid: pids are recycled, so a recorded pid alone cannot say whether
 * the process now holding it is the one that was recorded. The start time (Linux: /proc/<pid>/stat
 * field 22, clock ticks since boot; macOS: `ps -o lstart=` read in UTC, epoch seconds) and the boot
 * id (Linux: /proc/sys/kernel/random/boot_id; macOS: `sysctl -n kern.boottime`) can.
 * Hand-written: the npm process helpers (ps-list, pidusage, process-exists) give neither.
 */

/** What can be learnt about a pid now. */
export type ProcessLookup =
  | { readonly state: 'running'; readonly startTime: string | null }
  /** Exited but not reaped by its parent yet: as good as dead. */
  | { readonly state: 'zombie'; readonly startTime: string | null }
  | { readonly state: 'gone' };

/** Reads the state and start time of a pid; `startTime` is null where the platform cannot say. */
export function lookUpProcess(pid: number): ProcessLookup {
  if (!Number.isInteger(pid) || pid <= 0) return { state: 'gone' };
  if (process.platform === 'linux') return lookUpLinux(pid);
  if (!pidExists(pid)) return { state: 'gone' };
  if (process.platform === 'darwin') return lookUpWithPs(pid);
  return { state: 'running', startTime: null };
}

/** The start time token of a live pid (comparable only with another token from this module), or null. */
export function processStartTime(pid: number): string | null {
  const found = lookUpProcess(pid);
  return found.state === 'gone' ? null : found.startTime;
}

/** True when a signal could reach `pid` (it exists, even if owned by another user). */
export function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when some process is still in process group `pgid`. */
export function processGroupExists(pgid: number): boolean {
  if (process.platform === 'win32' || !Number.isInteger(pgid) || pgid <= 1) return false;
  return pidExists(-pgid);
}

let bootIdCache: string | null | undefined;

/** This machine's boot id (changes on every boot), or null where it cannot be read; cached. */
export function currentBootId(): string | null {
  bootIdCache ??= readBootId();
  return bootIdCache;
}

/**
 * Whether two boot ids name the same boot. macOS's kern.boottime moves slightly when the clock is
 * adjusted, so epoch-second ids within a minute of each other count as one boot.
 */
export function sameBoot(a: string, b: string): boolean {
  if (a === b) return true;
  if (!/^\d+(\.\d+)?$/.test(a) || !/^\d+(\.\d+)?$/.test(b)) return false;
  return Math.abs(Number(a) - Number(b)) < 60;
}

function lookUpLinux(pid: number): ProcessLookup {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc entry: gone (or /proc is hidden, then fall back to a signal check).
    return pidExists(pid) ? { state: 'running', startTime: null } : { state: 'gone' };
  }
  // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const state = fields[0];
  const startTime = fields[19] ?? null; // field 22 of the whole line
  if (state === 'Z' || state === 'X') return { state: 'zombie', startTime };
  return { state: 'running', startTime };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function lookUpWithPs(pid: number): ProcessLookup {
  let output: string;
  try {
    // lstart is printed in local time: read it in UTC so the token does not depend on TZ.
    output = execFileSync('ps', ['-o', 'stat=,lstart=', '-p', String(pid)], { encoding: 'utf8', timeout: 5_000, env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' } });
  } catch {
    return pidExists(pid) ? { state: 'running', startTime: null } : { state: 'gone' };
  }
  const match = /^\s*(\S+)\s+\w{3}\s+(\w{3})\s+(\d+)\s+(\d+):(\d+):(\d+)\s+(\d{4})\s*$/.exec(output);
  if (!match) return output.trim() === '' ? { state: 'gone' } : { state: 'running', startTime: null };
  const [, stat, month, day, hours, minutes, seconds, year] = match;
  const monthIndex = MONTHS.indexOf(month as string);
  const epoch = monthIndex < 0 ? null : Date.UTC(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds)) / 1000;
  const startTime = epoch === null ? null : String(epoch);
  return (stat as string).startsWith('Z') ? { state: 'zombie', startTime } : { state: 'running', startTime };
}

function readBootId(): string | null {
  if (process.platform === 'linux') {
    try {
      return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      return null;
    }
  }
  if (process.platform === 'darwin') {
    try {
      // "{ sec = 1700000000, usec = 123456 } Tue Nov 14 …"
      const text = execFileSync('sysctl', ['-n', 'kern.boottime'], { encoding: 'utf8', timeout: 5_000 });
      const match = /sec\s*=\s*(\d+),\s*usec\s*=\s*(\d+)/.exec(text);
      return match ? `${match[1]}.${(match[2] as string).padStart(6, '0')}` : null;
    } catch {
      return null;
    }
  }
  return null;
}
