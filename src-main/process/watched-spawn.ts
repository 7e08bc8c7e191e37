import type { ChildProcess } from 'node:child_process';
import { execa, type Options, type ResultPromise } from 'execa';
import { processStartTime } from './process-identity';
import { signalGroup, trackProcessGroup, untrackProcessGroup } from './process-group';

/** A process group started by this process, as recorded per attempt: its leader's pid (= the group id) and start time. */
export interface ProcessGroupIdentity {
  readonly pid: number;
  readonly processGroup: number;
  /** Start time token of the leader (see process-identity.ts), or null where the platform cannot say. */
  readonly startTime: string | null;
}

/**
 * The watchdog: a POSIX sh that starts a background loop in its own process group, then `exec`s the
 * command, which so keeps the group leader's pid, stdin, stdout and stderr. The loop needs no help
 * from this process: once the parent (this process) is gone, even after `kill -9`, it sends TERM to
 * the whole group, then KILL two seconds later. Descendants the command moved to a group or session
 * of their own (Claude Code runs each Bash tool call under setsid) are found with `ps` while the
 * command is still their ancestor, and signalled with the group. The loop also ends when the command
 * ends (killing what the command left in its group), so no watchdog lingers. It ignores TERM so it
 * survives to send KILL, and it reads /dev/null and writes nowhere, so it never holds the command's
 * pipes open. Written for dash, bash and zsh as sh (Linux and macOS); `ps -o pgid` and awk are POSIX.
 */
export const WATCHDOG_SCRIPT = [
  'parent=$1',
  'shift',
  '(',
  "  trap '' TERM HUP INT",
  '  while kill -0 "$parent" 2>/dev/null && kill -0 $$ 2>/dev/null; do sleep 1; done',
  '  strays=$(ps -A -o pid= -o ppid= -o pgid= 2>/dev/null | awk -v root=$$ \'',
  '    { parent[$1] = $2; group[$1] = $3 }',
  '    END {',
  '      found[root] = 1; changed = 1',
  '      while (changed) { changed = 0; for (p in parent) if (!(p in found) && (parent[p] in found)) { found[p] = 1; changed = 1 } }',
  '      for (p in found) if (p != root && group[p] != root) print p',
  "    }')",
  '  kill -s TERM 0 $strays 2>/dev/null',
  '  sleep 2',
  '  kill -s KILL 0 $strays 2>/dev/null',
  ') </dev/null >/dev/null 2>&1 &',
  'exec "$@"',
].join('\n');

/** True where the watchdog can run (a POSIX /bin/sh and process groups). */
export const WATCHDOG_SUPPORTED = process.platform !== 'win32';

/**
 * The file and arguments that run `command args` under the watchdog. Spawn them detached (a new
 * process group) with any spawner; on Windows the command is returned unchanged (no watchdog).
 */
export function watchedSpawnArgs(command: string, args: ReadonlyArray<string>, parentPid: number = process.pid): { file: string; args: string[] } {
  if (!WATCHDOG_SUPPORTED) return { file: command, args: [...args] };
  return { file: '/bin/sh', args: ['-c', WATCHDOG_SCRIPT, 'co-watchdog', String(parentPid), command, ...args] };
}

/** The identity of a process group just spawned detached, with `pid` as its leader. */
export function processGroupIdentity(pid: number): ProcessGroupIdentity {
  return { pid, processGroup: pid, startTime: processStartTime(pid) };
}

/** A watched subprocess and the identity of its process group (undefined when it could not start). */
export interface WatchedSubprocess<OptionsType extends Options> {
  readonly subprocess: ResultPromise<OptionsType>;
  readonly identity: ProcessGroupIdentity | undefined;
}

/**
 * Runs `command args` with execa in its own process group under the watchdog, so that neither it
 * nor anything it starts in its group outlives this process by more than a few seconds, whatever
 * way this process ends. When the command exits, whatever it left running in its group is killed;
 * on a clean exit of this process every live group is killed too. Stop it early with
 * killProcessTree(identity.pid, subprocess, graceMs).
 */
export function spawnWatched<OptionsType extends Options>(command: string, args: ReadonlyArray<string>, options: OptionsType): WatchedSubprocess<OptionsType> {
  const spawn = watchedSpawnArgs(command, args);
  const subprocess = execa(spawn.file, spawn.args, { ...options, detached: true, cleanup: false }) as unknown as ResultPromise<OptionsType>;
  const pid = subprocess.pid;
  if (pid === undefined) return { subprocess, identity: undefined };
  trackProcessGroup(pid);
  // On 'exit', not when the promise settles: leftovers holding stdout open would keep it pending.
  (subprocess as unknown as ChildProcess).once('exit', () => {
    signalGroup(pid, 'SIGKILL');
    untrackProcessGroup(pid);
  });
  return { subprocess, identity: processGroupIdentity(pid) };
}
