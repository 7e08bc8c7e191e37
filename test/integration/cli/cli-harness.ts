import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** The repository root (for bin/co.js and fixtures). */
export const repoRoot = path.join(import.meta.dirname, '..', '..', '..');
export const coBin = path.join(repoRoot, 'bin', 'co.js');

/** True when the CLI has been built (`node scripts/build-main.mjs`). */
export const cliBuilt = existsSync(path.join(repoRoot, 'dist', 'main', 'cli.mjs'));

/** Outcome of one `co` invocation. */
export interface CoResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A fresh temporary project folder with its own user-data folder. */
export interface TempProject {
  readonly dir: string;
  readonly userData: string;
  /** Runs the built `co` in the project with a clean environment (no API key, no ORCHESTRATOR_* from the caller). */
  co(args: ReadonlyArray<string>, options?: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string }): Promise<CoResult>;
  /** Runs `co … --json` and parses stdout, failing with stderr when it exits non-zero. */
  coJson<T>(args: ReadonlyArray<string>): Promise<T>;
  cleanup(): void;
}

/** Creates a temporary project; with `git`, a repository with one commit. */
export function tempProject(options: { readonly git?: boolean; readonly files?: Readonly<Record<string, string>> } = {}): TempProject {
  const root = mkdtempSync(path.join(os.tmpdir(), 'co-cli-'));
  const dir = path.join(root, 'project');
  const userData = path.join(root, 'user-data');
  spawnSync('mkdir', ['-p', dir, userData]);
  for (const [name, content] of Object.entries(options.files ?? { 'README.md': '# demo\n' })) writeFileSync(path.join(dir, name), content);
  if (options.git) {
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Test User');
    git(dir, 'config', 'user.email', 'test@example.com');
    git(dir, 'config', 'commit.gpgsign', 'false');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'initial');
  }
  const co = (args: ReadonlyArray<string>, runOptions: { readonly env?: Readonly<Record<string, string>>; readonly cwd?: string } = {}): Promise<CoResult> => {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value === undefined || key.startsWith('ORCHESTRATOR_') || key === 'ANTHROPIC_API_KEY' || key === 'SLACK_WEBHOOK_URL') continue;
      env[key] = value;
    }
    return runNode([coBin, ...args], { cwd: runOptions.cwd ?? dir, env: { ...env, CO_USER_DATA: userData, NO_COLOR: '1', ...runOptions.env } });
  };
  return {
    dir,
    userData,
    co,
    async coJson<T>(args: ReadonlyArray<string>): Promise<T> {
      const result = await co([...args, '--json']);
      if (result.status !== 0) throw new Error(`co ${args.join(' ')} --json exited ${result.status}: ${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Runs node with arguments asynchronously (the test worker's event loop keeps running), collecting its output. */
function runNode(args: ReadonlyArray<string>, options: { readonly cwd: string; readonly env: NodeJS.ProcessEnv }): Promise<CoResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs git in a test repository. */
export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/**
 * Everything a command could change: every row of the project database's tables and a hash
 * of every file outside .git (WAL/SHM files excluded, their content is in the rows).
 */
export function projectState(dir: string): string {
  const parts: string[] = [];
  const dbFile = path.join(dir, '.orchestrator', 'state.db');
  if (existsSync(dbFile)) {
    const db = new Database(dbFile, { readonly: true, fileMustExist: true });
    try {
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all();
      for (const { name } of tables) parts.push(`${name}: ${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all())}`);
    } finally {
      db.close();
    }
  }
  for (const file of listFiles(dir)) {
    if (/state\.db(-wal|-shm)?$/.test(file)) continue;
    const full = path.join(dir, file);
    if (file.endsWith('/')) {
      parts.push(`${file} ${(statSync(full).mode & 0o777).toString(8)}`);
      continue;
    }
    parts.push(`${file} ${(statSync(full).mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(full)).digest('hex')}`);
  }
  return parts.join('\n');
}

function listFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = path.join(prefix, entry.name);
    if (entry.name === '.git') continue;
    if (entry.isDirectory()) files.push(relative + '/', ...listFiles(dir, relative));
    else files.push(relative);
  }
  return files.sort();
}

/** Asserts helper: the single-line error format of every user error. */
export function isOneLineError(result: CoResult): boolean {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  return result.status !== 0 && lines.length === 1 && (lines[0] ?? '').startsWith('co: ');
}
