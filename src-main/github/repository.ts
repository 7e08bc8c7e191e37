import { runGit } from '../workspace/git';
import { GitHubError } from './github-error';

/** A GitHub repository: owner and name as in github.com/owner/name. */
export interface GitHubRepository {
  readonly owner: string;
  readonly name: string;
}

const PART = /^[A-Za-z0-9_.-]{1,100}$/;

/** "owner/name" of a repository. */
export function repositoryLabel(repository: GitHubRepository): string {
  return `${repository.owner}/${repository.name}`;
}

/** Parses `--repo owner/name`; throws a GitHubError naming the expected form. */
export function parseRepositoryOption(value: string): GitHubRepository {
  const [owner, name, ...rest] = value.trim().split('/');
  if (owner === undefined || name === undefined || rest.length > 0 || !PART.test(owner) || !PART.test(name.replace(/\.git$/, ''))) {
    throw new GitHubError(`--repo must be owner/name (e.g. octocat/hello-world); got "${value}".`);
  }
  return { owner, name: name.replace(/\.git$/, '') };
}

/**
 * The owner and name in a remote URL: https://host/owner/name(.git), ssh://[user@]host[:port]/owner/name(.git)
 * or the scp-like git@host:owner/name(.git); null for anything else (a local path, a bare host).
 */
export function parseRemoteUrl(url: string): (GitHubRepository & { readonly host: string }) | null {
  const trimmed = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/)([^/\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(trimmed);
  if (scp !== null && !/^[A-Za-z]+:\/\//.test(trimmed)) return checked(scp[1], scp[2], scp[3]);
  let parsed: URL;
  try {
    parsed = new URL(trimmed);
  } catch {
    return null;
  }
  if (!['https:', 'http:', 'ssh:', 'git+ssh:', 'git:'].includes(parsed.protocol)) return null;
  const parts = parsed.pathname.replace(/^\/+|\/+$/g, '').split('/');
  if (parts.length !== 2) return null;
  return checked(parsed.hostname, parts[0], (parts[1] ?? '').replace(/\.git$/, ''));
}

function checked(host: string | undefined, owner: string | undefined, name: string | undefined): (GitHubRepository & { readonly host: string }) | null {
  if (host === undefined || owner === undefined || name === undefined || !PART.test(owner) || !PART.test(name)) return null;
  return { host, owner, name };
}

/** The URL of the project's `origin` remote, or null when there is none. */
export async function originUrl(projectDir: string): Promise<string | null> {
  const result = await runGit(projectDir, ['remote', 'get-url', 'origin'], { allowExitCodes: [2, 128] });
  const url = result.stdout.trim();
  return result.exitCode === 0 && url !== '' ? url : null;
}

/** The repository to work on: `--repo` when given, else the one `origin` points at; a GitHubError says what to do otherwise. */
export async function resolveRepository(projectDir: string, option: string | undefined): Promise<GitHubRepository> {
  if (option !== undefined) return parseRepositoryOption(option);
  const url = await originUrl(projectDir);
  if (url === null) {
    throw new GitHubError(`${projectDir} has no \`origin\` remote; add one (git remote add origin https://github.com/OWNER/NAME.git) or name the repository as owner/name (\`--repo\`, or the Repository field in the app).`);
  }
  const parsed = parseRemoteUrl(url);
  if (parsed === null) throw new GitHubError('the `origin` remote is not a GitHub repository URL (https://HOST/OWNER/NAME or git@HOST:OWNER/NAME); name the repository as owner/name (`--repo`, or the Repository field in the app).');
  return { owner: parsed.owner, name: parsed.name };
}
