import { describe, expect, it } from 'vitest';
import { RpcServer, type Handlers } from '../../../src-shared/rpc/server';
import { createMessageClient, type ClientTransport } from '../../../src-shared/rpc/client';
import { RpcError } from '../../../src-shared/rpc/errors';
import { EventHub } from '../../../src-shared/rpc/event-hub';
import type { ServerMessage } from '../../../src-shared/rpc/protocol';

const project = { path: '/p', name: 'p', lastOpenedAt: '2026-11-25T00:00:00.000Z', isGitRepository: true };

/** The app-level handlers; the project methods are not reached by these tests. */
function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    'app.info': () => ({ name: 'Claude Orchestrator', version: '1.2.3', platform: 'linux', nodeVersion: '20', transport: 'in-process', capabilities: { nativeFolderPicker: false } }),
    'projects.list': () => [project],
    'projects.open': ({ path }) => ({ ...project, path }),
    'projects.forget': () => ({ removed: true }),
    ...overrides,
  } as Handlers;
}

const context = { transport: 'in-process' } as const;

describe('RpcServer', () => {
  it('runs a handler with validated input and returns its output', async () => {
    const server = new RpcServer(handlers());
    await expect(server.call('projects.open', { path: '/x' }, context)).resolves.toEqual({ ok: true, output: { ...project, path: '/x' } });
  });

  it('rejects input of the wrong type with an error naming the field', async () => {
    const server = new RpcServer(handlers());
    const result = await server.call('projects.open', { path: 42 }, context);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toContain('projects.open');
    expect(result.error.message).toContain('path');
    expect(result.error.issues?.[0]?.path).toBe('path');
  });

  it('rejects unknown fields, so typos do not pass silently', async () => {
    const server = new RpcServer(handlers());
    const result = await server.call('projects.open', { path: '/x', pth: '/y' }, context);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    if (!result.ok) expect(result.error.message).toContain('pth');
  });

  it('names an unknown method', async () => {
    const server = new RpcServer(handlers());
    await expect(server.call('tasks.nuke', {}, context)).resolves.toEqual({
      ok: false,
      error: { code: 'unknown_method', message: 'Unknown method "tasks.nuke".' },
    });
  });

  it('answers malformed messages with an error instead of throwing', async () => {
    const server = new RpcServer(handlers());
    await expect(server.handleMessage('{not json', context)).resolves.toMatchObject({ type: 'result', id: null, ok: false, error: { code: 'invalid_message' } });
    const missingMethod = await server.handleMessage(JSON.stringify({ type: 'invoke', id: 7, input: {} }), context);
    expect(missingMethod).toMatchObject({ id: 7, ok: false, error: { code: 'invalid_input' } });
    expect(JSON.stringify(missingMethod)).toContain('method');
  });

  it('keeps RpcError codes and redacts messages of unexpected failures', async () => {
    const seen: string[] = [];
    const server = new RpcServer(
      handlers({
        'projects.list': () => {
          throw new Error('boom with sk-ant-api03-SECRET');
        },
        'projects.forget': () => {
          throw new RpcError('not_found', 'No such project.');
        },
      }),
      { redact: (text) => text.replace(/sk-ant-[\w-]+/g, 'sk-ant-***'), onUnexpectedError: (method) => seen.push(method) },
    );
    const unexpected = await server.call('projects.list', {}, context);
    expect(unexpected).toEqual({ ok: false, error: { code: 'internal', message: 'projects.list failed: boom with sk-ant-***' } });
    expect(seen).toEqual(['projects.list']);
    await expect(server.call('projects.forget', { path: '/p' }, context)).resolves.toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No such project.' },
    });
  });

  it('refuses a handler output that breaks the contract', async () => {
    const server = new RpcServer(handlers({ 'projects.list': () => [{ path: 1 }] as never }));
    await expect(server.call('projects.list', {}, context)).resolves.toMatchObject({ ok: false, error: { code: 'invalid_output' } });
  });
});

describe('message client against the server', () => {
  function loopback(server: RpcServer, hub: EventHub): ClientTransport {
    const listeners = new Set<(message: ServerMessage) => void>();
    hub.listen((event, payload) => listeners.forEach((listener) => listener({ type: 'event', event, payload })));
    return {
      send: (message) => {
        void server.handleMessage(JSON.stringify(message), context).then((reply) => listeners.forEach((listener) => listener(reply)));
      },
      onMessage: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      onClose: () => () => undefined,
    };
  }

  it('resolves typed results, rejects with RpcError, and delivers events', async () => {
    const hub = new EventHub();
    const client = createMessageClient(loopback(new RpcServer(handlers()), hub));
    await expect(client.invoke('app.info', {})).resolves.toMatchObject({ version: '1.2.3' });
    await expect(client.invoke('projects.open', { path: 3 as unknown as string })).rejects.toMatchObject({ name: 'RpcError', code: 'invalid_input' });
    const received: number[] = [];
    const stop = client.subscribe('projects.changed', (payload) => received.push(payload.count));
    hub.emit('projects.changed', { count: 2 });
    stop();
    hub.emit('projects.changed', { count: 3 });
    expect(received).toEqual([2]);
  });
});
