import { runGit } from '../workspace/git';
import type { GitHubConnection } from './client';
import { GitHubError } from './github-error';
import type { PullRequestDraft } from './pr-body';
import type { GitHubRepository } from './repository';
import { gitHubFailure } from './request-errors';

/** What opening a pull request needs. */
export interface PullRequestRequest {
  readonly projectDir: string;
  readonly connection: GitHubConnection;
  readonly repository: GitHubRepository;
  readonly draft: PullRequestDraft;
  /** The commit the pull request's branch points at (the run's integrated work). */
  readonly commit: string;
  /** The branch pushed to origin. */
  readonly branch: string;
  /** The branch to merge into; the repository's default branch when absent. */
  readonly base?: string;
  /** Open it as a draft pull request. */
  readonly asDraft: boolean;
}

/** An opened pull request. */
export interface OpenedPullRequest {
  readonly url: string;
  readonly number: number;
  readonly branch: string;
  readonly base: string;
}

/**
 * Pushes `commit` to a new branch on origin and opens a pull request for it, nothing half-done:
 * access is checked before the push, a branch already on origin is refused (never overwritten), a
 * rejected push leaves no branch, and a pull request GitHub refuses deletes the pushed branch again.
 */
export async function openPullRequest(request: PullRequestRequest): Promise<OpenedPullRequest> {
  const { connection, repository, projectDir, branch } = request;
  const fail = (error: unknown): GitHubError => gitHubFailure(error, connection, repository, 'pull-request');
  let defaultBranch: string;
  try {
    const answer = await connection.octokit.rest.repos.get({ owner: repository.owner, repo: repository.name });
    const data: unknown = answer.data;
    const found = (data as { default_branch?: unknown } | null)?.default_branch;
    if (typeof found !== 'string') throw new GitHubError(`${connection.apiUrl} did not answer like the GitHub API; set GITHUB_API_URL to the API base (GitHub Enterprise Server: https://HOST/api/v3).`);
    defaultBranch = found;
  } catch (error) {
    throw fail(error);
  }
  const base = request.base ?? defaultBranch;
  await refuseExistingBranch(projectDir, branch);
  await push(projectDir, request.commit, branch);
  try {
    const created = await connection.octokit.rest.pulls.create({
      owner: repository.owner,
      repo: repository.name,
      head: branch,
      base,
      title: request.draft.title,
      body: request.draft.body,
      draft: request.asDraft,
    });
    return { url: created.data.html_url, number: created.data.number, branch, base };
  } catch (error) {
    const reason = fail(error).message;
    const removed = await deleteRemoteBranch(projectDir, branch);
    throw new GitHubError(
      removed
        ? `${reason} The pushed branch ${branch} was deleted from origin again; nothing is left half-done.`
        : `${reason} Deleting the pushed branch ${branch} from origin failed too; remove it with \`git push origin --delete ${branch}\`.`,
    );
  }
}

/** The name of a run's pull-request branch: `git.branch_prefix` + "run-" + the run id's first 8 characters. */
export function pullRequestBranch(prefix: string, runId: string): string {
  return `${prefix}run-${runId.slice(0, 8)}`;
}

async function refuseExistingBranch(projectDir: string, branch: string): Promise<void> {
  const listed = await runGit(projectDir, ['ls-remote', '--heads', 'origin', `refs/heads/${branch}`], { allowExitCodes: [1, 2, 128] });
  if (listed.exitCode !== 0) throw new GitHubError(`git could not reach origin (${lastLine(listed.stderr)}); check the remote and your git credentials, then run \`co pr\` again. Nothing was pushed.`);
  if (listed.stdout.trim() !== '') {
    throw new GitHubError(`branch ${branch} already exists on origin (an earlier \`co pr\` for this run?); open its pull request on GitHub, or delete it (git push origin --delete ${branch}) and run \`co pr\` again.`);
  }
}

async function push(projectDir: string, commit: string, branch: string): Promise<void> {
  const result = await runGit(projectDir, ['push', '--porcelain', 'origin', `${commit}:refs/heads/${branch}`], { allowExitCodes: [1, 128] });
  if (result.exitCode !== 0) {
    throw new GitHubError(`git push to origin was rejected (${lastLine(result.stderr || result.stdout)}); check your push access and branch rules on origin, then run \`co pr\` again. Nothing was pushed.`);
  }
}

async function deleteRemoteBranch(projectDir: string, branch: string): Promise<boolean> {
  const result = await runGit(projectDir, ['push', '--porcelain', 'origin', '--delete', `refs/heads/${branch}`], { allowExitCodes: [1, 128] });
  return result.exitCode === 0;
}

function lastLine(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('hint:'));
  return (lines.find((line) => /^(error|fatal|remote: error|!)/.test(line)) ?? lines[lines.length - 1] ?? 'no output').slice(0, 300);
}

