import { execFileSync } from 'node:child_process';

/** Process groups started by this process and still running; killed if the host exits. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/** Remembers a detached child's process group so it dies with the host. */
export function trackProcessGroup(pid: number): void {
  liveGroups.add(pid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
}

/** Forgets a process group that has ended. */
export function untrackProcessGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Sends a signal to a whole process group (the child was spawned detached, so its pid is the group id). */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
  } catch {
    // Already gone.
  }
}

/** Pids of all descendants of a process, found with `ps` (children that left the group are caught too). */
export function descendantsOf(pid: number): number[] {
  if (process.platform === 'win32') return [];
  let table: string;
  try {
    table = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8', timeout: 5_000 });
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const line of table.split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined || Number.isNaN(child) || Number.isNaN(parent)) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const found: number[] = [];
  const pending = [pid];
  while (pending.length > 0) {
    const next = pending.pop() ?? pid;
    for (const child of children.get(next) ?? []) {
      if (!found.includes(child)) {
        found.push(child);
        pending.push(child);
      }
    }
  }
  return found;
}

/**
 * Stops a detached child and everything it started: SIGTERM to its group and descendants,
 * then SIGKILL after `graceMs` if the child has not exited by then.
 */
export async function killProcessTree(pid: number, exited: Promise<unknown>, graceMs: number): Promise<void> {
  const descendants = descendantsOf(pid);
  signalGroup(pid, 'SIGTERM');
  for (const child of descendants) signalPid(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    }),
  ]);
  clearTimeout(timer);
  // Kill leftovers in any case: a child may exit on SIGTERM while its own children ignore it.
  signalGroup(pid, 'SIGKILL');
  for (const child of [...descendants, ...(timedOut ? descendantsOf(pid) : [])]) signalPid(child, 'SIGKILL');
  if (timedOut) await exited;
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
