import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultPlan } from './faults';
import type { RandomFaultOptions } from './faults';
import { DEFAULT_REPLY, asStructuredOutput, matchers, textReply } from './replies';
import type { FakeFault, FakeReply, MessagesRequestBody, RecordedRequest, ReplyFunction, RequestMatcher, WireUsage } from './types';
import { PromptCache, countInputTokens, outputTokens } from './usage';
import { errorBody, httpFault, sseFrame, stopReasonOf, streamEvents, wireContent, writeMessage } from './wire';

/** Options of the fake server. */
export interface FakeAnthropicOptions {
  /** When set, only these keys authenticate; any other gets 401. A key is always required. */
  readonly validApiKeys?: ReadonlyArray<string>;
  /** The reply when no script answers; defaults to a plain "Done.". */
  readonly defaultReply?: FakeReply;
}

/** A script: replies for matching requests, from a queue first, then from a function. */
export interface ScriptOptions {
  /** Which requests this script answers; defaults to every Messages request. */
  readonly match?: RequestMatcher;
  readonly replies?: ReadonlyArray<FakeReply>;
  readonly respond?: ReplyFunction;
}

/** Handle of a registered script. */
export interface Script {
  /** Appends replies to the queue. */
  push(...replies: FakeReply[]): void;
  /** Replies still queued. */
  readonly remaining: number;
  /** Requests this script has answered. */
  readonly answered: ReadonlyArray<RecordedRequest>;
}

/** Rate-limit header values the fake reports. */
export interface RateLimitState {
  readonly requestsLimit: number;
  readonly requestsRemaining?: number;
  readonly tokensLimit: number;
  readonly tokensRemaining?: number;
  /** When the limits reset; defaults to a minute from each response. */
  readonly resetAt?: Date;
}

/** A running fake Messages API. */
export interface FakeAnthropic {
  /** Base URL for ANTHROPIC_BASE_URL / the SDK's baseURL, e.g. http://127.0.0.1:41234 */
  readonly url: string;
  readonly port: number;
  /** Every request received, in order. */
  readonly requests: ReadonlyArray<RecordedRequest>;
  /** Only POST /v1/messages requests. */
  messageRequests(): ReadonlyArray<RecordedRequest>;
  /** Adds a script; earlier scripts are asked first. */
  script(options: ScriptOptions): Script;
  /** Shorthand: a script for every Messages request with these replies. */
  enqueue(...replies: FakeReply[]): Script;
  /** The next `count` matching Messages requests fail with these faults (cycled). A failed request does not consume a script reply. */
  failNext(count: number, faults: FakeFault | ReadonlyArray<FakeFault>, match?: RequestMatcher): void;
  /** Matching requests fail with a seeded probability; pass undefined to stop. */
  failRandomly(options: RandomFaultOptions | undefined): void;
  /** Changes the reported rate-limit headers. */
  setRateLimit(state: Partial<RateLimitState>): void;
  /** Resolves with the first (past or future) request that matches. */
  waitForRequest(predicate: RequestMatcher, timeoutMs?: number): Promise<RecordedRequest>;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

interface ScriptState {
  readonly match: RequestMatcher;
  readonly queue: FakeReply[];
  readonly respond: ReplyFunction | undefined;
  readonly answered: RecordedRequest[];
}

/** Starts a fake Messages API on 127.0.0.1 and a free port. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const scripts: ScriptState[] = [];
  const faults = new FaultPlan();
  const cache = new PromptCache();
  const events = new EventEmitter();
  const timers = new Set<NodeJS.Timeout>();
  let rateLimit: RateLimitState = { requestsLimit: 4000, tokensLimit: 400_000 };
  let counter = 0;
  let closed = false;

  /** Resolves true once `promise` settles, false when the client went away (or the fake closed) first. */
  const holdUntil = (promise: Promise<unknown>, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      res.once('close', () => resolve(false));
      const settled = () => resolve(!res.destroyed && !closed);
      promise.then(settled, settled);
    });
  const delay = (ms: number, res: ServerResponse): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve(!res.destroyed && !closed);
      }, ms);
      timers.add(timer);
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
        resolve(false);
      });
    });

  const baseHeaders = (requestId: string, inputTokens: number): Record<string, string> => {
    const served = requests.filter((r) => r.path.startsWith('/v1/messages')).length;
    const reset = (rateLimit.resetAt ?? new Date(Date.now() + 60_000)).toISOString();
    const tokensRemaining = String(rateLimit.tokensRemaining ?? Math.max(0, rateLimit.tokensLimit - inputTokens));
    return {
      'request-id': requestId,
      'anthropic-ratelimit-requests-limit': String(rateLimit.requestsLimit),
      'anthropic-ratelimit-requests-remaining': String(rateLimit.requestsRemaining ?? Math.max(0, rateLimit.requestsLimit - served)),
      'anthropic-ratelimit-requests-reset': reset,
      'anthropic-ratelimit-tokens-limit': String(rateLimit.tokensLimit),
      'anthropic-ratelimit-tokens-remaining': tokensRemaining,
      'anthropic-ratelimit-tokens-reset': reset,
      'anthropic-ratelimit-input-tokens-limit': String(rateLimit.tokensLimit),
      'anthropic-ratelimit-input-tokens-remaining': tokensRemaining,
      'anthropic-ratelimit-input-tokens-reset': reset,
      'anthropic-ratelimit-output-tokens-limit': String(Math.floor(rateLimit.tokensLimit / 5)),
      'anthropic-ratelimit-output-tokens-remaining': String(Math.floor(rateLimit.tokensLimit / 5)),
      'anthropic-ratelimit-output-tokens-reset': reset,
    };
  };

  const sendError = (res: ServerResponse, status: number, type: string, message: string, requestId: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json', 'request-id': requestId, ...extra });
    res.end(errorBody(type, message, requestId));
  };

  const chooseReply = (request: RecordedRequest): { reply: FakeReply; scripted: boolean } => {
    for (const script of scripts) {
      if (!script.match(request)) continue;
      const reply = script.queue.shift() ?? script.respond?.(request);
      if (reply !== undefined) {
        script.answered.push(request);
        return { reply: asStructuredOutput(request, reply), scripted: true };
      }
    }
    return { reply: options.defaultReply ?? DEFAULT_REPLY, scripted: false };
  };

  /** Applies a fault; returns true when the response is finished. */
  const applyFault = async (fault: FakeFault, request: RecordedRequest, res: ServerResponse, requestId: string): Promise<boolean> => {
    request.outcome = `fault:${fault.kind}`;
    const http = httpFault(fault);
    if (http !== undefined) {
      const extra: Record<string, string> = http.retryAfterSeconds === undefined ? {} : { 'retry-after': String(http.retryAfterSeconds) };
      if (http.status === 429) Object.assign(extra, baseHeaders(requestId, 0), { 'anthropic-ratelimit-requests-remaining': '0' });
      sendError(res, http.status, http.type, http.message, requestId, extra);
      return true;
    }
    if (fault.kind === 'connection_reset') {
      res.socket?.destroy();
      return true;
    }
    if (fault.kind === 'slow') {
      return !(await delay(fault.delayMs, res));
    }
    return false; // mid_stream_error is applied while writing the reply
  };

  const answerMessages = async (request: RecordedRequest, res: ServerResponse): Promise<void> => {
    const requestId = `req_fake_${request.index}`;
    const body = request.body ?? {};
    const fault = faults.pick(request);
    if (fault !== undefined && (await applyFault(fault, request, res, requestId))) return;
    const midStream = fault?.kind === 'mid_stream_error' ? fault : undefined;
    // A mid-stream failure streams a throwaway partial answer, so the script reply stays for the retry.
    const { reply, scripted } = midStream === undefined ? chooseReply(request) : { reply: PARTIAL_REPLY, scripted: false };
    if (midStream === undefined) request.outcome = scripted ? 'script' : 'default';
    if (reply.delayMs !== undefined && !(await delay(reply.delayMs, res))) return;
    if (reply.holdUntil !== undefined && !(await holdUntil(reply.holdUntil, res))) return;
    if (reply.fault !== undefined && (await applyFault(reply.fault, request, res, requestId))) return;
    const content = wireContent(reply.content, () => `toolu_fake_${++counter}`);
    const usage: WireUsage = { ...cache.inputUsage(body), output_tokens: outputTokens(reply.content), ...reply.usage };
    const message = {
      id: `msg_fake_${request.index}`,
      type: 'message',
      role: 'assistant',
      model: body.model ?? 'claude-fake',
      content,
      stop_reason: stopReasonOf(reply),
      stop_sequence: null,
      usage: { ...usage, service_tier: 'standard' },
    };
    const headers = baseHeaders(requestId, usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens);
    if (body.stream !== true) {
      if (midStream !== undefined) {
        res.socket?.destroy();
        return;
      }
      writeMessage(res, headers, message);
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const frames = streamEvents(message, content, usage);
    const stopAfter = midStream === undefined ? frames.length : Math.min(frames.length - 1, Math.max(1, midStream.afterEvents ?? 3));
    for (const [event, data] of frames.slice(0, stopAfter)) res.write(sseFrame(event, data));
    if (midStream !== undefined) {
      res.write(sseFrame('error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded (fake, mid-stream)' }, request_id: requestId }));
    }
    res.end();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, rawBody: string): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    let body: MessagesRequestBody | undefined;
    try {
      body = rawBody.length > 0 ? (JSON.parse(rawBody) as MessagesRequestBody) : undefined;
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = {
      index: requests.length,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
      rawBody,
      receivedAt: Date.now(),
      outcome: 'pending',
    };
    requests.push(request);
    events.emit('request', request);
    const requestId = `req_fake_${request.index}`;

    if ((request.method === 'HEAD' || request.method === 'GET') && request.path === '/') {
      request.outcome = 'health';
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(request.method === 'HEAD' ? undefined : 'ok');
      return;
    }
    if (request.method !== 'POST' || !request.path.startsWith('/v1/')) {
      request.outcome = 'not_found';
      sendError(res, 404, 'not_found_error', `Not found: ${request.method} ${request.path}`, requestId);
      return;
    }
    const key = apiKeyOf(request.headers);
    if (key === undefined || (options.validApiKeys !== undefined && !options.validApiKeys.includes(key))) {
      request.outcome = 'auth';
      sendError(res, 401, 'authentication_error', 'invalid x-api-key', requestId);
      return;
    }
    if (body === undefined) {
      request.outcome = 'invalid';
      sendError(res, 400, 'invalid_request_error', 'Request body is not valid JSON', requestId);
      return;
    }
    if (request.path === '/v1/messages/count_tokens') {
      request.outcome = 'count_tokens';
      writeMessage(res, baseHeaders(requestId, 0), { input_tokens: countInputTokens(body) });
      return;
    }
    if (request.path === '/v1/messages') {
      await answerMessages(request, res);
      return;
    }
    request.outcome = 'not_found';
    sendError(res, 404, 'not_found_error', `Not found: ${request.path}`, requestId);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      handle(req, res, Buffer.concat(chunks).toString('utf8')).catch((error: unknown) => {
        if (!res.headersSent) sendError(res, 500, 'api_error', `Fake server bug: ${String(error)}`, 'req_fake_bug');
        else res.destroy();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  const addScript = (scriptOptions: ScriptOptions): Script => {
    const state: ScriptState = { match: scriptOptions.match ?? matchers.any, queue: [...(scriptOptions.replies ?? [])], respond: scriptOptions.respond, answered: [] };
    scripts.push(state);
    return {
      push: (...replies) => void state.queue.push(...replies),
      get remaining() {
        return state.queue.length;
      },
      answered: state.answered,
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    messageRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/v1/messages'),
    script: addScript,
    enqueue: (...replies) => addScript({ replies }),
    failNext: (count, list, match) => faults.failNext(count, list, match ?? matchers.any),
    failRandomly: (randomOptions) => faults.failRandomly(randomOptions),
    setRateLimit: (state) => {
      rateLimit = { ...rateLimit, ...state };
    },
    waitForRequest: (predicate, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const found = requests.find(predicate);
        if (found !== undefined) return resolve(found);
        const timer = setTimeout(() => {
          events.off('request', listener);
          reject(new Error(`No matching request within ${timeoutMs} ms (${requests.length} received)`));
        }, timeoutMs);
        const listener = (request: RecordedRequest): void => {
          if (!predicate(request)) return;
          clearTimeout(timer);
          events.off('request', listener);
          resolve(request);
        };
        events.on('request', listener);
      }),
    close: async () => {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      const done = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await done;
    },
  };
}

const PARTIAL_REPLY: FakeReply = textReply('This answer is cut off by a mid-stream error before it');

/** The API key of a request: x-api-key, else a Bearer token. */
function apiKeyOf(headers: RecordedRequest['headers']): string | undefined {
  const direct = headers['x-api-key'];
  if (typeof direct === 'string' && direct.length > 0) return direct;
  const auth = headers['authorization'];
  const match = typeof auth === 'string' ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return match?.[1];
}
