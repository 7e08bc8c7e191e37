import type { ServerResponse } from 'node:http';
import type { FakeBlock, FakeFault, FakeReply, WireUsage } from './types';

/** Splits a string into about `parts` consecutive, non-empty chunks. */
export function splitIntoChunks(text: string, parts: number): string[] {
  if (text.length <= 1) return [text];
  const size = Math.max(1, Math.ceil(text.length / parts));
  const chunks: string[] = [];
  for (let start = 0; start < text.length; start += size) chunks.push(text.slice(start, start + size));
  return chunks;
}

/** Wire form of content blocks, with ids given to tool_use blocks that have none. */
export function wireContent(content: ReadonlyArray<FakeBlock>, nextToolId: () => string): Array<Record<string, unknown>> {
  return content.map((block) =>
    block.type === 'text'
      ? { type: 'text', text: block.text }
      : { type: 'tool_use', id: block.id ?? nextToolId(), name: block.name, input: block.input },
  );
}

/** Stop reason of a reply: explicit, else tool_use when it calls a tool. */
export function stopReasonOf(reply: FakeReply): string {
  return reply.stopReason ?? (reply.content.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
}

/** The API's error body. */
export function errorBody(type: string, message: string, requestId: string): string {
  return JSON.stringify({ type: 'error', error: { type, message }, request_id: requestId });
}

/** Status, error type and message of an HTTP-level fault. */
export function httpFault(fault: FakeFault): { status: number; type: string; message: string; retryAfterSeconds?: number } | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return { status: 429, type: 'rate_limit_error', message: 'Number of requests has exceeded your rate limit (fake).', retryAfterSeconds: fault.retryAfterSeconds ?? 1 };
    case 'overloaded':
      return { status: 529, type: 'overloaded_error', message: 'Overloaded (fake)', ...(fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds }) };
    case 'server_error':
      return { status: fault.status ?? 500, type: 'api_error', message: 'Internal server error (fake)' };
    case 'unauthorized':
      return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    case 'connection_reset':
    case 'mid_stream_error':
    case 'slow':
      return undefined;
    default:
      return assertNever(fault);
  }
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/** Writes a complete non-streaming message. */
export function writeMessage(res: ServerResponse, headers: Record<string, string>, message: Record<string, unknown>): void {
  res.writeHead(200, { ...headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(message));
}

/** The SSE events of a message, in order, as [event name, data]. */
export function streamEvents(message: Record<string, unknown>, content: ReadonlyArray<Record<string, unknown>>, usage: WireUsage): Array<[string, Record<string, unknown>]> {
  const events: Array<[string, Record<string, unknown>]> = [];
  events.push(['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, stop_sequence: null, usage: { ...usage, output_tokens: 1 } } }]);
  events.push(['ping', { type: 'ping' }]);
  content.forEach((block, index) => {
    if (block['type'] === 'text') {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } }]);
      for (const chunk of splitIntoChunks(String(block['text']), 3)) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: chunk } }]);
      }
    } else {
      events.push(['content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: block['id'], name: block['name'], input: {} } }]);
      for (const chunk of splitIntoChunks(JSON.stringify(block['input']), 4)) {
        events.push(['content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: chunk } }]);
      }
    }
    events.push(['content_block_stop', { type: 'content_block_stop', index }]);
  });
  events.push(['message_delta', { type: 'message_delta', delta: { stop_reason: message['stop_reason'], stop_sequence: null }, usage: { output_tokens: usage.output_tokens } }]);
  events.push(['message_stop', { type: 'message_stop' }]);
  return events;
}

/** One SSE frame. */
export function sseFrame(event: string, data: Record<string, unknown>): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
