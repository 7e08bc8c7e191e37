import Anthropic from '@anthropic-ai/sdk';
import type { Message, MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { Usage } from '../../../src-shared/domain/usage';
import { backoffDelay } from '../../engine/retry-policy';
import { DEFAULT_PRICE_TABLE } from '../pricing/default-prices';
import { costOf, type PriceTable } from '../pricing/price-table';
import { RateLimitGate, checkUsageWarningThreshold, rateLimitMiddleware, type RateLimitListener, type RateLimitPause } from '../rate-limit';
import { DEFAULT_SDK_MAX_RETRIES, DEFAULT_STREAM_RETRY } from './constants';
import { CallAbortedError, ManagerError, classifyModelError } from './model-errors';

/** Our own bounded retry of streams that fail mid-way. */
export interface StreamRetrySettings {
  /** Total attempts, the first included. */
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Usage and cost of one model call, reported as soon as it finishes. */
export interface UsageReport {
  /** What the call was for, e.g. 'parse_prd', 'review', 'worker_turn'. */
  readonly purpose: string;
  readonly model: string;
  readonly usage: Usage;
  readonly costUsd: number;
  /** False when the price table does not know the model (cost then 0). */
  readonly priced: boolean;
}

/** Connection settings shared by the manager and the API worker. */
export interface ModelClientOptions {
  /** Passed in by the host (secret store); never read from disk or the environment here. */
  readonly apiKey: string;
  readonly baseURL?: string;
  /** Retries the SDK does itself for 408/409/429/5xx/529/connection errors. */
  readonly maxRetries?: number;
  /** Per-request timeout of the SDK. */
  readonly timeoutMs?: number;
  readonly priceTable?: PriceTable;
  readonly onUsage?: (report: UsageReport) => void;
  readonly streamRetry?: StreamRetrySettings;
  /** Source of jitter (tests may fix it). */
  readonly random?: () => number;
  /** Share of any rate limit (0..1) that may be used before `onRateLimit` is asked to pause (default 0.8, config usage_warning_threshold). */
  readonly usageWarningThreshold?: number;
  /** Asked to pause work until `resetAt`: a limit is nearly used up (headers) or the API answered 429 (even one the SDK then retried). */
  readonly onRateLimit?: RateLimitListener;
  /**
   * Holds back this client's requests while the API says none can succeed (a 429, an empty limit). Defaults to one
   * gate per client; clients on the same API key may share one so that each waits for the others' 429s too.
   */
  readonly rateLimitGate?: RateLimitGate;
}

/** A model call's answer with its usage and cost. */
export interface ModelReply {
  readonly message: Message;
  readonly usage: Usage;
  readonly costUsd: number;
}

/** Streams Messages API calls, retries mid-stream failures with backoff and jitter, and reports usage. */
export class ModelClient {
  private readonly client: Anthropic;
  private readonly priceTable: PriceTable;
  private readonly streamRetry: StreamRetrySettings;
  private readonly usageWarningThreshold: number;
  private readonly gate: RateLimitGate;

  constructor(private readonly options: ModelClientOptions) {
    if (options.apiKey.trim().length === 0) throw new ManagerError('No Anthropic API key was given.', 'permanent');
    this.usageWarningThreshold = checkUsageWarningThreshold(options.usageWarningThreshold);
    this.gate = options.rateLimitGate ?? new RateLimitGate();
    this.client = new Anthropic({
      apiKey: options.apiKey,
      ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
      maxRetries: options.maxRetries ?? DEFAULT_SDK_MAX_RETRIES,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    this.priceTable = options.priceTable ?? DEFAULT_PRICE_TABLE;
    this.streamRetry = options.streamRetry ?? DEFAULT_STREAM_RETRY;
  }

  /**
   * One call, streamed; throws ManagerError (classified) or CallAbortedError. Every HTTP response of the call,
   * the 429s the SDK retries by itself included, is read for rate limits: a limit past the threshold or a 429 is
   * reported to `options.onRateLimit` and `onRateLimit`, and while the API says nothing can succeed (429, an empty
   * limit) this client's requests wait at the gate.
   */
  async call(params: MessageCreateParamsNonStreaming, purpose: string, signal?: AbortSignal, onRateLimit?: RateLimitListener): Promise<ModelReply> {
    const middleware = [
      rateLimitMiddleware({
        threshold: this.usageWarningThreshold,
        gate: this.gate,
        onPause: (pause) => this.reportPause(pause, onRateLimit),
        ...(signal === undefined ? {} : { signal }),
      }),
    ];
    for (let attempt = 1; ; attempt += 1) {
      if (isAborted(signal)) throw new CallAbortedError();
      try {
        const stream = this.client.messages.stream(params, { middleware, ...(signal === undefined ? {} : { signal }) });
        const message = await stream.finalMessage();
        return this.account(message, params.model, purpose);
      } catch (error) {
        const failure = classifyModelError(error, this.options.apiKey);
        if (failure instanceof CallAbortedError || isAborted(signal)) throw new CallAbortedError();
        if (!failure.midStream || attempt >= this.streamRetry.maxAttempts) throw failure;
        await abortableDelay(backoffDelay(attempt, this.streamRetry, this.options.random), signal);
      }
    }
  }

  /** Tells the listeners; a listener that throws is logged, never mistaken for a failed call. */
  private reportPause(pause: RateLimitPause, onRateLimit: RateLimitListener | undefined): void {
    for (const listener of [this.options.onRateLimit, onRateLimit]) {
      try {
        listener?.(pause.until, pause.reason);
      } catch (error) {
        console.error(`a rate-limit listener failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  private account(message: Message, model: string, purpose: string): ModelReply {
    const usage: Usage = {
      inputTokens: message.usage.input_tokens,
      outputTokens: message.usage.output_tokens,
      cacheCreationInputTokens: message.usage.cache_creation_input_tokens ?? 0,
      cacheReadInputTokens: message.usage.cache_read_input_tokens ?? 0,
    };
    const { costUsd, priced } = costOf(usage, model, this.priceTable);
    this.options.onUsage?.({ purpose, model, usage, costUsd, priced });
    return { message, usage, costUsd };
  }
}

/** Waits, or rejects with CallAbortedError as soon as the signal aborts. */
export function abortableDelay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(new CallAbortedError());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CallAbortedError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
