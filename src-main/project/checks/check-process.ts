import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { killProcessTree, signalGroup, trackProcessGroup, untrackProcessGroup } from '../../process/process-group';
import { watchedSpawnArgs } from '../../process/watched-spawn';

/** How a check's shell ended. */
export type CheckProcessExit = { readonly code: number | null; readonly signal: NodeJS.Signals | null } | { readonly error: Error };

/** One check command running under `sh -c` in its own process group. */
export interface CheckProcess {
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles when the shell has exited (its output may still be draining). */
  readonly exited: Promise<CheckProcessExit>;
  /** Stops the command and everything it started: SIGTERM to its group and descendants, SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
  /** Kills what the command left running in its group after the shell exited (background jobs). */
  killLeftovers(): void;
}

/**
 * Starts `sh -c <command>` detached, so it leads its own process group and can be killed with
 * everything it started; the group is killed when the host exits, and — through the watchdog in
 * the group — even when the host is killed outright. The one place checks spawn processes.
 */
export function startCheckProcess(command: string, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): CheckProcess {
  const watched = watchedSpawnArgs('sh', ['-c', command]);
  const child = spawn(watched.file, watched.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid !== undefined) trackProcessGroup(pid);
  const exited = new Promise<CheckProcessExit>((resolve) => {
    child.once('error', (error) => resolve({ error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).finally(() => {
    if (pid !== undefined) untrackProcessGroup(pid);
  });
  return {
    stdout: child.stdout,
    stderr: child.stderr,
    exited,
    stop: async (graceMs) => {
      if (pid !== undefined) await killProcessTree(pid, exited, graceMs);
    },
    killLeftovers: () => {
      if (pid !== undefined) signalGroup(pid, 'SIGKILL');
    },
  };
}
