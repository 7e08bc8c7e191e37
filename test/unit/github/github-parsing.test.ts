import { describe, expect, it } from 'vitest';
import { gitHubApiUrl, gitHubHostOf, rateLimitReset } from '../../../src-main/github/client';
import { checklistOf } from '../../../src-main/github/issue-tasks';
import { issueOfSource } from '../../../src-main/github/pr-body';
import { parseRemoteUrl, parseRepositoryOption } from '../../../src-main/github/repository';
import { resolveGitHubToken } from '../../../src-main/github/token';
import { SecretStore, type KeychainBackend } from '../../../src-main/workspace/secret-store';
import { redactSecrets } from '../../../src-main/workspace/redact';

describe('GitHub repository names', () => {
  it.each([
    ['https://github.com/acme/rocket.git', 'github.com'],
    ['https://github.com/acme/rocket', 'github.com'],
    ['https://user:secret@ghe.example.com/acme/rocket.git', 'ghe.example.com'],
    ['git@github.com:acme/rocket.git', 'github.com'],
    ['git@github.com:acme/rocket', 'github.com'],
    ['ssh://git@ghe.example.com:2222/acme/rocket.git', 'ghe.example.com'],
  ])('reads owner and name from %s', (url, host) => {
    expect(parseRemoteUrl(url)).toEqual({ host, owner: 'acme', name: 'rocket' });
  });

  it.each(['/srv/git/rocket.git', 'file:///srv/git/rocket.git', 'https://github.com/acme', 'https://github.com/a/b/c', 'not a url'])('refuses %s', (url) => {
    expect(parseRemoteUrl(url)).toBeNull();
  });

  it('parses --repo owner/name and says what is expected otherwise', () => {
    expect(parseRepositoryOption('acme/rocket.git')).toEqual({ owner: 'acme', name: 'rocket' });
    expect(() => parseRepositoryOption('acme')).toThrow('--repo must be owner/name (e.g. octocat/hello-world); got "acme".');
    expect(() => parseRepositoryOption('a/b/c')).toThrow(/--repo must be owner\/name/);
  });
});

describe('GitHub API base, rate limits, issues', () => {
  it('takes GITHUB_API_URL, else api.github.com, and the host gh is asked about', () => {
    expect(gitHubApiUrl({})).toBe('https://api.github.com');
    expect(gitHubApiUrl({ GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe('https://ghe.example.com/api/v3');
    expect(gitHubHostOf('https://api.github.com')).toBe('github.com');
    expect(gitHubHostOf('https://ghe.example.com/api/v3')).toBe('ghe.example.com');
  });

  it('reads a rate limit from x-ratelimit-* or retry-after, and nothing else', () => {
    const now = 1_000_000_000_000;
    const limited = (status: number, headers: Record<string, string>) => ({ status, response: { headers } });
    expect(rateLimitReset(limited(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 30) }), now)).toEqual({ waitMs: 30_000, resetAt: now + 30_000 });
    expect(rateLimitReset(limited(429, { 'retry-after': '5' }), now)).toEqual({ waitMs: 5_000, resetAt: now + 5_000 });
    expect(rateLimitReset(limited(403, { 'x-ratelimit-remaining': '12' }), now)).toBeNull();
    expect(rateLimitReset(limited(404, { 'x-ratelimit-remaining': '0' }), now)).toBeNull();
  });

  it('reads task-list items of an issue body as acceptance criteria', () => {
    expect(checklistOf('Intro\n- [ ] works offline\n* [x] keeps passwords\n- not a check\n  - [ ]  \n+ [X] nested ok')).toEqual(['works offline', 'keeps passwords', 'nested ok']);
  });

  it('finds the issue a task came from in its source link', () => {
    expect(issueOfSource('https://github.com/acme/rocket/issues/12')).toEqual({ owner: 'acme', name: 'rocket', number: 12 });
    expect(issueOfSource('https://github.com/acme/rocket/pull/12')).toBeNull();
    expect(issueOfSource('prd.md#L3')).toBeNull();
    expect(issueOfSource(null)).toBeNull();
  });
});

describe('GitHub token', () => {
  const keychain = (value: string | null): SecretStore => {
    const backend: KeychainBackend = { getPassword: async () => value, setPassword: async () => undefined, deletePassword: async () => true };
    return new SecretStore({ backend });
  };
  const noGh = async () => null;

  it('is looked for in GITHUB_TOKEN, GH_TOKEN, the keychain, then gh auth token, and masked once found', async () => {
    const custom = 'customtoken_0123456789_abcdef';
    expect(await resolveGitHubToken({ env: { GITHUB_TOKEN: 'a_first_token_123456', GH_TOKEN: 'b_second_token_12345' }, secretStore: keychain('c'), host: 'github.com', readGhToken: noGh })).toEqual({ value: 'a_first_token_123456', source: 'GITHUB_TOKEN' });
    expect(await resolveGitHubToken({ env: { GITHUB_TOKEN: '', GH_TOKEN: 'b_second_token_12345' }, secretStore: null, host: 'github.com', readGhToken: noGh })).toMatchObject({ source: 'GH_TOKEN' });
    expect(await resolveGitHubToken({ env: {}, secretStore: keychain(custom), host: 'github.com', readGhToken: noGh })).toEqual({ value: custom, source: 'keychain' });
    expect(redactSecrets(`token ${custom} here`)).not.toContain(custom);
    let askedHost = '';
    const fromGh = await resolveGitHubToken({ env: {}, secretStore: keychain(null), host: 'ghe.example.com', readGhToken: async (host) => ((askedHost = host), 'gho_fromTheGitHubCli0123456789') });
    expect(fromGh.source).toBe('gh auth token');
    expect(askedHost).toBe('ghe.example.com');
  });

  it('is checked before the keychain stores it', async () => {
    const saved: string[] = [];
    const backend: KeychainBackend = { getPassword: async () => null, setPassword: async (_service, _account, value) => void saved.push(value), deletePassword: async () => true };
    const store = new SecretStore({ backend });
    await expect(store.set('github-token', 'ghp_has a space0123456789abcdef')).rejects.toThrow('Not a GitHub token: expected ghp_…, github_pat_… or another token of letters, digits and "_".');
    await store.set('github-token', 'github_pat_0123456789abcdefghijklmnop_QRSTUV');
    expect(saved).toEqual(['github_pat_0123456789abcdefghijklmnop_QRSTUV']);
  });

  it('says where a token can go when there is none, also without a keychain', async () => {
    const broken: KeychainBackend = { getPassword: async () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')), setPassword: async () => undefined, deletePassword: async () => true };
    await expect(resolveGitHubToken({ env: {}, secretStore: new SecretStore({ backend: broken }), host: 'github.com', readGhToken: noGh })).rejects.toThrow(
      'no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), store one in the OS keychain from Settings → GitHub, or log in with the GitHub CLI (`gh auth login`).',
    );
  });
});
