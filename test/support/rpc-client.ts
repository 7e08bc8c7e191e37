import WebSocket from 'ws';
import { createMessageClient, type RpcClient } from '../../src-shared/rpc/client';
import type { ServerMessage } from '../../src-shared/rpc/protocol';
import type { WebHost } from '../../src-main/host/web-host';

/** A typed rpc client over a real WebSocket to the host, as the browser renderer uses it. */
export async function connectRpcClient(web: Pick<WebHost, 'port' | 'token'>): Promise<{ client: RpcClient; socket: WebSocket }> {
  const socket = new WebSocket(`ws://127.0.0.1:${web.port}/rpc?token=${web.token}`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const client = createMessageClient({
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage: (listener) => {
      const onMessage = (data: WebSocket.RawData): void => listener(JSON.parse(String(data)) as ServerMessage);
      socket.on('message', onMessage);
      return () => socket.off('message', onMessage);
    },
    onClose: (listener) => {
      const onClose = (): void => listener('closed');
      socket.on('close', onClose);
      return () => socket.off('close', onClose);
    },
  });
  return { client, socket };
}
