import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where to look for the `claude` executable. */
export interface FindClaudeOptions {
  /** An explicit path from configuration; when set, only it is tried. */
  readonly configuredPath?: string;
  /** Folders whose node_modules/.bin (and their parents') are searched; defaults to this module's folder and the current directory. */
  readonly searchFrom?: ReadonlyArray<string>;
  /** The user's shell for the login-shell PATH lookup; defaults to $SHELL, then /bin/sh. */
  readonly shell?: string;
  /** Skip the login-shell lookup (tests). */
  readonly skipLoginShell?: boolean;
  /** The environment whose PATH (and PATHEXT on Windows) is searched; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to process.platform. */
  readonly platform?: NodeJS.Platform;
}

/** Where `claude` was found. */
export interface FoundClaude {
  readonly path: string;
  readonly source: 'configured' | 'node_modules' | 'path' | 'login-shell';
}

/** The `claude` executable could not be found; the message says how to fix it. */
export class ClaudeNotFoundError extends Error {
  override readonly name = 'ClaudeNotFoundError';
}

const INSTALL_HINT =
  'Install Claude Code with `npm i -g @anthropic-ai/claude-code` (then check that `claude --version` works in a new terminal), or set the path to the `claude` executable in the settings (claude_cli_path).';

/**
 * Finds `claude`: the configured path, else node_modules/.bin near the app, else PATH (with
 * PATHEXT and the usual install folders on Windows), else the user's login-shell PATH.
 */
export async function findClaude(options: FindClaudeOptions = {}): Promise<FoundClaude> {
  if (options.configuredPath !== undefined && options.configuredPath.trim() !== '') {
    const path = resolve(options.configuredPath);
    if (await isExecutable(path)) return { path, source: 'configured' };
    throw new ClaudeNotFoundError(`The configured Claude Code executable ${path} does not exist or is not executable. ${INSTALL_HINT}`);
  }
  for (const start of options.searchFrom ?? defaultSearchFrom()) {
    for (let folder = resolve(start); ; folder = dirname(folder)) {
      const candidate = join(folder, 'node_modules', '.bin', process.platform === 'win32' ? 'claude.cmd' : 'claude');
      if (await isExecutable(candidate)) return { path: candidate, source: 'node_modules' };
      if (dirname(folder) === folder) break;
    }
  }
  const onPath = await searchPath(options.env ?? process.env, options.platform ?? process.platform);
  if (onPath !== undefined) return { path: onPath, source: 'path' };
  if (options.skipLoginShell !== true && process.platform !== 'win32') {
    const fromShell = await lookUpInLoginShell(options.shell ?? process.env['SHELL'] ?? '/bin/sh');
    if (fromShell !== undefined) return { path: fromShell, source: 'login-shell' };
  }
  throw new ClaudeNotFoundError(`Claude Code (the \`claude\` command) was not found in the app's node_modules, on PATH, or on your login shell's PATH. ${INSTALL_HINT}`);
}

function defaultSearchFrom(): string[] {
  const here = typeof import.meta.url === 'string' && import.meta.url.startsWith('file:') ? [dirname(fileURLToPath(import.meta.url))] : [];
  return [...here, process.cwd()];
}

/**
 * `claude` on PATH. On Windows every PATHEXT extension is tried (npm installs `claude.cmd`, the
 * native installer `claude.exe`), and the usual install folders are searched even when a
 * GUI-launched app's PATH lacks them.
 */
export async function searchPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<string | undefined> {
  const windows = platform === 'win32';
  const separator = windows ? ';' : delimiter;
  const folders = (env['PATH'] ?? env['Path'] ?? '').split(separator).filter((folder) => folder !== '');
  const home = env['USERPROFILE'] ?? env['HOME'];
  if (windows) {
    if (env['APPDATA'] !== undefined) folders.push(join(env['APPDATA'], 'npm'));
    if (home !== undefined) folders.push(join(home, '.local', 'bin'));
  } else if (home !== undefined) {
    folders.push(join(home, '.local', 'bin'), join(home, '.claude', 'local'));
  }
  const extensions = windows ? (env['PATHEXT'] ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((extension) => extension !== '') : [''];
  for (const folder of folders) {
    for (const extension of extensions) {
      const candidate = join(folder, `claude${windows ? extension.toLowerCase() : ''}`);
      if (await isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

/** `command -v claude` in a login shell, so a GUI app sees the PATH the user's terminal has. */
async function lookUpInLoginShell(shell: string): Promise<string | undefined> {
  try {
    const { stdout } = await run(shell, ['-lc', 'command -v claude'], { timeout: 10_000, env: { ...process.env } });
    const line = stdout
      .split('\n')
      .map((part) => part.trim())
      .filter((part) => isAbsolute(part))
      .at(-1);
    return line !== undefined && (await isExecutable(line)) ? line : undefined;
  } catch {
    return undefined;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
