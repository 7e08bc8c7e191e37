import type { GitHubConnection } from './client';
import { headersOf, isUnreachable, rateLimitReset, statusOf } from './client';
import { GitHubError } from './github-error';
import { repositoryLabel, type GitHubRepository } from './repository';

/** What the request was for: says which permissions a token needs. */
export type GitHubPurpose = 'import-issues' | 'pull-request';

const NEEDED: Readonly<Record<GitHubPurpose, string>> = {
  'import-issues': 'a classic token needs the `repo` scope (`public_repo` for a public repository); a fine-grained token needs Issues: read',
  'pull-request': 'a classic token needs the `repo` scope (`public_repo` for a public repository); a fine-grained token needs Contents and Pull requests: read and write',
};

/** The place to fix a token for an API base. */
function tokenPlace(connection: GitHubConnection): string {
  return connection.tokenSource === 'keychain' ? 'Settings → GitHub' : connection.tokenSource === 'gh auth token' ? '`gh auth login`' : connection.tokenSource;
}

/**
 * Turns an Octokit failure into a GitHubError of one line saying what to do: unreachable or not
 * the API (GITHUB_API_URL), 401 (the token), 403/404 (access, with the scopes needed), a rate
 * limit (when it resets). Anything else keeps GitHub's own words.
 */
export function gitHubFailure(error: unknown, connection: GitHubConnection, repository: GitHubRepository, purpose: GitHubPurpose, now = Date.now()): GitHubError {
  if (error instanceof GitHubError) return error;
  const repo = repositoryLabel(repository);
  const api = connection.apiUrl;
  if (isUnreachable(error)) {
    const cause = error instanceof Error ? error.message : String(error);
    return new GitHubError(`could not reach the GitHub API at ${api} (${cause}); check the network, or GITHUB_API_URL (GitHub Enterprise Server: https://HOST/api/v3).`);
  }
  const status = statusOf(error);
  const headers = headersOf(error);
  if (status !== undefined && !isJson(headers)) {
    return new GitHubError(`${api} answered ${status} with ${headers['content-type'] ?? 'no content type'}, not the GitHub API; set GITHUB_API_URL to the API base (GitHub Enterprise Server: https://HOST/api/v3).`);
  }
  const limit = rateLimitReset(error, now);
  if (limit !== null) {
    const at = new Date(limit.resetAt).toISOString().slice(11, 16);
    return new GitHubError(`GitHub's rate limit for this token is used up until ${at} UTC (in ${Math.max(1, Math.ceil(limit.waitMs / 60_000))} min); try again then.`);
  }
  const granted = headers['x-oauth-scopes'];
  const scopes = granted === undefined ? '' : ` (the token has: ${granted === '' ? 'no scopes' : granted})`;
  switch (status) {
    case 401:
      return new GitHubError(`GitHub refused the token from ${tokenPlace(connection)} (401 Bad credentials): it is wrong, expired or revoked, or it belongs to another server than ${api}; create a new one and set it again.`);
    case 403:
      return new GitHubError(`GitHub denied access to ${repo} (403: ${messageOf(error)})${scopes}; ${NEEDED[purpose]}.`);
    case 404:
      return new GitHubError(`GitHub found no repository ${repo} the token can see (404)${scopes}: check --repo or origin; ${NEEDED[purpose]}.`);
    default:
      return new GitHubError(`GitHub answered ${status ?? 'with an error'} for ${repo}: ${messageOf(error)}`);
  }
}

function isJson(headers: Readonly<Record<string, string | undefined>>): boolean {
  const type = headers['content-type'];
  return type === undefined || /json/i.test(type);
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 400);
}
