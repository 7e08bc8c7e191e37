import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RpcError } from '../../../src-shared/rpc/errors';
import { createAppHost, type AppHost } from '../../../src-main/host/app-host';
import { projectLockFile } from '../../../src-main/host/project-lock';
import { startWebHost } from '../../../src-main/host/web-host';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { connectRpcClient } from '../../support/rpc-client';
import { createTestHost } from '../../support/test-host';
import { startServeProcess } from '../../support/serve-process';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

/** The error a call failed with. */
async function failure(call: Promise<unknown>): Promise<RpcError> {
  const error: unknown = await call.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof RpcError)) throw new Error(`expected an RpcError, got ${String(error)}`);
  return error;
}

describe('one app per project', () => {
  let folder: string;
  let project: string;
  let host: AppHost;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-project-lock-'));
    project = join(folder, 'project');
    await mkdir(project);
    host = createTestHost(folder, { appLabel: 'the test app' });
  });
  afterEach(async () => {
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('a project open in `co serve` is refused elsewhere with where it is open; free again once that app is killed', async () => {
    expect(existsSync(join(repoRoot, 'dist', 'main', 'cli.mjs')), 'run `npm run build` before the integration tests').toBe(true);
    const serve = await startServeProcess();
    try {
      const { client, socket } = await connectRpcClient({ port: Number(new URL(serve.url).port), token: serve.token });
      await client.invoke('projects.open', { path: project });
      await client.invoke('tasks.create', { project, task: { title: 'Made in the browser' } });
      // The browser tab stays connected: while it shows the project, `co serve` holds it.

      const refused = await failure(host.server.call('projects.open', { path: project }, { transport: 'in-process' }).then(unwrap));
      expect(refused.code).toBe('conflict');
      expect(refused.message).toContain('is already open in a browser session of `co serve`');
      expect(refused.message).toContain(`process ${String(serve.child.pid)}`);
      // Project-scoped calls are refused too, and nothing is written to its database.
      const listing = await failure(host.server.call('tasks.list', { project }, { transport: 'in-process' }).then(unwrap));
      expect(listing.code).toBe('conflict');

      // A crashed app leaves its lock file behind; a dead process does not hold the project.
      serve.child.kill('SIGKILL');
      socket.terminate();
      await new Promise((resolve) => serve.child.once('exit', resolve));
      expect(existsSync(projectLockFile(project))).toBe(true);
      await host.server.call('projects.open', { path: project }, { transport: 'in-process' }).then(unwrap);
      const tasks = (await host.server.call('tasks.list', { project }, { transport: 'in-process' }).then(unwrap)) as Array<{ title: string }>;
      expect(tasks.map((task) => task.title)).toEqual(['Made in the browser']);
      expect(JSON.parse(await readFile(projectLockFile(project), 'utf8'))).toMatchObject({ app: 'the test app', pid: process.pid });
    } finally {
      await serve.stop();
    }
  });

  it('closing the project (Switch project) releases it to other apps; closing the host does too', async () => {
    const other = createTestHost(folder, { userData: 'other-user-data', appLabel: 'the other app' });
    try {
      await host.server.call('tasks.list', { project }, { transport: 'in-process' }).then(unwrap);
      expect(existsSync(projectLockFile(project))).toBe(true);
      const refused = await failure(other.server.call('tasks.list', { project }, { transport: 'in-process' }).then(unwrap));
      expect(refused.message).toContain('is already open in the test app');

      expect(await host.server.call('projects.close', { project }, { transport: 'in-process' }).then(unwrap)).toEqual({ closed: true });
      expect(existsSync(projectLockFile(project))).toBe(false);
      await other.server.call('tasks.list', { project }, { transport: 'in-process' }).then(unwrap);
      expect((await failure(host.server.call('projects.open', { path: project }, { transport: 'in-process' }).then(unwrap))).message).toContain('the other app');

      await other.close();
      expect(existsSync(projectLockFile(project))).toBe(false);
      await host.server.call('projects.open', { path: project }, { transport: 'in-process' }).then(unwrap);
    } finally {
      await other.close();
    }
  });
});

describe('several tabs on one project', () => {
  it('one tab leaving keeps the project open for the other; the last one leaving (or disconnecting) releases it', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'co-viewers-'));
    const project = join(folder, 'project');
    await mkdir(project);
    const host = createTestHost(folder);
    const web = await startWebHost({ server: host.server, events: host.events, onClientGone: (client) => host.clientGone(client) });
    try {
      const a = await connectRpcClient(web);
      const b = await connectRpcClient(web);
      for (const tab of [a, b]) {
        await tab.client.invoke('projects.open', { path: project });
        await tab.client.invoke('tasks.list', { project });
      }
      expect(await a.client.invoke('projects.close', { project })).toEqual({ closed: false });
      expect(existsSync(projectLockFile(project))).toBe(true);
      expect(host.sessions.isOpen(project)).toBe(true);
      await b.client.invoke('tasks.create', { project, task: { title: 'Still here' } });

      // The last tab is closed without saying goodbye: its socket closing is enough.
      b.socket.close();
      await expect.poll(() => existsSync(projectLockFile(project))).toBe(false);
      expect(host.sessions.isOpen(project)).toBe(false);
      a.socket.close();
    } finally {
      await web.close();
      await host.close();
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('projects.initGit', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-init-git-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('waits for a run to end, then makes the folder a repository and reopens the project with worktrees', async () => {
    const project = join(folder, 'project');
    await mkdir(project);
    await writeFile(join(project, 'app.js'), 'console.log(1);\n');
    const host = createTestHost(folder, { backend: new InProcessBackend(() => ({ durationMs: 1_500 })) });
    const call = (method: string, input: unknown) => host.server.call(method, input, { transport: 'in-process' }).then(unwrap);
    try {
      await call('tasks.create', { project, task: { title: 'Slow one' } });
      const finished = new Promise<void>((resolve) => host.events.listen((event) => event === 'run.finished' && resolve()));
      await call('runs.start', { project });
      const refused = await failure(call('projects.initGit', { project }));
      expect(refused.code).toBe('failed_precondition');
      expect(refused.message).toContain('A run is in progress in this folder. Stop it (Run tab), then initialise git.');
      expect(existsSync(join(project, '.git'))).toBe(false);
      await finished;

      expect(await call('projects.initGit', { project })).toMatchObject({ path: project, isGitRepository: true });
      expect(existsSync(join(project, '.git'))).toBe(true);
      // The project reopens as a git project: its runtime now isolates attempts in worktrees.
      expect((await host.sessions.get(project)).usesWorktrees).toBe(true);
      expect(await readFile(join(project, '.gitignore'), 'utf8')).toContain('.orchestrator/');
    } finally {
      await host.close();
    }
  });
});

describe('the native folder dialog', () => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-pick-folder-'));
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('is offered by a host with dialogs (the desktop shell) and refused with a way forward by `co serve`', async () => {
    const titles: string[] = [];
    const desktop = createAppHost({
      userDataDir: join(folder, 'desktop'),
      version: 'test',
      // Stands in for Electron's dialog.showOpenDialog, which cannot run without the Electron binary.
      dialogs: { pickFolder: (title) => (titles.push(title), Promise.resolve(titles.length === 1 ? folder : null)) },
    });
    const browser = createAppHost({ userDataDir: join(folder, 'browser'), version: 'test' });
    try {
      const call = (target: AppHost, method: string, input: unknown) => target.server.call(method, input, { transport: 'in-process' }).then(unwrap);
      expect(await call(desktop, 'app.info', {})).toMatchObject({ capabilities: { nativeFolderPicker: true } });
      expect(await call(browser, 'app.info', {})).toMatchObject({ capabilities: { nativeFolderPicker: false } });
      expect(await call(desktop, 'app.pickFolder', { title: 'Open a project folder' })).toEqual({ path: folder });
      expect(await call(desktop, 'app.pickFolder', {})).toEqual({ path: null });
      expect(titles).toEqual(['Open a project folder', 'Open a project folder']);
      const refused = await failure(call(browser, 'app.pickFolder', {}));
      expect(refused.code).toBe('failed_precondition');
      expect(refused.message).toContain('Type the folder path instead.');
    } finally {
      await desktop.close();
      await browser.close();
    }
  });
});

function unwrap(result: Awaited<ReturnType<AppHost['server']['call']>>): unknown {
  if (result.ok) return result.output;
  throw RpcError.fromData(result.error);
}
