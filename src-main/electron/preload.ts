import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, INVOKE_CHANNEL } from './channels';

/** A renderer callback for one event name. */
type Listener = (payload: unknown) => void;

/**
 * Subscribers by event name, all served by one ipcRenderer listener (one listener per
 * subscription passed Node's limit of 10 with a normal screen open).
 */
const listeners = new Map<string, Set<Listener>>();

/**
 * Requests from the shell to the page (`ui.openProject`, `ui.focusTask`) that arrived before the
 * page subscribed: the shell sends them as soon as the page has loaded, which can be before React
 * has mounted. The latest of each is delivered to the first subscriber.
 */
const waiting = new Map<string, unknown>();

ipcRenderer.on(EVENT_CHANNEL, (_sender: IpcRendererEvent, name: unknown, payload: unknown) => {
  if (typeof name !== 'string') return;
  const subscribers = listeners.get(name);
  if (subscribers === undefined || subscribers.size === 0) {
    if (name.startsWith('ui.')) waiting.set(name, payload);
    return;
  }
  for (const listener of [...subscribers]) deliver(listener, payload);
});

/**
 * The whole surface the sandboxed renderer gets: `invoke` and `subscribe` on our own channels.
 * No Node, no ipcRenderer, no arbitrary channels.
 */
contextBridge.exposeInMainWorld('orchestrator', {
  invoke: (method: unknown, input: unknown): Promise<unknown> => {
    if (typeof method !== 'string') return Promise.reject(new TypeError('method must be a string'));
    return ipcRenderer.invoke(INVOKE_CHANNEL, method, input);
  },
  subscribe: (event: unknown, listener: unknown): (() => void) => {
    if (typeof event !== 'string' || typeof listener !== 'function') throw new TypeError('subscribe(event: string, listener: function)');
    const callback = listener as Listener;
    const subscribers = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, subscribers);
    subscribers.add(callback);
    if (waiting.has(event)) {
      const payload = waiting.get(event);
      waiting.delete(event);
      // After subscribe returns, so the subscriber's own setup has finished.
      void Promise.resolve().then(() => {
        if (subscribers.has(callback)) deliver(callback, payload);
      });
    }
    return () => {
      subscribers.delete(callback);
      if (subscribers.size === 0) listeners.delete(event);
    };
  },
});

/** Calls one subscriber; a throwing subscriber does not keep the event from the others. */
function deliver(listener: Listener, payload: unknown): void {
  try {
    listener(payload);
  } catch (error) {
    console.error('orchestrator: an event listener threw', error);
  }
}
