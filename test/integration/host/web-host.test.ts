import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createAppHost, type AppHost } from '../../../src-main/host/app-host';
import { startWebHost, type WebHost } from '../../../src-main/host/web-host';

interface Reply {
  type: string;
  id?: number | null;
  ok?: boolean;
  output?: unknown;
  error?: { code: string; message: string; issues?: Array<{ path: string }> };
  event?: string;
  payload?: unknown;
}

/** Opens a WebSocket and resolves when it opens, or rejects with the HTTP status of a refusal. */
function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused with ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

/** Collects messages so tests can wait for the one they expect. */
function inbox(ws: WebSocket) {
  const messages: Reply[] = [];
  const waiters: Array<{ match: (m: Reply) => boolean; resolve: (m: Reply) => void }> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as Reply;
    messages.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.match(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  return {
    next(match: (m: Reply) => boolean): Promise<Reply> {
      const found = messages.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('WebSocket host', () => {
  let folder: string;
  let host: AppHost;
  let web: WebHost;
  let rpcUrl: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'co-web-host-'));
    host = createAppHost({ userDataDir: join(folder, 'user-data'), version: '9.9.9' });
    web = await startWebHost({ server: host.server, events: host.events });
    rpcUrl = `ws://127.0.0.1:${web.port}/rpc?token=${web.token}`;
  });
  afterEach(async () => {
    await web.close();
    await host.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('refuses a connection without the token, or with a wrong one', async () => {
    await expect(connect(`ws://127.0.0.1:${web.port}/rpc`)).rejects.toThrow('refused with 401');
    await expect(connect(`ws://127.0.0.1:${web.port}/rpc?token=wrong`)).rejects.toThrow('refused with 401');
    expect(web.clientCount).toBe(0);
  });

  it('refuses a page from another origin even with the token', async () => {
    await expect(connect(rpcUrl, { Origin: 'http://evil.example' })).rejects.toThrow('refused with 403');
  });

  it('answers a call with the token', async () => {
    const ws = await connect(rpcUrl, { Origin: `http://127.0.0.1:${web.port}` });
    const messages = inbox(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'app.info', input: {} }));
    const reply = await messages.next((m) => m.id === 1);
    expect(reply).toMatchObject({ ok: true, output: { version: '9.9.9', transport: 'websocket' } });
    ws.close();
  });

  it('returns a validation error naming the field, and keeps serving after garbage', async () => {
    const ws = await connect(rpcUrl);
    const messages = inbox(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'projects.open', input: { path: 12 } }));
    const invalid = await messages.next((m) => m.id === 1);
    expect(invalid.ok).toBe(false);
    expect(invalid.error?.code).toBe('invalid_input');
    expect(invalid.error?.issues?.map((issue) => issue.path)).toEqual(['path']);

    ws.send('this is not json');
    ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
    ws.send(JSON.stringify({ type: 'invoke', id: 2, method: 'no.such.method', input: {} }));
    expect((await messages.next((m) => m.id === 2)).error?.code).toBe('unknown_method');

    ws.send(JSON.stringify({ type: 'invoke', id: 3, method: 'app.info', input: {} }));
    expect((await messages.next((m) => m.id === 3)).ok).toBe(true);
    ws.close();
  });

  it('pushes events to connected clients when a project is opened', async () => {
    const project = join(folder, 'my-app');
    await mkdir(project);
    const ws = await connect(rpcUrl);
    const messages = inbox(ws);
    ws.send(JSON.stringify({ type: 'invoke', id: 1, method: 'projects.open', input: { path: project } }));
    const event = await messages.next((m) => m.type === 'event' && m.event === 'project.opened');
    expect(event.payload).toMatchObject({ name: 'my-app', isGitRepository: false });
    ws.send(JSON.stringify({ type: 'invoke', id: 2, method: 'projects.list', input: {} }));
    expect((await messages.next((m) => m.id === 2)).output).toMatchObject([{ name: 'my-app' }]);
    ws.close();
  });

  it('will not listen on a non-loopback address', async () => {
    await expect(startWebHost({ server: host.server, events: host.events, host: '0.0.0.0' })).rejects.toThrow(/only on loopback/);
  });
});

describe('app database', () => {
  it('refuses a database written by a newer version, with a clear message', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'co-app-db-'));
    try {
      const first = createAppHost({ userDataDir: folder, version: '1' });
      await first.close();
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(join(folder, 'app.db'));
      db.pragma('user_version = 99');
      db.close();
      expect(() => createAppHost({ userDataDir: folder, version: '1' })).toThrow(/newer Claude Orchestrator/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
