import { z } from 'zod';

// Schemas of the Claude Code `--output-format stream-json` lines we rely on. They are loose:
// fields we do not know are kept, and a line that does not fit becomes an 'unknown' event.

const usageSchema = z.looseObject({
  input_tokens: z.number().optional(),
  output_tokens: z.number().optional(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
});

const modelUsageSchema = z.looseObject({
  inputTokens: z.number().optional(),
  outputTokens: z.number().optional(),
  cacheReadInputTokens: z.number().optional(),
  cacheCreationInputTokens: z.number().optional(),
  costUSD: z.number().optional(),
});

const contentBlockSchema = z.looseObject({ type: z.string() });

const systemSchema = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  session_id: z.string().optional(),
  model: z.string().optional(),
  cwd: z.string().optional(),
  permissionMode: z.string().optional(),
});

/** `{"type":"system","subtype":"api_retry",…}`: printed before each retry Claude Code makes of a failed API request. */
const apiRetrySchema = z.looseObject({
  subtype: z.literal('api_retry'),
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  /** How long Claude Code waits before this retry: the response's retry-after when it sent one (and the CLI's backoff is shorter), else its backoff. */
  retry_delay_ms: z.number().nonnegative(),
  /** HTTP status of the failed response; null for connection errors. */
  error_status: z.number().nullish(),
  /** e.g. 'rate_limit', 'server_error'. */
  error: z.string().optional(),
});

const assistantSchema = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({
    id: z.string().optional(),
    model: z.string().optional(),
    content: z.array(contentBlockSchema),
    usage: usageSchema.nullish(),
  }),
  session_id: z.string().optional(),
  /** Set on synthetic messages Claude Code makes for API failures, e.g. 'authentication_failed', 'rate_limit'. */
  error: z.string().optional(),
});

const userSchema = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(contentBlockSchema)]) }),
  session_id: z.string().optional(),
});

const resultSchema = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  result: z.string().optional(),
  session_id: z.string().optional(),
  num_turns: z.number().optional(),
  total_cost_usd: z.number().optional(),
  usage: usageSchema.optional(),
  modelUsage: z.record(z.string(), modelUsageSchema).optional(),
  api_error_status: z.number().nullish(),
  errors: z.array(z.string()).optional(),
  terminal_reason: z.string().optional(),
});

/** A content block of an assistant or user message (text, tool_use, tool_result, thinking, …). */
export type StreamContentBlock = z.infer<typeof contentBlockSchema>;
/** The final `result` line of a run. */
export type ResultEvent = z.infer<typeof resultSchema>;
/** Per-model usage inside a result event. */
export type ModelUsage = z.infer<typeof modelUsageSchema>;
/** Usage as the CLI reports it (snake_case). */
export type StreamUsage = z.infer<typeof usageSchema>;

/** An api_retry system event: Claude Code is about to retry a failed API request after `retry_delay_ms`. */
export type ApiRetryEvent = z.infer<typeof apiRetrySchema>;

/** The api_retry details of a system event, or undefined for other subtypes or a shape we do not know. */
export function parseApiRetry(raw: unknown): ApiRetryEvent | undefined {
  const parsed = apiRetrySchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** One parsed stream-json line. Never throws: what does not fit is 'unknown' or 'invalid'. */
export type ClaudeStreamEvent =
  | { readonly kind: 'init'; readonly sessionId: string; readonly model?: string; readonly raw: unknown }
  | { readonly kind: 'system'; readonly subtype: string; readonly sessionId?: string; readonly raw: Readonly<Record<string, unknown>> }
  | { readonly kind: 'assistant'; readonly event: z.infer<typeof assistantSchema>; readonly raw: unknown }
  | { readonly kind: 'user'; readonly event: z.infer<typeof userSchema>; readonly raw: unknown }
  | { readonly kind: 'result'; readonly event: ResultEvent; readonly raw: unknown }
  /** Valid JSON of a type (or shape) we do not know: kept, never fatal. */
  | { readonly kind: 'unknown'; readonly type: string; readonly raw: unknown }
  /** A line that is not JSON at all. */
  | { readonly kind: 'invalid'; readonly line: string };

/** Parses one line of `claude --output-format stream-json`; blank lines give undefined. */
export function parseStreamLine(line: string): ClaudeStreamEvent | undefined {
  const trimmed = line.trim();
  if (trimmed.length === 0) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    return { kind: 'invalid', line: trimmed };
  }
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? String((raw as { type: unknown }).type) : '(no type)';
  switch (type) {
    case 'system': {
      const parsed = systemSchema.safeParse(raw);
      if (!parsed.success) break;
      if (parsed.data.subtype === 'init' && parsed.data.session_id !== undefined) {
        return { kind: 'init', sessionId: parsed.data.session_id, ...(parsed.data.model === undefined ? {} : { model: parsed.data.model }), raw };
      }
      return { kind: 'system', subtype: parsed.data.subtype, ...(parsed.data.session_id === undefined ? {} : { sessionId: parsed.data.session_id }), raw: parsed.data };
    }
    case 'assistant': {
      const parsed = assistantSchema.safeParse(raw);
      if (parsed.success) return { kind: 'assistant', event: parsed.data, raw };
      break;
    }
    case 'user': {
      const parsed = userSchema.safeParse(raw);
      if (parsed.success) return { kind: 'user', event: parsed.data, raw };
      break;
    }
    case 'result': {
      const parsed = resultSchema.safeParse(raw);
      if (parsed.success) return { kind: 'result', event: parsed.data, raw };
      break;
    }
    default:
      break;
  }
  return { kind: 'unknown', type, raw };
}
