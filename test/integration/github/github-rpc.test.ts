import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { RpcClient } from '../../../src-shared/rpc/client';
import { EventHub } from '../../../src-shared/rpc/event-hub';
import { RpcServer, type Handlers } from '../../../src-shared/rpc/server';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { gitHubHandlers } from '../../../src-main/host/handlers/github-handlers';
import { ProjectSessions } from '../../../src-main/host/project-sessions';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';
import { openProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { SecretStore, type KeychainBackend } from '../../../src-main/workspace/secret-store';
import { startFakeGitHub, type FakeGitHub } from '../../support/fake-github';
import { connectRpcClient } from '../../support/rpc-client';

const TOKEN = 'ghp_rpcTestToken0123456789abcdefghijklmnopq';
/** A keychain with nothing in it. */
const EMPTY_KEYCHAIN: KeychainBackend = { getPassword: async () => null, setPassword: async () => undefined, deletePassword: async () => false };

describe('the github.* methods over the WebSocket host', () => {
  let folder: string;
  let project: string;
  let github: FakeGitHub;
  let sessions: ProjectSessions;
  let web: WebHost;
  let client: RpcClient;
  let socket: WebSocket;
  const env: Record<string, string | undefined> = {};

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-github-rpc-'));
    project = join(folder, 'project');
    await mkdir(project);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: project });
    await writeFile(join(project, 'README.md'), '# rocket\n');
    execFileSync('git', ['add', '.'], { cwd: project });
    execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'initial'], { cwd: project });
    github = await startFakeGitHub({
      token: TOKEN,
      owner: 'acme',
      repo: 'rocket',
      issues: [
        { number: 7, title: 'Say hello', body: '- [ ] greet.txt says hello', labels: ['feature'] },
        { number: 9, title: 'A pull request', pullRequest: true },
      ],
    });
    Object.assign(env, { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: github.url });
    const events = new EventHub();
    sessions = new ProjectSessions(events, (options) => openProjectRuntime({ ...options, env: {}, secretStore: null, backend: new InProcessBackend(() => ({ output: 'done' })) }));
    const handlers = gitHubHandlers(sessions, { env, secretStore: () => new SecretStore({ backend: EMPTY_KEYCHAIN }), readGhToken: async () => null });
    // Only the GitHub methods are served by this host; the rest of the contract is covered elsewhere.
    web = await startWebHost({ server: new RpcServer(handlers as Partial<Handlers> as Handlers), events });
    ({ client, socket } = await connectRpcClient(web));
  });
  afterEach(async () => {
    socket.close();
    await web.close();
    await sessions.closeAll();
    await github.close();
    await rm(folder, { recursive: true, force: true });
    for (const name of Object.keys(env)) delete env[name];
  });

  it('lists issues with the task each became, imports the picked ones, and masks the token', async () => {
    expect(await client.invoke('github.tokenStatus', {})).toEqual({ source: 'GITHUB_TOKEN', masked: expect.stringMatching(/^ghp_\*\*\*.{4}$/), apiUrl: github.url });

    const listed = await client.invoke('github.issues', { project, repo: 'acme/rocket' });
    expect(listed).toMatchObject({ repository: 'acme/rocket', skippedPullRequests: 1, issues: [{ number: 7, title: 'Say hello', labels: ['feature'], importedAs: null }] });

    const imported = await client.invoke('github.importIssues', { project, repo: 'acme/rocket', numbers: [7] });
    expect(imported).toEqual({ created: [{ taskId: '1', issue: 7 }], updated: [], unchanged: [], busy: [] });
    const runtime = await sessions.get(project);
    expect(runtime.orchestrator.getTask('1')).toMatchObject({ title: 'Say hello', tags: ['feature'], acceptanceCriteria: ['greet.txt says hello'], sourceRef: `${github.url}/acme/rocket/issues/7` });
    expect((await client.invoke('github.issues', { project, repo: 'acme/rocket' })).issues[0]?.importedAs).toBe('1');
    expect(await client.invoke('github.importIssues', { project, repo: 'acme/rocket', numbers: [7] })).toMatchObject({ created: [], unchanged: [{ taskId: '1', issue: 7 }] });
  });

  it("refuses in one line what the user can fix: a pull request picked as an issue, no token, no finished run, a bad repository name", async () => {
    await expect(client.invoke('github.importIssues', { project, repo: 'acme/rocket', numbers: [9] })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: '#9 in acme/rocket is a pull request, not an issue; pick issues only.',
    });
    await expect(client.invoke('github.pullRequest', { project, repo: 'acme/rocket', dryRun: true })).rejects.toMatchObject({
      code: 'failed_precondition',
      message: 'no run has finished yet; run the tasks with `co run`, then `co pr`.',
    });
    await expect(client.invoke('github.issues', { project, repo: 'not/a/repo' })).rejects.toMatchObject({ code: 'invalid_input' });
    delete env['GITHUB_TOKEN'];
    expect(await client.invoke('github.tokenStatus', {})).toEqual({ source: 'none', masked: null, apiUrl: github.url });
    await expect(client.invoke('github.issues', { project, repo: 'acme/rocket' })).rejects.toMatchObject({ code: 'failed_precondition', message: expect.stringMatching(/^no GitHub token: set GITHUB_TOKEN/) });
  });
});
