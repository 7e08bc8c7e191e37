import type { ContentBlockParam, TextBlockParam } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import type { Usage } from '../../../src-shared/domain/usage';
import type { ModelClient } from './model-client';
import { callTool, type ToolCallRequest, type ToolCallResult, type ToolSpec } from './tool-call';

/** A plain-text manager call (the run summary). */
export interface TextCallRequest {
  readonly model: string;
  readonly maxTokens: number;
  readonly system: ReadonlyArray<TextBlockParam>;
  readonly content: ReadonlyArray<ContentBlockParam>;
  /** What the call is for, for usage records. */
  readonly purpose: string;
  readonly signal?: AbortSignal;
}

/** A plain-text answer with what it cost. */
export interface TextCallResult {
  readonly text: string;
  readonly usage: Usage;
  readonly costUsd: number;
}

/**
 * How the manager reaches a model: the Messages API through @anthropic-ai/sdk (an API key), or the
 * user's Claude Code CLI in print mode with structured output (the user's Claude Code login).
 * Both validate the answer against the tool's zod schema and retry once with the problem fed back.
 */
export interface ManagerModel {
  /** Which way the calls go, for messages and `co check`. */
  readonly backend: 'api' | 'claude-cli';
  tool<Schema extends z.ZodType>(spec: ToolSpec<Schema>, request: ToolCallRequest): Promise<ToolCallResult<z.output<Schema>>>;
  text(request: TextCallRequest): Promise<TextCallResult>;
}

/** The manager over the Messages API (forced tool calls). */
export function apiManagerModel(client: ModelClient): ManagerModel {
  return {
    backend: 'api',
    tool: (spec, request) => callTool(client, spec, request),
    async text(request) {
      const reply = await client.call(
        { model: request.model, max_tokens: request.maxTokens, system: [...request.system], messages: [{ role: 'user', content: [...request.content] }] },
        request.purpose,
        request.signal,
      );
      const text = reply.message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n').trim();
      return { text, usage: reply.usage, costUsd: reply.costUsd };
    },
  };
}
