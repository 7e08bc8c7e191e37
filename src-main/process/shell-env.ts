import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { basename } from 'node:path';

/** Variables that describe the probing shell itself, not the user's environment. */
const SHELL_OWN = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

/** How long the user's shell may take to start before the app goes on without its environment. */
export const SHELL_ENV_TIMEOUT_MS = 10_000;

/** Options for resolving the user's shell environment. */
export interface ShellEnvOptions {
  /** The shell; defaults to $SHELL, then the account's login shell, then /bin/sh. */
  readonly shell?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/**
 * The environment the user's terminal has, read from an interactive login shell (as VS Code
 * does). An app started from the Dock, Finder or a desktop launcher gets a bare PATH without
 * nvm, Homebrew or ~/.local/bin, so `claude`, git hooks and test commands would not be found.
 * The shell prints its environment between random markers (startup scripts may print too); after
 * the timeout the promise rejects and the caller keeps its own environment.
 */
export async function resolveShellEnv(options: ShellEnvOptions = {}): Promise<NodeJS.ProcessEnv> {
  const env = options.env ?? process.env;
  const shell = options.shell ?? env['SHELL'] ?? safeLoginShell() ?? '/bin/sh';
  const mark = randomBytes(8).toString('hex');
  // `env -0` keeps values with newlines intact; a BSD env without -0 falls back to lines.
  const command = `printf '%s' '${mark}'; command env -0 2>/dev/null || command env; printf '%s' '${mark}'`;
  const name = basename(shell);
  const args = name === 'tcsh' || name === 'csh' ? ['-ic', command] : ['-i', '-l', '-c', command];
  const output = await runShell(shell, args, { ...env, CO_RESOLVING_SHELL_ENV: '1' }, options.timeoutMs ?? SHELL_ENV_TIMEOUT_MS);
  const start = output.indexOf(mark);
  const end = output.lastIndexOf(mark);
  if (start < 0 || end <= start) throw new Error(`${shell} did not print its environment`);
  return parseEnv(output.slice(start + mark.length, end));
}

/** `NAME=value` entries separated by NUL (env -0) or, failing that, by newlines. */
export function parseEnv(text: string): NodeJS.ProcessEnv {
  const result: NodeJS.ProcessEnv = {};
  const entries = text.includes('\0') ? text.split('\0') : text.split('\n');
  let last: string | undefined;
  for (const entry of entries) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(entry);
    if (match !== null) {
      last = match[1] ?? '';
      result[last] = match[2] ?? '';
    } else if (last !== undefined && entry !== '' && !text.includes('\0')) {
      // A line of a multi-line value printed by a plain `env`.
      result[last] = `${result[last] ?? ''}\n${entry}`;
    }
  }
  for (const name of SHELL_OWN) delete result[name];
  delete result['CO_RESOLVING_SHELL_ENV'];
  return result;
}

function runShell(shell: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // Detached: an interactive shell without a terminal must not take over the app's own.
    const child = spawn(shell, [...args], { env, stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      // The whole group: whatever the startup files were still running goes too.
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      reject(new Error(`${shell} took over ${String(timeoutMs / 1000)} s to start (check your shell startup files)`));
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

function safeLoginShell(): string | undefined {
  try {
    const shell = userInfo().shell;
    return shell === null || shell === '' ? undefined : shell;
  } catch {
    return undefined;
  }
}
