import { clientMessageSchema, type ServerMessage } from './protocol';
import {
  isMethodName,
  methods,
  type MethodName,
  type MethodOutput,
  type MethodParsedInput,
} from './contract';
import { RpcError, validationError, type RpcErrorData } from './errors';
import { MAX_RPC_NESTING, jsonNestingDepth, topLevelMessageId } from './limits';

/** Who is calling: lets handlers and logs know the transport. */
export interface CallContext {
  readonly transport: 'electron-ipc' | 'websocket' | 'in-process';
  /** The connection or window the call came from, when the transport has one (never shown to users). */
  readonly client?: string;
}

/** One handler per method of the contract, each given its already-validated input. */
export type Handlers = {
  readonly [M in MethodName]: (
    input: MethodParsedInput<M>,
    context: CallContext,
  ) => Promise<MethodOutput<M>> | MethodOutput<M>;
};

/** The outcome of one call, as a value: transports never see a thrown error. */
export type CallResult = { readonly ok: true; readonly output: unknown } | { readonly ok: false; readonly error: RpcErrorData };

/** Options of the server. */
export interface RpcServerOptions {
  /** Masks secrets in messages of unexpected errors before they leave the host. */
  readonly redact?: (text: string) => string;
  /** Told about every unexpected (non-RpcError) failure, for the host's log. */
  readonly onUnexpectedError?: (method: string, error: unknown) => void;
}

/**
 * Transport-agnostic dispatcher: validates the envelope and the input against the contract,
 * runs the handler, validates its output, and turns every failure into a clear error value.
 * A bad message never throws out of here, so no client can crash the host.
 */
export class RpcServer {
  constructor(
    private readonly handlers: Handlers,
    private readonly options: RpcServerOptions = {},
  ) {}

  /** Handles one raw text message of a message transport (WebSocket) and returns the reply. */
  async handleMessage(raw: string, context: CallContext): Promise<ServerMessage> {
    // JSON.parse of a few MB of brackets takes seconds; refuse such nesting before parsing.
    if (jsonNestingDepth(raw, MAX_RPC_NESTING) > MAX_RPC_NESTING) {
      return failure(topLevelMessageId(raw), new RpcError('invalid_message', `Message is nested more than ${MAX_RPC_NESTING} levels deep; send plain data.`));
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return failure(null, new RpcError('invalid_message', 'Message is not valid JSON.'));
    }
    const envelope = clientMessageSchema.safeParse(parsed);
    if (!envelope.success) {
      const id = readId(parsed);
      return failure(id, validationError('message', 'input', envelope.error));
    }
    const { id, method, input } = envelope.data;
    const result = await this.call(method, input, context);
    return result.ok ? { type: 'result', id, ok: true, output: result.output } : { type: 'result', id, ok: false, error: result.error };
  }

  /** Calls one method by name with untrusted input. */
  async call(method: string, input: unknown, context: CallContext): Promise<CallResult> {
    if (!isMethodName(method)) {
      return { ok: false, error: new RpcError('unknown_method', `Unknown method "${method}".`).toData() };
    }
    try {
      const output = await this.callKnown(method, input ?? {}, context);
      return { ok: true, output };
    } catch (error) {
      return { ok: false, error: this.toErrorData(method, error) };
    }
  }

  private async callKnown<M extends MethodName>(method: M, input: unknown, context: CallContext): Promise<unknown> {
    const spec = methods[method];
    const parsedInput = spec.input.safeParse(input);
    if (!parsedInput.success) throw validationError(method, 'input', parsedInput.error);
    const handler = this.handlers[method] as (input: unknown, context: CallContext) => unknown;
    const output = await handler(parsedInput.data, context);
    const parsedOutput = spec.output.safeParse(output);
    if (!parsedOutput.success) throw validationError(method, 'output', parsedOutput.error);
    return parsedOutput.data;
  }

  private toErrorData(method: string, error: unknown): RpcErrorData {
    if (error instanceof RpcError) return this.redactData(error.toData());
    this.options.onUnexpectedError?.(method, error);
    const message = error instanceof Error ? error.message : String(error);
    return this.redactData({ code: 'internal', message: `${method} failed: ${message}` });
  }

  private redactData(data: RpcErrorData): RpcErrorData {
    const redact = this.options.redact;
    return redact === undefined ? data : { ...data, message: redact(data.message) };
  }
}

function failure(id: number | null, error: RpcError): ServerMessage {
  return { type: 'result', id, ok: false, error: error.toData() };
}

function readId(value: unknown): number | null {
  if (typeof value === 'object' && value !== null && 'id' in value) {
    const id = (value as { id: unknown }).id;
    if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  }
  return null;
}
