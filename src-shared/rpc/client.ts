import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract';
import { RpcError, type RpcErrorData } from './errors';
import type { CallResult } from './server';
import { serverMessageSchema, type ClientMessage, type ServerMessage } from './protocol';

/** What the renderer and any other client use: typed calls and typed event subscriptions. */
export interface RpcClient {
  invoke<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The untyped bridge the Electron preload exposes as `window.orchestrator`; results come back as values because errors lose their fields crossing the context bridge. */
export interface RpcBridge {
  invoke(method: string, input: unknown): Promise<CallResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

/** A message transport such as a WebSocket, seen from the client. */
export interface ClientTransport {
  send(message: ClientMessage): void;
  onMessage(listener: (message: ServerMessage) => void): () => void;
  /** Called once when the transport closes; pending calls fail with `disconnected`. */
  onClose(listener: (reason: string) => void): () => void;
}

/** Wraps the preload's bridge in the typed client interface. */
export function createBridgeClient(bridge: RpcBridge): RpcClient {
  return {
    invoke: async (method, input) => {
      const result = await bridge.invoke(method, input);
      if (result.ok) return result.output as never;
      throw RpcError.fromData(result.error);
    },
    subscribe: (event, listener) => bridge.subscribe(event, listener as (payload: unknown) => void),
  };
}

/** A typed client over a message transport: matches replies to calls by id. */
export function createMessageClient(transport: ClientTransport): RpcClient {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: RpcError) => void }>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  transport.onMessage((raw) => {
    const parsed = serverMessageSchema.safeParse(raw);
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of [...(listeners.get(message.event) ?? [])]) listener(message.payload);
      return;
    }
    if (message.id === null) return;
    const call = pending.get(message.id);
    if (call === undefined) return;
    pending.delete(message.id);
    if (message.ok) call.resolve(message.output);
    else call.reject(RpcError.fromData(message.error as RpcErrorData));
  });
  transport.onClose((reason) => {
    for (const call of pending.values()) call.reject(new RpcError('disconnected', `Lost the connection to the orchestrator host: ${reason}`));
    pending.clear();
  });

  return {
    invoke: (method, input) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        try {
          transport.send({ type: 'invoke', id, method, input });
        } catch (error) {
          pending.delete(id);
          reject(new RpcError('disconnected', `Could not reach the orchestrator host: ${String(error)}`));
        }
      }),
    subscribe: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => {
        set.delete(listener as (payload: unknown) => void);
      };
    },
  };
}
