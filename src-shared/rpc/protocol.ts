import { z } from 'zod';
import type { RpcErrorData } from './errors';
import { MAX_METHOD_CHARS } from './limits';

/**
 * The message envelope both transports carry. Clients send `invoke`; the host answers each
 * with one `result` and pushes `event` messages to every connected client.
 */

const rpcErrorDataSchema = z.object({
  code: z.string(),
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/** A request from a client. */
export const clientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(MAX_METHOD_CHARS),
  input: z.unknown(),
});
export type ClientMessage = z.infer<typeof clientMessageSchema>;

/** A message from the host. */
export type ServerMessage =
  | { readonly type: 'result'; readonly id: number; readonly ok: true; readonly output: unknown }
  | { readonly type: 'result'; readonly id: number | null; readonly ok: false; readonly error: RpcErrorData }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

/** Schema of host messages, for clients that must not trust the wire either. */
export const serverMessageSchema = z.union([
  z.object({ type: z.literal('result'), id: z.number(), ok: z.literal(true), output: z.unknown() }),
  z.object({ type: z.literal('result'), id: z.number().nullable(), ok: z.literal(false), error: rpcErrorDataSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
