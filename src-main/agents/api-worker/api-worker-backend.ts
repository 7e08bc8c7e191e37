import { stat } from 'node:fs/promises';
import type { ContentBlockParam, Message, MessageParam, ToolResultBlockParam } from '@anthropic-ai/sdk/resources/messages';
import { addUsage, ZERO_USAGE, type Usage } from '../../../src-shared/domain/usage';
import { boundLogEvent } from '../../engine/log-bounds';
import type { AttemptError, AttemptInput, AttemptIO, AttemptOutcome, AttemptOutcomeCommon, WorkerBackend } from '../../engine/worker-backend';
import { DEFAULT_WORKER_MAX_TOKENS, DEFAULT_WORKER_MODEL } from '../manager/constants';
import { ModelClient, type ModelClientOptions } from '../manager/model-client';
import { CallAbortedError, ManagerError, redactKey } from '../manager/model-errors';
import { taskPrompt, workerSystem } from './prompt';
import { WorkspaceTools, workerToolDefinitions } from './tools';

/**
 * Settings of the API worker backend. From ModelClientOptions: `usageWarningThreshold` (0..1, default 0.8)
 * pauses the pool through `io.rateLimited` when a rate limit's remaining share falls to 1 − threshold (until its
 * reset), and on every 429, the ones the SDK retries by itself included (for its retry-after). New attempts wait;
 * attempts already running go on, except that while the API says nothing can succeed (a 429, a limit with nothing
 * left) their requests wait too, at the client's rate-limit gate, which all workers of this backend share.
 */
export interface ApiWorkerOptions extends ModelClientOptions {
  /** Used when the attempt gives none (default 40). */
  readonly maxTurns?: number;
  readonly maxTokens?: number;
  /** Upper bound of one run_command (default 2 minutes). */
  readonly commandTimeoutMs?: number;
  /** Cut of tool output sent back to the model (default 50 000 characters). */
  readonly maxToolOutputChars?: number;
  /** budget.max_usd_per_task: the attempt stops once its turns have cost this much, and the task fails saying so. */
  readonly maxBudgetUsd?: number;
}

const LOG_TEXT_LIMIT = 2_000;

/**
 * Worker backend 2: an agent loop over the Messages API whose tools (read, write, edit, list,
 * search, run a command, report a discovery) are confined to the attempt's working directory.
 */
export class ApiWorkerBackend implements WorkerBackend {
  readonly name = 'api';
  private readonly client: ModelClient;

  constructor(private readonly options: ApiWorkerOptions) {
    this.client = new ModelClient(options);
  }

  /** Runs the loop until the model ends its turn, the turn limit, a failure, a timeout or cancellation. */
  async runAttempt(input: AttemptInput, io: AttemptIO): Promise<AttemptOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const onAbort = (): void => controller.abort();
    input.signal.addEventListener('abort', onAbort, { once: true });
    if (input.signal.aborted) controller.abort();
    // No timer for a non-finite or non-positive budget (setTimeout would fire at once).
    const timer =
      Number.isFinite(input.timeoutMs) && input.timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            controller.abort();
          }, Math.min(input.timeoutMs, 2 ** 31 - 1))
        : undefined;
    const safe = (text: string): string => redactKey(text, this.options.apiKey);
    // Cut to the stored size, then redacted string by string (redacting JSON text could break it).
    const log = (kind: string, text: string, data?: unknown): void => io.log(boundLogEvent({ kind, text: cut(text), ...(data === undefined ? {} : { data }) }, safe));
    const tools = new WorkspaceTools(input.workingDirectory, this.limits(), controller.signal, (discovery) => io.discovery(discovery), (process) => io.processStarted?.(process));
    let usage: Usage = ZERO_USAGE;
    let costUsd = 0;
    const common = (): AttemptOutcomeCommon => ({
      filesModified: tools.filesModified,
      filesCreated: tools.filesCreated,
      discoveries: tools.discoveries,
      usage,
      costUsd,
    });
    const failed = (error: AttemptError): AttemptOutcome => ({ ...common(), status: 'failed', error: { ...error, message: safe(error.message) } });
    const maxTurns = input.maxTurns ?? this.options.maxTurns ?? 40;
    try {
      const folder = await stat(input.workingDirectory).catch(() => undefined);
      if (folder === undefined || !folder.isDirectory()) {
        return failed({ errorClass: 'permanent', message: `The working directory ${input.workingDirectory} does not exist or is not a folder.` });
      }
      const messages: MessageParam[] = [{ role: 'user', content: [{ type: 'text', text: taskPrompt(input.task) }] }];
      for (let turn = 1; turn <= maxTurns; turn += 1) {
        const reply = await this.client.call(
          {
            model: input.model.trim() === '' ? DEFAULT_WORKER_MODEL : input.model,
            max_tokens: this.options.maxTokens ?? DEFAULT_WORKER_MAX_TOKENS,
            system: [...workerSystem()],
            tools: [...workerToolDefinitions()],
            messages: withCacheBreakpoint(messages),
          },
          'worker_turn',
          controller.signal,
          (resetAt, reason) => io.rateLimited?.(resetAt, reason),
        );
        usage = addUsage(usage, reply.usage);
        costUsd += reply.costUsd;
        io.usage?.(usage, costUsd);
        const message = reply.message;
        const budget = this.options.maxBudgetUsd;
        if (budget !== undefined && costUsd >= budget && message.content.some((block) => block.type === 'tool_use')) {
          // Another attempt would spend the same again: the task fails, saying which setting stopped it.
          return failed({ errorClass: 'permanent', message: `the attempt reached its cost limit (budget.max_usd_per_task, $${budget.toFixed(2)}) after ${turn} turns ($${costUsd.toFixed(2)}); raise the limit or split the task.` });
        }
        for (const block of message.content) if (block.type === 'text' && block.text.trim() !== '') log('assistant.text', block.text, { turn });
        messages.push({ role: 'assistant', content: assistantParams(message) });
        const calls = message.content.flatMap((block) => (block.type === 'tool_use' ? [block] : []));
        if (calls.length === 0) {
          if (message.stop_reason === 'pause_turn') continue;
          if (message.stop_reason === 'refusal') return failed({ errorClass: 'permanent', message: 'The model refused the task.' });
          if (message.stop_reason === 'max_tokens') {
            return failed({ errorClass: 'recoverable', message: `The model's answer was cut off at max_tokens on turn ${turn}.` });
          }
          return { ...common(), status: 'succeeded', output: finalText(message) };
        }
        const results: ToolResultBlockParam[] = [];
        for (const call of calls) {
          log('tool_use', `${call.name} ${JSON.stringify(call.input)}`, { id: call.id, name: call.name, input: call.input });
          const outcome = await tools.run(call.name, call.input);
          log('tool_result', outcome.content, { tool_use_id: call.id, name: call.name, is_error: outcome.isError });
          results.push({ type: 'tool_result', tool_use_id: call.id, content: safe(outcome.content), ...(outcome.isError ? { is_error: true } : {}) });
        }
        if (controller.signal.aborted) throw new CallAbortedError();
        messages.push({ role: 'user', content: results });
      }
      return failed({ errorClass: 'recoverable', message: `The worker reached its turn limit (${maxTurns}) before finishing the task.` });
    } catch (error) {
      if (error instanceof CallAbortedError || controller.signal.aborted) {
        if (timedOut && !input.signal.aborted) return failed({ errorClass: 'recoverable', message: `The attempt timed out after ${input.timeoutMs} ms.` });
        return { ...common(), status: 'cancelled' };
      }
      if (error instanceof ManagerError) {
        // A final 429 has already paused the pool (through the client's rate-limit listener); the attempt ends transient and is retried.
        return failed({ errorClass: error.errorClass, message: error.message, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) });
      }
      return failed({ errorClass: 'permanent', message: `The API worker failed: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      clearTimeout(timer);
      input.signal.removeEventListener('abort', onAbort);
    }
  }

  private limits(): { commandTimeoutMs: number; maxOutputChars: number } {
    return { commandTimeoutMs: this.options.commandTimeoutMs ?? 120_000, maxOutputChars: this.options.maxToolOutputChars ?? 50_000 };
  }
}

/** The reply's content as request params (the response form carries fields requests must not). */
function assistantParams(message: Message): ContentBlockParam[] {
  const blocks = message.content.flatMap((block): ContentBlockParam[] => {
    switch (block.type) {
      case 'text':
        return [{ type: 'text', text: block.text }];
      case 'tool_use':
        return [{ type: 'tool_use', id: block.id, name: block.name, input: block.input }];
      case 'thinking':
        return [{ type: 'thinking', thinking: block.thinking, signature: block.signature }];
      default:
        return [];
    }
  });
  return blocks.length > 0 ? blocks : [{ type: 'text', text: '(no content)' }];
}

/** A copy of the conversation whose last block is a cache breakpoint, so each turn reads the previous ones from cache. */
function withCacheBreakpoint(messages: ReadonlyArray<MessageParam>): MessageParam[] {
  const last = messages.at(-1);
  if (last === undefined || last.role !== 'user' || typeof last.content === 'string') return [...messages];
  const content = last.content.map((block, position): ContentBlockParam =>
    position === last.content.length - 1 && (block.type === 'text' || block.type === 'tool_result') ? { ...block, cache_control: { type: 'ephemeral' } } : block,
  );
  return [...messages.slice(0, -1), { role: 'user', content }];
}

function finalText(message: Message): string {
  return message.content.flatMap((block) => (block.type === 'text' ? [block.text] : [])).join('\n').trim();
}

function cut(text: string): string {
  return text.length > LOG_TEXT_LIMIT ? `${text.slice(0, LOG_TEXT_LIMIT)}…` : text;
}
