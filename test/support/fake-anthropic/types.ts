/** One content block the fake model answers with. */
export type FakeBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'tool_use'; readonly name: string; readonly input: Readonly<Record<string, unknown>>; readonly id?: string };

/** Usage numbers as the Messages API reports them (snake_case, as on the wire). */
export interface WireUsage {
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly cache_creation_input_tokens: number;
  readonly cache_read_input_tokens: number;
}

/** Stop reasons the fake can report. */
export type FakeStopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'pause_turn' | 'refusal';

/** A scripted model reply. */
export interface FakeReply {
  readonly content: ReadonlyArray<FakeBlock>;
  /** Defaults to 'tool_use' when a tool_use block is present, else 'end_turn'. */
  readonly stopReason?: FakeStopReason;
  /** Overrides the computed usage fields. */
  readonly usage?: Partial<WireUsage>;
  /** Waits this long before answering (response headers included). */
  readonly delayMs?: number;
  /** Waits until this settles before answering (after delayMs): a test holds a reply to observe what happens meanwhile. */
  readonly holdUntil?: Promise<unknown>;
  /** Answer with this fault instead of the content (the reply is still consumed). */
  readonly fault?: FakeFault;
}

/** A failure the fake can inject instead of (or in the middle of) a reply. */
export type FakeFault =
  | { readonly kind: 'rate_limit'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'overloaded'; readonly retryAfterSeconds?: number }
  | { readonly kind: 'server_error'; readonly status?: number }
  | { readonly kind: 'unauthorized' }
  | { readonly kind: 'connection_reset' }
  /** Streams a few events of a throwaway answer, then an SSE `error` event (overloaded_error), and ends; the script reply is kept for the retry. Non-streaming requests get a reset. */
  | { readonly kind: 'mid_stream_error'; readonly afterEvents?: number }
  /** Delays, then answers normally (consuming the script). */
  | { readonly kind: 'slow'; readonly delayMs: number };

/** Names of all fault kinds. */
export type FakeFaultKind = FakeFault['kind'];

/** One request the fake received, for assertions. */
export interface RecordedRequest {
  readonly index: number;
  readonly method: string;
  /** Path without the query string, e.g. '/v1/messages'. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, or undefined when there was none or it was not JSON. */
  readonly body: MessagesRequestBody | undefined;
  readonly rawBody: string;
  readonly receivedAt: number;
  /** How the fake answered: 'script', 'default', 'fault:<kind>', 'auth', 'count_tokens', 'health', 'not_found'. */
  outcome: string;
}

/** The fields of a Messages API request body the fake looks at; the rest stays available untyped. */
export interface MessagesRequestBody {
  readonly model?: string;
  readonly stream?: boolean;
  readonly max_tokens?: number;
  readonly system?: unknown;
  readonly messages?: ReadonlyArray<{ readonly role: string; readonly content: unknown }>;
  readonly tools?: ReadonlyArray<{ readonly name?: string; readonly [key: string]: unknown }>;
  readonly [key: string]: unknown;
}

/** Decides whether a script answers a request. */
export type RequestMatcher = (request: RecordedRequest) => boolean;

/** A function of the request that returns a reply, or undefined to leave the request to the next script / default. */
export type ReplyFunction = (request: RecordedRequest) => FakeReply | undefined;
