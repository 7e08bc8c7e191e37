import { Octokit } from '@octokit/rest';
import type { GitHubTokenSource } from './token';

/** GitHub's public API; GitHub Enterprise Server's is https://HOST/api/v3 (set GITHUB_API_URL). */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** How long a request may wait for a rate limit to reset before the command gives up and says when to try again. */
export const MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** The longest one request may take. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A client for one API base and token, and what a failure message needs to say. */
export interface GitHubConnection {
  readonly octokit: Octokit;
  /** The API base in use (GITHUB_API_URL or the default), without a trailing slash. */
  readonly apiUrl: string;
  readonly tokenSource: GitHubTokenSource;
}

/** Options of a connection. */
export interface GitHubClientOptions {
  readonly token: string;
  readonly tokenSource: GitHubTokenSource;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Told when a request waits for the rate limit to reset (one line for people). */
  readonly onWait?: (line: string) => void;
  /** The longest wait for a reset (default MAX_RATE_LIMIT_WAIT_MS). */
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The API base from GITHUB_API_URL (what GitHub Actions sets; Enterprise users need it), else api.github.com. */
export function gitHubApiUrl(env: Readonly<Record<string, string | undefined>>): string {
  const configured = env['GITHUB_API_URL']?.trim();
  return (configured === undefined || configured === '' ? DEFAULT_GITHUB_API_URL : configured).replace(/\/+$/, '');
}

/** The host `gh auth token` is asked about for an API base: github.com for api.github.com, else the Enterprise host. */
export function gitHubHostOf(apiUrl: string): string {
  try {
    const host = new URL(apiUrl).host;
    return host === 'api.github.com' ? 'github.com' : host;
  } catch {
    return 'github.com';
  }
}

/** How long to wait for a rate limit, from a failed request's status and headers; null when it is not a rate limit. */
export function rateLimitReset(error: unknown, now: number): { readonly waitMs: number; readonly resetAt: number } | null {
  const status = statusOf(error);
  if (status !== 403 && status !== 429) return null;
  const headers = headersOf(error);
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter)) return { waitMs: Math.max(0, retryAfter * 1000), resetAt: now + Math.max(0, retryAfter * 1000) };
  if (headers['x-ratelimit-remaining'] !== '0') return null;
  const reset = Number(headers['x-ratelimit-reset']) * 1000;
  if (!Number.isFinite(reset)) return { waitMs: MAX_RATE_LIMIT_WAIT_MS + 1, resetAt: now + 3_600_000 };
  return { waitMs: Math.max(0, reset - now), resetAt: reset };
}

/**
 * An Octokit client for the API base in GITHUB_API_URL. No retries of its own, except one: a request
 * refused for the rate limit waits for the reset when it is near (at most `maxWaitMs`), saying so.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubConnection {
  const apiUrl = gitHubApiUrl(options.env);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const quiet = (): void => undefined;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: apiUrl,
    userAgent: 'claude-orchestrator',
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
    // No request waits forever on an unreachable or silent server (a wrong GITHUB_API_URL).
    request: { fetch: (url: string | URL, init?: RequestInit) => fetch(url, { ...init, signal: init?.signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS) }) },
  });
  octokit.hook.wrap('request', async (request, requestOptions) => {
    try {
      return await request(requestOptions);
    } catch (error) {
      const limit = rateLimitReset(error, now());
      if (limit === null || limit.waitMs > (options.maxWaitMs ?? MAX_RATE_LIMIT_WAIT_MS)) throw error;
      options.onWait?.(`GitHub's rate limit is reached; waiting ${Math.ceil(limit.waitMs / 1000)} s for it to reset.`);
      await sleep(limit.waitMs + 500);
      return request(requestOptions);
    }
  });
  return { octokit, apiUrl, tokenSource: options.tokenSource };
}

/** The HTTP status of an Octokit failure, or undefined. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The response headers of an Octokit failure (lower-case names), or none. */
export function headersOf(error: unknown): Readonly<Record<string, string | undefined>> {
  const headers = (error as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers ?? {};
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value === undefined ? undefined : String(value)]));
}

/** True when the failure never reached a server (refused, unresolvable, reset): Octokit reports those as status 500 without a response. */
export function isUnreachable(error: unknown): boolean {
  return statusOf(error) === 500 && (error as { response?: unknown }).response === undefined;
}
