import type { FakeBlock, FakeReply, RecordedRequest, RequestMatcher } from './types';

/** A reply with one text block. */
export function textReply(text: string, extra: Omit<FakeReply, 'content'> = {}): FakeReply {
  return { ...extra, content: [{ type: 'text', text }] };
}

/** A reply that calls one tool, optionally after some text. */
export function toolUseReply(
  name: string,
  input: Readonly<Record<string, unknown>>,
  extra: Omit<FakeReply, 'content'> & { readonly text?: string; readonly id?: string } = {},
): FakeReply {
  const { text, id, ...rest } = extra;
  const blocks: FakeBlock[] = [];
  if (text !== undefined) blocks.push({ type: 'text', text });
  blocks.push(id === undefined ? { type: 'tool_use', name, input } : { type: 'tool_use', name, input, id });
  return { ...rest, content: blocks };
}

/** The reply used when no script answers: a plain "Done.". */
export const DEFAULT_REPLY: FakeReply = Object.freeze(textReply('Done.'));

/** Ready-made request matchers for routing scripts and faults. */
export const matchers = {
  /** Every Messages request. */
  any: (() => true) as RequestMatcher,
  /** Requests that offer tools: the agent loop of Claude Code (its side requests carry none). */
  hasTools: ((request: RecordedRequest) => (request.body?.tools?.length ?? 0) > 0) as RequestMatcher,
  /** Requests for a model whose name contains `part`. */
  model:
    (part: string): RequestMatcher =>
    (request) =>
      String(request.body?.model ?? '').includes(part),
  /** Streaming requests only. */
  streaming: ((request: RecordedRequest) => request.body?.stream === true) as RequestMatcher,
} as const;

/** The text of the last user message, flattened, for reply functions that react to the prompt or tool results. */
export function lastUserText(request: RecordedRequest): string {
  const messages = request.body?.messages ?? [];
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (last === undefined) return '';
  if (typeof last.content === 'string') return last.content;
  return JSON.stringify(last.content);
}

/** tool_result blocks of the last user message (what Claude Code sends back after running a tool). */
export function lastToolResults(request: RecordedRequest): ReadonlyArray<{ readonly tool_use_id: string; readonly content: unknown; readonly is_error?: boolean }> {
  const messages = request.body?.messages ?? [];
  const last = messages[messages.length - 1];
  if (last === undefined || !Array.isArray(last.content)) return [];
  return (last.content as Array<{ type?: string; tool_use_id: string; content: unknown; is_error?: boolean }>).filter(
    (block) => block.type === 'tool_result',
  );
}

/** The tool Claude Code offers for `claude -p --json-schema` (structured output). */
export const STRUCTURED_OUTPUT_TOOL = 'StructuredOutput';

/**
 * For a manager call made through Claude Code (`claude -p --json-schema`, one tool named
 * StructuredOutput), the manager tool it stands for, from the `<manager_tool>` tag of the prompt;
 * undefined for any other request.
 */
export function structuredOutputTool(request: RecordedRequest): string | undefined {
  const tools = request.body?.tools ?? [];
  if (!tools.some((tool) => tool.name === STRUCTURED_OUTPUT_TOOL)) return undefined;
  const match = /<manager_tool>(\w+)<\/manager_tool>/.exec(JSON.stringify(request.body?.messages ?? []));
  return match?.[1];
}

/**
 * A scripted reply as Claude Code's structured output: on a StructuredOutput request, a tool_use
 * naming a tool the request does not offer (the manager tool, e.g. parse_prd) is sent as a call of
 * StructuredOutput, so one script answers the manager over the API and through Claude Code alike.
 */
export function asStructuredOutput(request: RecordedRequest, reply: FakeReply): FakeReply {
  const offered = new Set((request.body?.tools ?? []).map((tool) => tool.name));
  if (!offered.has(STRUCTURED_OUTPUT_TOOL)) return reply;
  return { ...reply, content: reply.content.map((block) => (block.type === 'tool_use' && !offered.has(block.name) ? { ...block, name: STRUCTURED_OUTPUT_TOOL } : block)) };
}
