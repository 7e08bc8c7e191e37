import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { EventHub } from '../../src-shared/rpc/event-hub';
import { MAX_RPC_MESSAGE_BYTES } from '../../src-shared/rpc/limits';
import type { RpcServer } from '../../src-shared/rpc/server';
import { serveStaticFile } from './static-files';

/** Where and how to serve. */
export interface WebHostOptions {
  readonly server: RpcServer;
  readonly events: EventHub;
  /** Built renderer folder; without it only the WebSocket endpoint is served. */
  readonly staticDir?: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; a random one is made otherwise. */
  readonly token?: string;
  readonly log?: (line: string) => void;
  /** Told when a connection closes, with the client name its calls carried. */
  readonly onClientGone?: (client: string) => void;
}

/** A running web host. */
export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Number of authenticated WebSocket clients connected now. */
  readonly clientCount: number;
  close(): Promise<void>;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);
export const RPC_PATH = '/rpc';

/**
 * Serves the renderer and the RPC WebSocket on loopback only. Every WebSocket must present
 * the random per-start token; anything else is refused before the upgrade completes.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`Refusing to listen on ${host}: the host serves only on loopback (127.0.0.1, ::1 or localhost) so nothing outside this machine can reach it.`);
  }
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? (() => undefined);
  const sockets = new Set<WebSocket>();

  const http: Server = createServer((request, response) => {
    if (options.staticDir === undefined) {
      response.writeHead(404).end('No renderer is being served here.');
      return;
    }
    serveStaticFile(options.staticDir, request, response).catch((error: unknown) => {
      log(`[web-host] static file error: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_RPC_MESSAGE_BYTES });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refusal = checkUpgrade(request, token, host, http);
    if (refusal !== null) {
      log(`[web-host] refused a WebSocket connection: ${refusal.reason}`);
      socket.end(`HTTP/1.1 ${refusal.status}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.reason}\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const client = `websocket-${randomUUID()}`;
    const stopEvents = options.events.listen((event, payload) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', event, payload }));
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const text = isBinary ? null : rawToString(data);
      if (text === null) {
        ws.send(JSON.stringify({ type: 'result', id: null, ok: false, error: { code: 'invalid_message', message: 'Send RPC messages as JSON text frames.' } }));
        return;
      }
      options.server.handleMessage(text, { transport: 'websocket', client }).then(
        (reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
        },
        (error: unknown) => log(`[web-host] unexpected dispatch failure: ${String(error)}`),
      );
    });
    ws.on('error', (error) => log(`[web-host] socket error: ${error.message}`));
    ws.on('close', () => {
      stopEvents();
      sockets.delete(ws);
      options.onClientGone?.(client);
    });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host === '::1' ? '[::1]' : host;

  return {
    url: `http://${urlHost}:${port}/?token=${encodeURIComponent(token)}`,
    port,
    token,
    get clientCount() {
      return sockets.size;
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
    },
  };
}

interface Refusal {
  readonly status: string;
  readonly reason: string;
}

function checkUpgrade(request: IncomingMessage, token: string, host: string, http: Server): Refusal | null {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname !== RPC_PATH) return { status: '404 Not Found', reason: `The RPC endpoint is ${RPC_PATH}.` };
  const given = url.searchParams.get('token') ?? '';
  if (!tokensMatch(given, token)) {
    return { status: '401 Unauthorized', reason: 'Missing or wrong token. Use the URL that `co serve` printed, which carries the token.' };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, host, http)) {
    return { status: '403 Forbidden', reason: `Connections from ${origin} are not allowed; open the app from the URL \`co serve\` printed.` };
  }
  return null;
}

function tokensMatch(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isOwnOrigin(origin: string, host: string, http: Server): boolean {
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : -1;
  try {
    const parsed = new URL(origin);
    const originHost = parsed.hostname.replace(/^\[|\]$/g, '');
    const sameHost = originHost === host || (LOOPBACK_HOSTS.has(originHost) && LOOPBACK_HOSTS.has(host));
    return parsed.protocol === 'http:' && sameHost && Number(parsed.port) === port;
  } catch {
    return false;
  }
}

function rawToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
