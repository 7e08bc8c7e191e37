import { spawn } from 'node:child_process';
import type { AgentProcessInfo } from '../../engine/worker-backend';
import { processGroupIdentity, watchedSpawnArgs } from '../../process/watched-spawn';

/** What a command did. */
export interface CommandResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved, cut to the limit. */
  readonly output: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
}

/** How to run a command. */
export interface CommandOptions {
  readonly command: string;
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly maxOutputChars: number;
  readonly env: NodeJS.ProcessEnv;
  /** Between SIGTERM and SIGKILL. */
  readonly graceMs?: number;
  /** Told the command's process group once it started (the attempt records it). */
  readonly onStarted?: (process: AgentProcessInfo) => void;
}

/**
 * Runs a shell command in its own, watched process group; on timeout or abort the whole group gets
 * SIGTERM, then SIGKILL. When the shell exits, anything it left running in its group is
 * killed too, so no command outlives its tool call.
 */
export function runCommand(options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    // Under the watchdog (src-main/process/watched-spawn.ts): the group dies with this process, even after kill -9.
    const shell = shellInvocation(options.command, options.env);
    const watched = watchedSpawnArgs(shell.file, shell.args);
    const child = spawn(watched.file, watched.args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid !== undefined) options.onStarted?.(processGroupIdentity(child.pid));
    let output = '';
    let cut = false;
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const append = (chunk: Buffer): void => {
      if (cut) return;
      output += chunk.toString('utf8');
      if (output.length > options.maxOutputChars) {
        output = `${output.slice(0, options.maxOutputChars)}\n… (output cut at ${options.maxOutputChars} characters)`;
        cut = true;
      }
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const signalGroup = (signal: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const stop = (): void => {
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), options.graceMs ?? 1_000);
    };
    const onAbort = (): void => {
      aborted = true;
      stop();
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener('abort', onAbort, { once: true });
    child.on('exit', () => signalGroup('SIGKILL'));
    child.on('error', (error) => {
      output += `\n${error.message}`;
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal.removeEventListener('abort', onAbort);
      resolvePromise({ exitCode, signal, output, timedOut, aborted });
    });
  });
}

/** The environment for commands: the host's, without API keys, tokens or other secrets. */
export function commandEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(base)) {
    if (/^ANTHROPIC_|API_KEY|AUTH_TOKEN|SECRET|PASSWORD|_TOKEN$/i.test(name)) continue;
    env[name] = value;
  }
  return env;
}

/**
 * The shell that runs a tool's command line: /bin/sh, or on Windows the command interpreter named
 * by ComSpec (cmd.exe), which has no /bin/sh.
 */
export function shellInvocation(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): { file: string; args: string[] } {
  if (platform === 'win32') return { file: env['ComSpec'] ?? env['COMSPEC'] ?? 'cmd.exe', args: ['/d', '/s', '/c', command] };
  return { file: '/bin/sh', args: ['-c', command] };
}
