import type { SecretStore } from '../workspace/secret-store';
import { createGitHubClient, gitHubApiUrl, gitHubHostOf, type GitHubConnection } from './client';
import { resolveGitHubToken, type GhTokenReader } from './token';

/** Finds the token (GITHUB_TOKEN, GH_TOKEN, the keychain, `gh auth token`) and opens a client for GITHUB_API_URL. */
export async function connectGitHub(options: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly secretStore: SecretStore | null;
  readonly onWait?: (line: string) => void;
  readonly readGhToken?: GhTokenReader;
}): Promise<GitHubConnection> {
  const apiUrl = gitHubApiUrl(options.env);
  const token = await resolveGitHubToken({
    env: options.env,
    secretStore: options.secretStore,
    host: gitHubHostOf(apiUrl),
    ...(options.readGhToken === undefined ? {} : { readGhToken: options.readGhToken }),
  });
  return createGitHubClient({ token: token.value, tokenSource: token.source, env: options.env, ...(options.onWait === undefined ? {} : { onWait: options.onWait }) });
}
