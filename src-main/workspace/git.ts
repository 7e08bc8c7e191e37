import { execa } from 'execa';
import { redactSecrets } from './redact';

/** Result of one git invocation. */
export interface GitResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Options of one git invocation. */
export interface GitOptions {
  /** Extra environment, e.g. GIT_INDEX_FILE for a temporary index. */
  readonly env?: Readonly<Record<string, string>>;
  readonly input?: string;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  readonly allowExitCodes?: ReadonlyArray<number>;
  /** Add a fallback author/committer identity when the repository has none configured. */
  readonly needsIdentity?: boolean;
}

/** A git command that failed; the message names the command and git's own words, redacted. */
export class GitError extends Error {
  override readonly name = 'GitError';
  constructor(
    readonly args: ReadonlyArray<string>,
    readonly exitCode: number,
    readonly stderr: string,
  ) {
    super(redactSecrets(`git ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || '(no output)'}`));
  }
}

/** Identity used for orchestrator commits when neither git config nor the environment names one. */
export const FALLBACK_IDENTITY = Object.freeze({ name: 'Claude Orchestrator', email: 'orchestrator@localhost' });

/**
 * Environment for every git call: never prompt, never open an editor, stable English messages
 * we can parse, and no optional index refreshes (so `git status` never rewrites the user's index).
 */
const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  GIT_TERMINAL_PROMPT: '0',
  GIT_EDITOR: ':',
  GIT_SEQUENCE_EDITOR: ':',
  GIT_MERGE_AUTOEDIT: 'no',
  GIT_OPTIONAL_LOCKS: '0',
  GIT_PAGER: 'cat',
  LC_ALL: 'C',
  LANGUAGE: 'C',
});

/** Runs `git -c core.quotepath=off …` in `cwd`, non-interactively; throws GitError unless the exit code is allowed. */
export async function runGit(cwd: string, args: ReadonlyArray<string>, options: GitOptions = {}): Promise<GitResult> {
  const identityEnv = options.needsIdentity === true ? await fallbackIdentityEnv(cwd) : {};
  const result = await execa('git', ['-c', 'core.quotepath=off', ...args], {
    cwd,
    env: { ...BASE_ENV, ...identityEnv, ...options.env },
    extendEnv: true,
    reject: false,
    stripFinalNewline: false,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    ...(options.input === undefined ? {} : { input: options.input }),
    maxBuffer: 512 * 1024 * 1024,
  });
  const exitCode = result.exitCode ?? -1;
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (exitCode !== 0 && !(options.allowExitCodes ?? []).includes(exitCode)) {
    const reason = result.failed && exitCode === -1 ? `${stderr}${result.message}` : stderr;
    throw new GitError(args, exitCode, reason);
  }
  return { stdout, stderr, exitCode };
}

/** Trimmed stdout of a git command. */
export async function gitText(cwd: string, args: ReadonlyArray<string>, options: GitOptions = {}): Promise<string> {
  return (await runGit(cwd, args, options)).stdout.trim();
}

/** Splits NUL-separated git output, dropping the empty tail. */
export function splitNul(text: string): string[] {
  const parts = text.split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * GIT_AUTHOR_* / GIT_COMMITTER_* fallbacks for whichever of name and email neither the
 * repository's config nor the environment provides, so commits work on bare CI machines.
 */
export function fallbackIdentityEnv(cwd: string): Promise<Record<string, string>> {
  // Cached per folder: identity configuration does not change during a run, and every call costs a process.
  let cached = identityCache.get(cwd);
  if (cached === undefined) {
    cached = computeFallbackIdentityEnv(cwd);
    identityCache.set(cwd, cached);
    cached.catch(() => identityCache.delete(cwd));
  }
  return cached;
}

const identityCache = new Map<string, Promise<Record<string, string>>>();

async function computeFallbackIdentityEnv(cwd: string): Promise<Record<string, string>> {
  const configured = await runGit(cwd, ['config', '--get-regexp', '^user\\.(name|email)$'], { allowExitCodes: [1] });
  const keys = new Set(configured.stdout.split('\n').map((line) => line.split(' ')[0]?.toLowerCase()));
  const env: Record<string, string> = {};
  const pairs = [
    ['user.name', 'NAME', FALLBACK_IDENTITY.name],
    ['user.email', 'EMAIL', FALLBACK_IDENTITY.email],
  ] as const;
  for (const [configKey, suffix, fallback] of pairs) {
    if (keys.has(configKey)) continue;
    for (const role of ['AUTHOR', 'COMMITTER'] as const) {
      const name = `GIT_${role}_${suffix}`;
      if (!process.env[name]) env[name] = fallback;
    }
  }
  return env;
}

/** The commit HEAD points at, or null in a repository without commits. */
export async function headCommit(cwd: string): Promise<string | null> {
  const result = await runGit(cwd, ['rev-parse', '-q', '--verify', 'HEAD^{commit}'], { allowExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** The short name of the branch HEAD is on, or null on a detached HEAD. */
export async function currentBranch(cwd: string): Promise<string | null> {
  const result = await runGit(cwd, ['symbolic-ref', '-q', '--short', 'HEAD'], { allowExitCodes: [1, 128] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** Resolves a revision to a commit id, or null when it does not exist. */
export async function resolveCommit(cwd: string, revision: string): Promise<string | null> {
  const result = await runGit(cwd, ['rev-parse', '-q', '--verify', '--end-of-options', `${revision}^{commit}`], {
    allowExitCodes: [1],
  });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/** True when `ancestor` is reachable from `descendant`. */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const result = await runGit(cwd, ['merge-base', '--is-ancestor', ancestor, descendant], { allowExitCodes: [1] });
  return result.exitCode === 0;
}

/** Checks a branch name with git's own rules; throws a clear error for a bad one. */
export async function assertValidBranchName(cwd: string, branch: string): Promise<void> {
  const result = await runGit(cwd, ['check-ref-format', '--branch', branch], { allowExitCodes: [1, 128] });
  if (result.exitCode !== 0) throw new Error(`"${branch}" is not a valid git branch name.`);
}
