import { execFile } from 'node:child_process';
import { registerSecretForRedaction } from '../workspace/redact';
import type { SecretStore } from '../workspace/secret-store';
import { GitHubError } from './github-error';

/** Where a GitHub token was found. */
export type GitHubTokenSource = 'GITHUB_TOKEN' | 'GH_TOKEN' | 'keychain' | 'gh auth token';

/** A GitHub token and where it came from; the value is registered for redaction as soon as it is found. */
export interface GitHubToken {
  readonly value: string;
  readonly source: GitHubTokenSource;
}

/** Asks the GitHub CLI for its token for a host; null when `gh` is missing, not logged in, or slow. */
export type GhTokenReader = (host: string, env: Readonly<Record<string, string | undefined>>) => Promise<string | null>;

/** Where to look for a token. */
export interface GitHubTokenOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The OS keychain (Settings → GitHub); null skips it. */
  readonly secretStore: SecretStore | null;
  /** The host `gh auth token --hostname` is asked about (github.com, or the Enterprise host). */
  readonly host: string;
  readonly readGhToken?: GhTokenReader;
}

/** The message when no token is found anywhere: where a token can go. */
export const NO_GITHUB_TOKEN_MESSAGE =
  'no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), store one in the OS keychain from Settings → GitHub, or log in with the GitHub CLI (`gh auth login`).';

/**
 * Finds a GitHub token: GITHUB_TOKEN, then GH_TOKEN, then the OS keychain, then `gh auth token`.
 * Throws a GitHubError saying where a token can go when there is none.
 */
export async function resolveGitHubToken(options: GitHubTokenOptions): Promise<GitHubToken> {
  const found = await findToken(options);
  if (found === null) throw new GitHubError(NO_GITHUB_TOKEN_MESSAGE);
  registerSecretForRedaction(found.value);
  return found;
}

async function findToken(options: GitHubTokenOptions): Promise<GitHubToken | null> {
  for (const variable of ['GITHUB_TOKEN', 'GH_TOKEN'] as const) {
    const value = options.env[variable]?.trim();
    if (value !== undefined && value !== '') return { value, source: variable };
  }
  if (options.secretStore !== null) {
    try {
      const stored = await options.secretStore.get('github-token');
      if (stored !== null && stored !== '') return { value: stored, source: 'keychain' };
    } catch {
      // No keychain here (no Secret Service): the other places still count.
    }
  }
  const fromGh = await (options.readGhToken ?? readGhToken)(options.host, options.env);
  return fromGh === null ? null : { value: fromGh, source: 'gh auth token' };
}

/** `gh auth token --hostname <host>`, with a 10-second limit; null when it fails in any way. */
export const readGhToken: GhTokenReader = (host, env) =>
  new Promise((resolve) => {
    execFile('gh', ['auth', 'token', '--hostname', host], { env: { ...env, GH_PROMPT_DISABLED: '1' }, timeout: 10_000, windowsHide: true }, (error, stdout) => {
      const token = typeof stdout === 'string' ? stdout.trim() : '';
      resolve(error === null && token !== '' && !/\s/.test(token) ? token : null);
    });
  });
