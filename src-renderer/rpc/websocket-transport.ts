import type { ClientTransport } from '../../src-shared/rpc/client';
import type { ServerMessage } from '../../src-shared/rpc/protocol';

/** A client transport over one WebSocket to `co serve`; messages sent before it opens are queued. */
export function createWebSocketTransport(url: string): ClientTransport {
  const socket = new WebSocket(url);
  const queue: string[] = [];
  const messageListeners = new Set<(message: ServerMessage) => void>();
  const closeListeners = new Set<(reason: string) => void>();

  socket.addEventListener('open', () => {
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event: MessageEvent) => {
    if (typeof event.data !== 'string') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(event.data);
    } catch {
      return;
    }
    for (const listener of [...messageListeners]) listener(parsed as ServerMessage);
  });
  socket.addEventListener('close', (event: CloseEvent) => {
    const reason = event.reason === '' ? `connection closed (code ${event.code})` : event.reason;
    for (const listener of [...closeListeners]) listener(reason);
  });

  return {
    send: (message) => {
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else if (socket.readyState === WebSocket.CONNECTING) queue.push(text);
      else throw new Error('the connection to the host is closed; reload the page');
    },
    onMessage: (listener) => {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
  };
}
