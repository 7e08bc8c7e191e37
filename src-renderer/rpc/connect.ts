import { createBridgeClient, createMessageClient, type RpcBridge, type RpcClient } from '../../src-shared/rpc/client';
import { createWebSocketTransport } from './websocket-transport';

declare global {
  interface Window {
    /** Present in the desktop app: the preload's bridge over Electron IPC. */
    readonly orchestrator?: RpcBridge;
  }
}

/** How the renderer reached its host, or why it could not. */
export type Connection =
  | { readonly kind: 'electron-ipc'; readonly client: RpcClient }
  | { readonly kind: 'websocket'; readonly client: RpcClient }
  | { readonly kind: 'unavailable'; readonly reason: string };

const TOKEN_KEY = 'orchestrator.token';

/** Picks the transport the page finds: the Electron bridge, else the WebSocket of `co serve` with its token. */
export function connectToHost(location: Location = window.location, storage: Storage = window.sessionStorage): Connection {
  if (window.orchestrator !== undefined) return { kind: 'electron-ipc', client: createBridgeClient(window.orchestrator) };
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl !== null && fromUrl !== '') storage.setItem(TOKEN_KEY, fromUrl);
  const token = fromUrl ?? storage.getItem(TOKEN_KEY);
  if (token === null || token === '') {
    return { kind: 'unavailable', reason: 'This page needs the token that `co serve` printed. Open the full URL it showed, including ?token=…' };
  }
  const protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${protocol}//${location.host}/rpc?token=${encodeURIComponent(token)}`;
  return { kind: 'websocket', client: createMessageClient(createWebSocketTransport(url)) };
}
