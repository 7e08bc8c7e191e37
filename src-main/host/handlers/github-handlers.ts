import { RpcError } from '../../../src-shared/rpc/errors';
import type { Handlers } from '../../../src-shared/rpc/server';
import { gitHubApiUrl, gitHubHostOf } from '../../github/client';
import { GitHubError } from '../../github/github-error';
import { createRunPullRequest, importChosenIssues, listRepositoryIssues, type GitHubAccess } from '../../github/github-service';
import { resolveGitHubToken, type GhTokenReader } from '../../github/token';
import type { DesktopNotifier } from '../../notify/desktop-notifier';
import { maskSecret } from '../../workspace/redact';
import { SecretStore } from '../../workspace/secret-store';
import { mapEngineErrors } from '../engine-errors';
import type { ProjectSessions } from '../project-sessions';
import type { HostEnvironment } from './settings-secrets';

type GitHubHandlers = Pick<Handlers, 'github.tokenStatus' | 'github.issues' | 'github.importIssues' | 'github.pullRequest'>;

/** What the host may decide about the GitHub methods (tests inject a private keychain and environment). */
export interface GitHubHandlerOptions {
  readonly secretStore?: () => SecretStore;
  readonly env?: HostEnvironment;
  /** Asks the GitHub CLI for a token (default: `gh auth token`). */
  readonly readGhToken?: GhTokenReader;
  /** Shows "pull request opened" with its URL (the Electron shell's notifications). */
  readonly desktopNotifier?: DesktopNotifier;
}

/** Handlers of the GitHub flow: token status, issues listed and imported as tasks, a run's pull request. */
export function gitHubHandlers(sessions: ProjectSessions, options: GitHubHandlerOptions = {}): GitHubHandlers {
  let store: SecretStore | undefined;
  const secretStore = (): SecretStore => (store ??= options.secretStore?.() ?? new SecretStore());
  const gh = options.readGhToken === undefined ? {} : { readGhToken: options.readGhToken };
  const access = (): GitHubAccess => ({ env: options.env ?? process.env, secretStore: secretStore(), ...gh });
  return {
    'github.tokenStatus': async () => {
      const env = options.env ?? process.env;
      const apiUrl = gitHubApiUrl(env);
      try {
        const token = await resolveGitHubToken({ env, secretStore: secretStore(), host: gitHubHostOf(apiUrl), ...gh });
        return { source: token.source, masked: maskSecret(token.value, { keepPrefix: token.value.startsWith('github_pat_') ? 11 : 4, showTail: true }), apiUrl };
      } catch {
        return { source: 'none' as const, masked: null, apiUrl };
      }
    },
    'github.issues': ({ project, repo, state, labels, limit }) =>
      gitHubCall(async () => {
        const runtime = await sessions.get(project);
        const listing = await listRepositoryIssues(runtime.projectDir, repo, { state, labels, limit }, access());
        const imported = new Map<string, string>();
        for (const task of runtime.orchestrator.listTasks()) if (task.sourceRef !== null) imported.set(task.sourceRef, task.id);
        return {
          repository: listing.repository,
          skippedPullRequests: listing.skippedPullRequests,
          issues: listing.issues.map((issue) => ({ ...issue, importedAs: imported.get(issue.htmlUrl) ?? null })),
        };
      }),
    'github.importIssues': ({ project, repo, numbers }) =>
      gitHubCall(async () => {
        const runtime = await sessions.get(project);
        return importChosenIssues(runtime.orchestrator, runtime.projectDir, repo, numbers, access());
      }),
    'github.pullRequest': ({ project, runId, repo, base, draft, dryRun }) =>
      gitHubCall(async () => {
        const runtime = await sessions.get(project);
        const outcome = await createRunPullRequest(
          runtime,
          { draft, dryRun, managerSummary: true, ...(runId === undefined ? {} : { runId }), ...(repo === undefined ? {} : { repo }), ...(base === undefined ? {} : { base }) },
          access(),
        );
        if (!outcome.dryRun && runtime.config.notifications.desktop) {
          options.desktopNotifier?.notify({ title: `Pull request #${outcome.number} opened`, body: `${outcome.title}\n${outcome.url}`, urgency: 'normal', project: runtime.projectDir });
        }
        return outcome;
      }),
  };
}

/** GitHub's user-fixable problems are failed_precondition with their one line; engine errors map as elsewhere. */
async function gitHubCall<T>(body: () => Promise<T>): Promise<T> {
  return mapEngineErrors(async () => {
    try {
      return await body();
    } catch (error) {
      if (error instanceof GitHubError) throw new RpcError('failed_precondition', error.message);
      throw error;
    }
  });
}
