import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeEach, describe, expect, it } from 'vitest';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '../../../src-main/electron/channels';
import { repoRoot } from './shell-harness';

type Listener = (event: unknown, ...args: unknown[]) => void;
interface Bridge {
  invoke(method: unknown, input?: unknown): Promise<unknown>;
  subscribe(event: unknown, listener: unknown): () => void;
}

/**
 * The built preload bundle (dist/main/preload.cjs) run in a fresh `vm` context, as Electron runs a
 * sandboxed preload: its only `require` is `electron`, here a stand-in contextBridge and ipcRenderer.
 */
function loadPreload(): { readonly bridge: Bridge; readonly exposedKeys: string[]; readonly listeners: Map<string, Listener[]>; readonly invoked: unknown[][]; emit(name: unknown, payload: unknown): void } {
  const source = readFileSync(join(repoRoot, 'dist', 'main', 'preload.cjs'), 'utf8');
  const exposed = new Map<string, unknown>();
  const listeners = new Map<string, Listener[]>();
  const invoked: unknown[][] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve({ ok: true, output: null });
      },
      on: (channel: string, listener: Listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), listener]),
      removeListener: (channel: string, listener: Listener) => listeners.set(channel, (listeners.get(channel) ?? []).filter((each) => each !== listener)),
    },
  };
  const module = { exports: {} };
  const require = (name: string): unknown => {
    if (name === 'electron') return electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  runInNewContext(source, { module, exports: module.exports, require, console, Promise });
  const bridge = exposed.get('orchestrator') as Bridge;
  return {
    bridge,
    exposedKeys: [...exposed.keys()],
    listeners,
    invoked,
    emit: (name, payload) => {
      for (const listener of listeners.get(EVENT_CHANNEL) ?? []) listener({}, name, payload);
    },
  };
}

describe('the preload bridge (built bundle in a vm)', () => {
  let preload: ReturnType<typeof loadPreload>;

  beforeEach(() => {
    preload = loadPreload();
  });

  it('exposes exactly invoke and subscribe, on window.orchestrator only', () => {
    expect(preload.exposedKeys).toEqual(['orchestrator']);
    expect(Object.keys(preload.bridge).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('sends invoke on the invoke channel and rejects a non-string method', async () => {
    await preload.bridge.invoke('app.ping', {});
    expect(preload.invoked).toEqual([[INVOKE_CHANNEL, 'app.ping', {}]]);
    await expect(preload.bridge.invoke(42, {})).rejects.toThrow('method must be a string');
    expect(() => preload.bridge.subscribe(42, () => undefined)).toThrow('subscribe(event: string, listener: function)');
    expect(preload.invoked).toHaveLength(1);
  });

  it('uses one ipcRenderer listener however many subscriptions, and unsubscribe removes only its handler', () => {
    const seen: string[] = [];
    const stops = Array.from({ length: 25 }, (_, index) => preload.bridge.subscribe('tasks.changed', () => seen.push(`t${String(index)}`)));
    const other = preload.bridge.subscribe('runs.changed', (payload: unknown) => seen.push(`r:${JSON.stringify(payload)}`));
    expect(preload.listeners.get(EVENT_CHANNEL)).toHaveLength(1);
    preload.emit('tasks.changed', {});
    expect(seen).toHaveLength(25);
    seen.length = 0;
    for (const stop of stops) stop();
    preload.emit('tasks.changed', {});
    preload.emit('runs.changed', { id: 1 });
    expect(seen).toEqual(['r:{"id":1}']);
    other();
    preload.emit('runs.changed', { id: 2 });
    expect(seen).toEqual(['r:{"id":1}']);
  });

  it('holds a ui request sent before the page subscribed and delivers it to the first subscriber', async () => {
    preload.emit('ui.openProject', { path: '/work/old' });
    preload.emit('ui.openProject', { path: '/work/shop' });
    preload.emit('tasks.changed', {}); // ordinary events are not held
    const opened: unknown[] = [];
    const changed: unknown[] = [];
    preload.bridge.subscribe('tasks.changed', (payload: unknown) => changed.push(payload));
    preload.bridge.subscribe('ui.openProject', (payload: unknown) => opened.push(payload));
    await Promise.resolve();
    expect(opened).toEqual([{ path: '/work/shop' }]);
    expect(changed).toEqual([]);
  });
});
