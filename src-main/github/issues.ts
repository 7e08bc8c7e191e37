import type { GitHubConnection } from './client';
import { GitHubError } from './github-error';
import type { GitHubRepository } from './repository';

/** An issue as the import uses it. */
export interface GitHubIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly htmlUrl: string;
  readonly state: 'open' | 'closed';
  readonly labels: ReadonlyArray<string>;
}

/** Which issues to list. */
export interface IssueFilter {
  /** Issues carrying every one of these labels (GitHub's own `labels` filter). */
  readonly labels: ReadonlyArray<string>;
  readonly state: 'open' | 'closed' | 'all';
  /** At most this many issues (pull requests do not count). */
  readonly limit: number;
}

/** The issues found, and how many pull requests the listing held (GitHub lists them with the issues; they are skipped). */
export interface IssueListing {
  readonly issues: ReadonlyArray<GitHubIssue>;
  readonly skippedPullRequests: number;
}

interface RawIssue {
  readonly number?: unknown;
  readonly title?: unknown;
  readonly body?: unknown;
  readonly html_url?: unknown;
  readonly state?: unknown;
  readonly labels?: unknown;
  readonly pull_request?: unknown;
}

/**
 * Lists a repository's issues, newest first, following pagination until `limit` issues are found;
 * pull requests in the listing are skipped. Octokit errors are left to the caller (gitHubFailure).
 */
export async function listIssues(connection: GitHubConnection, repository: GitHubRepository, filter: IssueFilter): Promise<IssueListing> {
  const { octokit } = connection;
  const issues: GitHubIssue[] = [];
  let skippedPullRequests = 0;
  const pages = octokit.paginate.iterator(octokit.rest.issues.listForRepo, {
    owner: repository.owner,
    repo: repository.name,
    state: filter.state,
    ...(filter.labels.length === 0 ? {} : { labels: filter.labels.join(',') }),
    per_page: Math.min(100, Math.max(1, filter.limit)),
  });
  for await (const page of pages) {
    const rows: unknown = page.data;
    if (!Array.isArray(rows)) throw new GitHubError(`${connection.apiUrl} did not answer with a list of issues; set GITHUB_API_URL to the API base (GitHub Enterprise Server: https://HOST/api/v3).`);
    for (const row of rows as ReadonlyArray<RawIssue>) {
      if (row.pull_request !== undefined && row.pull_request !== null) {
        skippedPullRequests += 1;
        continue;
      }
      const issue = issueOf(row);
      if (issue !== null) issues.push(issue);
      if (issues.length >= filter.limit) return { issues, skippedPullRequests };
    }
  }
  return { issues, skippedPullRequests };
}

function issueOf(row: RawIssue): GitHubIssue | null {
  if (typeof row.number !== 'number' || typeof row.title !== 'string' || typeof row.html_url !== 'string') return null;
  const labels = Array.isArray(row.labels)
    ? (row.labels as ReadonlyArray<unknown>).map((label) => (typeof label === 'string' ? label : typeof (label as { name?: unknown })?.name === 'string' ? (label as { name: string }).name : null)).filter((label): label is string => label !== null)
    : [];
  return { number: row.number, title: row.title, body: typeof row.body === 'string' ? row.body : '', htmlUrl: row.html_url, state: row.state === 'closed' ? 'closed' : 'open', labels };
}
