import Anthropic from '@anthropic-ai/sdk';
import { redactSecrets } from '../../workspace/redact';
import type { ErrorClass } from '../../../src-shared/domain/error-class';

/** A failure of a manager or model call, classified, with a message safe to show (never the key). */
export class ManagerError extends Error {
  constructor(
    message: string,
    readonly errorClass: ErrorClass,
    /** When the server said how long to wait (429/529). */
    readonly retryAfterMs?: number,
    /** True when the failure was an error that arrived in the middle of a stream. */
    readonly midStream = false,
    /** No credentials were accepted (a refused key or login, or none at all): every call would fail alike. */
    readonly authRefused = false,
  ) {
    super(message);
    this.name = 'ManagerError';
  }

  /** Authentication or permission refused (401/403): the same for every call, so a run that needs the manager stops. */
  get stopsRun(): boolean {
    return this.authRefused || (this.errorClass === 'permanent' && /\((401|403)\)/.test(this.message));
  }
}

/** Thrown when a call was aborted through its signal. */
export class CallAbortedError extends Error {
  constructor() {
    super('The call was cancelled.');
    this.name = 'CallAbortedError';
  }
}

/** The shared redaction (every known secret format and registered secret) plus this client's key. */
export function redactKey(text: string, apiKey: string | undefined): string {
  return redactSecrets(text, apiKey === undefined ? undefined : { extraSecrets: [apiKey] });
}

/**
 * Classifies an SDK error (after the SDK's own retries): auth and invalid requests are
 * permanent, rate limits, overload, 5xx, connection and mid-stream errors transient, and a
 * prompt too large for the model recoverable. Aborts become CallAbortedError.
 */
export function classifyModelError(error: unknown, apiKey: string | undefined): ManagerError | CallAbortedError {
  if (error instanceof ManagerError || error instanceof CallAbortedError) return error;
  if (error instanceof Anthropic.APIUserAbortError) return new CallAbortedError();
  const safe = (text: string): string => redactKey(text, apiKey);
  if (error instanceof Anthropic.APIConnectionError) {
    return new ManagerError(safe(`Could not reach the Anthropic API: ${error.message}`), 'transient');
  }
  if (error instanceof Anthropic.APIError) {
    const detail = safe(error.apiMessage ?? error.message);
    const status = error.status;
    if (status === undefined) {
      // An `error` event inside a 200 stream: the SDK does not retry these.
      return new ManagerError(`The Anthropic API stream failed mid-way (${error.type ?? 'error'}): ${detail}`, 'transient', undefined, true);
    }
    if (status === 401) {
      return new ManagerError('The Anthropic API rejected the API key (401). Check the key in Settings or the ANTHROPIC_API_KEY the app was given.', 'permanent');
    }
    if (status === 403) return new ManagerError(`The API key may not use this model or feature (403): ${detail}`, 'permanent');
    if (status === 413) return new ManagerError(`The request is too large for the API (413): ${detail}`, 'recoverable');
    if (status === 400 && /prompt is too long|context|too many tokens/i.test(detail)) {
      return new ManagerError(`The prompt does not fit the model's context (400): ${detail}`, 'recoverable');
    }
    if (status === 429 || status === 529 || status === 408 || status === 409 || status >= 500) {
      const retryAfterMs = retryAfterOf(error.headers);
      const what = status === 429 ? 'rate limited' : status === 529 ? 'overloaded' : 'failed';
      return new ManagerError(`The Anthropic API ${what} (${status}) after retries: ${detail}`, 'transient', retryAfterMs);
    }
    return new ManagerError(`The Anthropic API refused the request (${status}): ${detail}`, 'permanent');
  }
  if (error instanceof Anthropic.AnthropicError) return new ManagerError(safe(`Anthropic SDK error: ${error.message}`), 'permanent');
  if (isAbortLike(error)) return new CallAbortedError();
  // Anything else thrown while reading a stream (e.g. "terminated" on a reset socket) is a network hiccup.
  const message = error instanceof Error ? error.message : String(error);
  return new ManagerError(safe(`The connection to the Anthropic API broke: ${message}`), 'transient', undefined, true);
}

function isAbortLike(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError');
}

/** Milliseconds from retry-after-ms / retry-after headers, if any. */
function retryAfterOf(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const seconds = Number(headers?.get('retry-after') ?? Number.NaN);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
