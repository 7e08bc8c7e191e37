import type { ContentBlockParam, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';
import { addUsage, ZERO_USAGE, type Usage } from '../../../src-shared/domain/usage';
import type { ModelClient } from './model-client';
import { ManagerError } from './model-errors';

/** A tool the model is forced to call, with the zod schema its input must satisfy. */
export interface ToolSpec<Schema extends z.ZodType> {
  readonly name: string;
  readonly description: string;
  readonly schema: Schema;
}

/** One forced tool call. */
export interface ToolCallRequest {
  readonly model: string;
  readonly maxTokens: number;
  readonly system: ReadonlyArray<TextBlockParam>;
  /** The user turn: stable, cached blocks first, the varying instruction last. */
  readonly content: ReadonlyArray<ContentBlockParam>;
  readonly signal?: AbortSignal;
}

/** A validated tool input with the usage of every call it took. */
export interface ToolCallResult<T> {
  readonly value: T;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** The tool definition sent to the API: the zod schema as JSON schema. */
export function toolDefinition(spec: ToolSpec<z.ZodType>): Tool {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(spec.schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { name: spec.name, description: spec.description, input_schema: { ...schema, type: 'object' } };
}

/**
 * Forces the model to call `spec` (tool_choice {type:'tool'}) and validates the input with zod.
 * An invalid or missing call is retried once with the validation error fed back as a
 * tool_result error; a second failure is refused with a permanent ManagerError.
 */
export async function callTool<Schema extends z.ZodType>(
  client: ModelClient,
  spec: ToolSpec<Schema>,
  request: ToolCallRequest,
): Promise<ToolCallResult<z.output<Schema>>> {
  const messages: MessageParam[] = [{ role: 'user', content: [...request.content] }];
  let usage = ZERO_USAGE;
  let costUsd = 0;
  let lastProblem = '';
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const reply = await client.call(
      {
        model: request.model,
        max_tokens: request.maxTokens,
        system: [...request.system],
        tools: [toolDefinition(spec)],
        tool_choice: { type: 'tool', name: spec.name, disable_parallel_tool_use: true },
        messages,
      },
      spec.name,
      request.signal,
    );
    usage = addUsage(usage, reply.usage);
    costUsd += reply.costUsd;
    const call = reply.message.content.find((block) => block.type === 'tool_use' && block.name === spec.name);
    const assistant: ContentBlockParam[] = reply.message.content.flatMap((block): ContentBlockParam[] =>
      block.type === 'text' ? [{ type: 'text', text: block.text }] : block.type === 'tool_use' ? [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }] : [],
    );
    if (reply.message.stop_reason === 'max_tokens') {
      // Asking again would be cut off at the same place.
      throw new ManagerError(
        `The manager's ${spec.name} answer did not fit its output budget of ${request.maxTokens.toLocaleString('en-US')} tokens; nothing was stored. Raise models.manager_max_tokens in orchestrator_config.json (if the model allows more), or split the document into parts and plan them one after another.`,
        'permanent',
      );
    }
    if (call === undefined || call.type !== 'tool_use') {
      lastProblem = `the reply did not call the ${spec.name} tool`;
      messages.push({ role: 'assistant', content: assistant.length > 0 ? assistant : [{ type: 'text', text: '(no reply)' }] });
      messages.push({ role: 'user', content: [{ type: 'text', text: `Your reply was not usable: ${lastProblem}. Call the ${spec.name} tool with valid input.` }] });
      continue;
    }
    const { input, malformed } = parseStringifiedJson(call.input);
    const parsed = spec.schema.safeParse(input);
    if (parsed.success && malformed.length === 0) return { value: parsed.data, usage, costUsd };
    lastProblem = [...malformed, ...(parsed.success ? [] : [z.prettifyError(parsed.error)])].join('\n');
    messages.push({ role: 'assistant', content: assistant });
    messages.push({
      role: 'user',
      content: [{ type: 'tool_result', tool_use_id: call.id, is_error: true, content: `The input was invalid:\n${lastProblem}\nCall ${spec.name} again with corrected input.` }],
    });
  }
  throw new ManagerError(`The manager's ${spec.name} reply was invalid twice; nothing was stored. Last problem: ${oneLine(lastProblem)}`, 'permanent');
}

/** Models sometimes send an array or object as a JSON string; parse those, and report ones that are not valid JSON. */
function parseStringifiedJson(input: unknown): { readonly input: unknown; readonly malformed: ReadonlyArray<string> } {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { input, malformed: [] };
  const malformed: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        out[key] = JSON.parse(value) as unknown;
      } catch (error) {
        malformed.push(`✖ ${key} is malformed JSON (${error instanceof Error ? error.message : String(error)})`);
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  return { input: out, malformed };
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, '; ').trim();
  return flat.length > 600 ? `${flat.slice(0, 600)}…` : flat;
}
