import type { AttemptLogEvent } from '../../engine/worker-backend';
import type { ClaudeStreamEvent, StreamContentBlock } from './stream-events';

const MAX_TEXT = 2_000;

/** Turns one parsed stream-json event into the log events stored for the attempt (one per content block). */
export function toLogEvents(event: ClaudeStreamEvent): AttemptLogEvent[] {
  switch (event.kind) {
    case 'init':
      return [{ kind: 'system', text: `Session ${event.sessionId} started${event.model === undefined ? '' : ` with ${event.model}`}`, data: event.raw }];
    case 'system':
      return [{ kind: 'system', text: describeSystem(event.subtype, event.raw), data: event.raw }];
    case 'assistant': {
      const logs = event.event.message.content.map((block) => assistantBlockLog(block));
      if (event.event.error !== undefined) logs.push({ kind: 'error', text: `Claude Code reported an API error: ${event.event.error}`, data: event.raw });
      return logs;
    }
    case 'user': {
      const content = event.event.message.content;
      if (typeof content === 'string') return [{ kind: 'user', text: truncate(content), data: event.raw }];
      return content.map((block) =>
        block.type === 'tool_result'
          ? { kind: 'tool_result', text: `${block['is_error'] === true ? 'error: ' : ''}${truncate(flattenContent(block['content']))}`, data: block }
          : { kind: 'user', text: truncate(flattenContent(block)), data: block },
      );
    }
    case 'result': {
      const result = event.event;
      const cost = result.total_cost_usd === undefined ? '' : `, $${result.total_cost_usd.toFixed(4)}`;
      const turns = result.num_turns === undefined ? '' : `, ${result.num_turns} turns`;
      return [{ kind: 'result', text: `${result.subtype}${result.is_error ? ' (error)' : ''}${turns}${cost}: ${truncate(result.result ?? (result.errors ?? []).join('; '))}`, data: event.raw }];
    }
    case 'unknown':
      return [{ kind: 'unknown', text: `Unrecognised stream event of type ${event.type}`, data: event.raw }];
    case 'invalid':
      return [{ kind: 'stdout', text: truncate(event.line) }];
    default:
      return assertNever(event);
  }
}

function assistantBlockLog(block: StreamContentBlock): AttemptLogEvent {
  switch (block.type) {
    case 'text':
      return { kind: 'assistant.text', text: truncate(String(block['text'] ?? '')), data: block };
    case 'thinking':
      return { kind: 'assistant.thinking', text: truncate(String(block['thinking'] ?? '')), data: block };
    case 'tool_use':
      return { kind: 'tool_use', text: `${String(block['name'])} ${truncate(describeToolInput(block['input']), 300)}`, data: block };
    default:
      return { kind: 'assistant.other', text: `Content block of type ${block.type}`, data: block };
  }
}

function describeSystem(subtype: string, raw: Readonly<Record<string, unknown>>): string {
  if (subtype === 'api_retry') {
    return `API retry ${String(raw['attempt'])}/${String(raw['max_retries'])} after ${String(raw['error_status'] ?? raw['error'] ?? 'an error')}`;
  }
  return `System event: ${subtype}`;
}

/** A short description of a tool call: the path or command when there is one. */
function describeToolInput(input: unknown): string {
  if (typeof input !== 'object' || input === null) return '';
  const fields = input as Record<string, unknown>;
  for (const key of ['file_path', 'command', 'path', 'pattern', 'url']) {
    if (typeof fields[key] === 'string') return fields[key];
  }
  return JSON.stringify(input);
}

function flattenContent(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : JSON.stringify(part))).join('\n');
  return JSON.stringify(content) ?? '';
}

function truncate(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** Exhaustiveness check for switches over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
