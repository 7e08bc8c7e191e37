import type { Orchestrator } from '../engine/orchestrator';
import type { ProjectRuntime } from '../runtime/project-runtime';
import { assertValidBranchName } from '../workspace/git';
import type { SecretStore } from '../workspace/secret-store';
import type { GitHubConnection } from './client';
import { connectGitHub } from './connect';
import { GitHubError } from './github-error';
import { importIssuesAsTasks, type IssueImportSummary } from './issue-tasks';
import { listIssues, type GitHubIssue, type IssueFilter } from './issues';
import { openPullRequest, pullRequestBranch } from './pull-request';
import { originUrl, repositoryLabel, resolveRepository, type GitHubRepository } from './repository';
import { gitHubFailure } from './request-errors';
import type { GhTokenReader } from './token';
import { prepareRunPullRequest } from './run-pull-request';

/** Where a GitHub call finds its token and says it waits for a rate limit. */
export interface GitHubAccess {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secretStore: SecretStore | null;
  readonly onWait?: (line: string) => void;
  readonly readGhToken?: GhTokenReader;
}

/** A repository's issues, and how many pull requests the listing held. */
export interface RepositoryIssues {
  readonly repository: string;
  readonly issues: ReadonlyArray<GitHubIssue>;
  readonly skippedPullRequests: number;
}

/** Lists the issues of `repo` (or origin's repository) with the filter; GitHub's refusals become one-line GitHubErrors. */
export async function listRepositoryIssues(projectDir: string, repo: string | undefined, filter: IssueFilter, access: GitHubAccess): Promise<RepositoryIssues & { readonly resolved: GitHubRepository }> {
  const repository = await resolveRepository(projectDir, repo);
  const connection = await connect(access);
  const listing = await listIssues(connection, repository, filter).catch((error: unknown) => {
    throw gitHubFailure(error, connection, repository, 'import-issues');
  });
  return { repository: repositoryLabel(repository), resolved: repository, ...listing };
}

/** Fetches the chosen issues by number and imports them as tasks (updating those imported before). */
export async function importChosenIssues(orchestrator: Orchestrator, projectDir: string, repo: string | undefined, numbers: ReadonlyArray<number>, access: GitHubAccess): Promise<IssueImportSummary> {
  const repository = await resolveRepository(projectDir, repo);
  const connection = await connect(access);
  const issues: GitHubIssue[] = [];
  for (const number of new Set(numbers)) {
    const answer = await connection.octokit.rest.issues.get({ owner: repository.owner, repo: repository.name, issue_number: number }).catch((error: unknown) => {
      throw gitHubFailure(error, connection, repository, 'import-issues');
    });
    const row = answer.data as { number: number; title: string; body?: string | null; html_url: string; state: string; labels: ReadonlyArray<string | { name?: string }>; pull_request?: unknown };
    if (row.pull_request !== undefined && row.pull_request !== null) throw new GitHubError(`#${number} in ${repositoryLabel(repository)} is a pull request, not an issue; pick issues only.`);
    issues.push({
      number: row.number,
      title: row.title,
      body: row.body ?? '',
      htmlUrl: row.html_url,
      state: row.state === 'closed' ? 'closed' : 'open',
      labels: row.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))).filter((label) => label !== ''),
    });
  }
  return importIssuesAsTasks(orchestrator, issues);
}

/** What `co pr` and the app's "Create pull request" ask for. */
export interface PullRequestOptions {
  readonly repo?: string;
  readonly base?: string;
  readonly runId?: string;
  readonly draft: boolean;
  readonly dryRun: boolean;
  /** Ask the manager for the run summary that heads the body (else the composed one). */
  readonly managerSummary: boolean;
}

/** A pull request opened, or (dry run) only composed. */
export interface PullRequestOutcome {
  readonly dryRun: boolean;
  readonly repository: string;
  readonly runId: string;
  readonly branch: string;
  /** The base branch; null in a dry run without --base (the repository's default branch). */
  readonly base: string | null;
  readonly commit: string;
  readonly title: string;
  readonly body: string;
  readonly closes: ReadonlyArray<string>;
  readonly url: string | null;
  readonly number: number | null;
  /** Why the manager's summary was not used, when it was asked and failed. */
  readonly note: string | null;
}

/**
 * A run's pull request: composed from the run (the manager's summary when asked and available), then,
 * unless a dry run, its work pushed to `git.branch_prefix` + run-<id> on origin and the pull request
 * opened (see openPullRequest for what is undone on failure). The token is looked up first, so a
 * missing one costs no manager call.
 */
export async function createRunPullRequest(runtime: ProjectRuntime, options: PullRequestOptions, access: GitHubAccess): Promise<PullRequestOutcome> {
  const projectDir = runtime.projectDir;
  const repository = await resolveRepository(projectDir, options.repo);
  let connection: GitHubConnection | null = null;
  if (!options.dryRun) {
    if ((await originUrl(projectDir)) === null) {
      throw new GitHubError(`${projectDir} has no \`origin\` remote to push the run's branch to; add one (git remote add origin URL), then try again.`);
    }
    connection = await connect(access);
  }
  const prepared = await prepareRunPullRequest({
    projectDir,
    store: runtime.orchestrator.store,
    repository,
    ...(options.runId === undefined ? {} : { runId: options.runId }),
    ...(options.managerSummary ? { summarize: async (input) => (await runtime.manager().summarizeRun(input)).text } : {}),
  });
  const prefix = runtime.config.git.branch_prefix;
  const branch = pullRequestBranch(prefix, prepared.run.id);
  await assertValidBranchName(projectDir, branch).catch(() => {
    throw new GitHubError(`git.branch_prefix "${prefix}" gives the branch name "${branch}", which git refuses; fix git.branch_prefix in orchestrator_config.json.`);
  });
  const outcome = {
    repository: repositoryLabel(repository),
    runId: prepared.run.id,
    branch,
    commit: prepared.commit,
    title: prepared.draft.title,
    body: prepared.draft.body,
    closes: prepared.draft.closes,
    note: prepared.note,
  };
  if (connection === null) return { ...outcome, dryRun: true, base: options.base ?? null, url: null, number: null };
  const opened = await openPullRequest({
    projectDir,
    connection,
    repository,
    draft: prepared.draft,
    commit: prepared.commit,
    branch,
    asDraft: options.draft,
    ...(options.base === undefined ? {} : { base: options.base }),
  });
  return { ...outcome, dryRun: false, base: opened.base, url: opened.url, number: opened.number };
}

function connect(access: GitHubAccess): Promise<GitHubConnection> {
  return connectGitHub({
    env: access.env,
    secretStore: access.secretStore,
    ...(access.onWait === undefined ? {} : { onWait: access.onWait }),
    ...(access.readGhToken === undefined ? {} : { readGhToken: access.readGhToken }),
  });
}
