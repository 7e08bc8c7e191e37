import { constants as fsConstants, realpathSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { gitText, headCommit, runGit } from './git';

/** Name of the per-project folder holding the database, logs, worktrees and temporary files. */
export const ORCHESTRATOR_DIR_NAME = '.orchestrator';

/** Where everything of one project's workspace lives. */
export interface WorkspacePaths {
  readonly projectDir: string;
  /** `<project>/.orchestrator`, mode 700, git-ignored. */
  readonly orchestratorDir: string;
  readonly stateDb: string;
  readonly logsDir: string;
  /** One git worktree per attempt: `<project>/.orchestrator/worktrees/<attemptId>`. */
  readonly worktreesDir: string;
  readonly tmpDir: string;
  /** `<project>/orchestrator_config.json`, as in the seeds. */
  readonly configFile: string;
  /** `<project>/.env`, the documented alternative to the keychain (mode 600). */
  readonly envFile: string;
}

/** The workspace paths of a project (pure; creates nothing). */
export function workspacePaths(projectDir: string): WorkspacePaths {
  const root = path.resolve(projectDir);
  const orchestratorDir = path.join(root, ORCHESTRATOR_DIR_NAME);
  return {
    projectDir: root,
    orchestratorDir,
    stateDb: path.join(orchestratorDir, 'state.db'),
    logsDir: path.join(orchestratorDir, 'logs'),
    worktreesDir: path.join(orchestratorDir, 'worktrees'),
    tmpDir: path.join(orchestratorDir, 'tmp'),
    configFile: path.join(root, 'orchestrator_config.json'),
    envFile: path.join(root, '.env'),
  };
}

/** What `ensureWorkspace` found or changed. */
export interface EnsureWorkspaceResult {
  readonly paths: WorkspacePaths;
  readonly createdOrchestratorDir: boolean;
  readonly gitignoreUpdated: boolean;
  readonly isGitRepository: boolean;
}

/**
 * Creates `<project>/.orchestrator/` (and logs/, worktrees/, tmp/) with mode 700, tightens
 * an existing one, and adds it to the project's .gitignore. Safe to call on every start.
 */
export async function ensureWorkspace(projectDir: string): Promise<EnsureWorkspaceResult> {
  const paths = workspacePaths(projectDir);
  const info = await stat(paths.projectDir).catch(() => null);
  if (info === null || !info.isDirectory()) throw new Error(`Project folder ${paths.projectDir} does not exist.`);
  const createdOrchestratorDir = !(await exists(paths.orchestratorDir));
  for (const dir of [paths.orchestratorDir, paths.logsDir, paths.worktreesDir, paths.tmpDir]) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') await chmod(dir, 0o700);
  }
  const gitignoreUpdated = await ensureGitignored(paths.projectDir, [`${ORCHESTRATOR_DIR_NAME}/`]);
  return { paths, createdOrchestratorDir, gitignoreUpdated, isGitRepository: await isGitRepository(paths.projectDir) };
}

/**
 * Appends patterns to `<project>/.gitignore` unless an equivalent line is already there
 * (`x`, `x/`, `/x`, `/x/`). Keeps the file's existing text and line endings.
 */
export async function ensureGitignored(projectDir: string, patterns: ReadonlyArray<string>): Promise<boolean> {
  const file = path.join(projectDir, '.gitignore');
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  const present = new Set(text.split(/\r?\n/).map((line) => normalizeIgnoreLine(line)));
  const missing = patterns.filter((pattern) => !present.has(normalizeIgnoreLine(pattern)));
  if (missing.length === 0) return false;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const separator = text === '' || text.endsWith('\n') ? '' : eol;
  const block = [`# Claude Orchestrator workspace (database, logs, worktrees)`, ...missing].join(eol);
  await writeFile(file, `${text}${separator}${text === '' ? '' : eol}${block}${eol}`);
  return true;
}

function normalizeIgnoreLine(line: string): string {
  return line.trim().replace(/^\//, '').replace(/\/$/, '');
}

/** True when `dir` is the top level of a git working tree. */
export async function isGitRepository(dir: string): Promise<boolean> {
  const result = await runGit(dir, ['rev-parse', '--show-toplevel'], { allowExitCodes: [128] }).catch(() => null);
  if (result === null || result.exitCode !== 0) return false;
  return samePath(result.stdout.trim(), dir);
}

/** Throws a clear error unless `dir` is the top level of a git working tree. */
export async function assertGitRoot(dir: string): Promise<void> {
  if (verifiedGitRoots.has(dir)) return;
  const result = await runGit(dir, ['rev-parse', '--show-toplevel'], { allowExitCodes: [128] });
  if (result.exitCode !== 0) {
    throw new Error(`${dir} is not a git repository. Initialise one (with the user's consent) to use worktrees and checkpoints.`);
  }
  if (!samePath(result.stdout.trim(), dir)) {
    throw new Error(`${dir} is inside the git repository ${result.stdout.trim()}; open the repository's top folder as the project.`);
  }
  verifiedGitRoots.add(dir);
}

const verifiedGitRoots = new Set<string>();

/** Options of `initGitRepository`. */
export interface InitGitOptions {
  /** Must be true: the caller asked the user first. */
  readonly userConsented: boolean;
  readonly initialBranch?: string;
  /** Commit the current files so worktrees have a base (default true). `.env` is ignored first. */
  readonly initialCommit?: boolean;
}

/**
 * Makes a non-git project a repository (with consent): `git init`, `.orchestrator/` and
 * `.env` ignored, and an initial commit so attempts can branch from it.
 */
export async function initGitRepository(projectDir: string, options: InitGitOptions): Promise<{ readonly commit: string | null }> {
  if (!options.userConsented) throw new Error('Initialising a git repository needs the user’s consent.');
  const dir = path.resolve(projectDir);
  if (await isGitRepository(dir)) return { commit: await headCommit(dir) };
  await runGit(dir, ['init', '-q', '-b', options.initialBranch ?? 'main']);
  await ensureGitignored(dir, [`${ORCHESTRATOR_DIR_NAME}/`, '.env']);
  if (options.initialCommit === false) return { commit: null };
  await runGit(dir, ['add', '-A']);
  await runGit(dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', 'Initial commit (Claude Orchestrator)'], {
    needsIdentity: true,
  });
  return { commit: await gitText(dir, ['rev-parse', 'HEAD']) };
}

async function exists(file: string): Promise<boolean> {
  return access(file, fsConstants.F_OK).then(
    () => true,
    () => false,
  );
}

/** Compares two folder paths after resolving symlinks (git reports real paths). */
function samePath(a: string, b: string): boolean {
  return realpathOrSelf(a) === realpathOrSelf(b);
}

function realpathOrSelf(file: string): string {
  try {
    return realpathSync(path.resolve(file));
  } catch {
    return path.resolve(file);
  }
}
