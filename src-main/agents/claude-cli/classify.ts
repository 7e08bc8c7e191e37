import { isNotSignedIn, NOT_SIGNED_IN } from './claude-login';
import type { ErrorClass } from '../../../src-shared/domain/error-class';
import type { AttemptError } from '../../engine/worker-backend';
import type { ResultEvent } from './stream-events';

/** What is known about how a CLI run ended. */
export interface RunEnding {
  /** The `result` event, if the CLI printed one. */
  readonly result?: ResultEvent;
  /** The `error` field of Claude Code's last synthetic assistant message (e.g. 'authentication_failed'). */
  readonly assistantError?: string;
  readonly exitCode?: number;
  readonly signal?: string;
  /** Last lines of stderr (already masked). */
  readonly stderrTail: string;
  /** Set when our own timeout (or a timeout abort) stopped the run. */
  readonly timedOutAfterMs?: number;
}

/** Classifies a finished run: undefined when it succeeded, else the error with a message that says what to do. */
export function classifyRunEnding(ending: RunEnding): AttemptError | undefined {
  const { result } = ending;
  if (ending.timedOutAfterMs !== undefined) {
    return { errorClass: 'recoverable', message: `Claude Code did not finish within ${Math.round(ending.timedOutAfterMs / 1000)} s and was stopped; try a larger timeout or a smaller task.` };
  }
  // `subtype` alone is not enough: API failures end with subtype 'success' and is_error true.
  if (result !== undefined && result.subtype === 'success' && !result.is_error && (ending.exitCode ?? 0) === 0) return undefined;

  const detail = (result?.result ?? result?.errors?.join('; ') ?? ending.stderrTail).trim();
  const status = result?.api_error_status ?? undefined;
  if ((status === undefined || status === null) && isNotSignedIn(detail)) return { errorClass: 'permanent', message: NOT_SIGNED_IN, stopsRun: true };
  if (status !== undefined && status !== null) return fromHttpStatus(status, detail);
  const byAssistantError = ending.assistantError === undefined ? undefined : fromAssistantError(ending.assistantError, detail);
  if (byAssistantError !== undefined) return byAssistantError;

  if (result !== undefined) {
    switch (result.subtype) {
      case 'error_max_turns':
        return { errorClass: 'recoverable', message: `Claude Code reached its maximum number of turns before finishing${suffix(detail)}; retry with a larger max turns or a smaller task.` };
      case 'error_max_budget_usd':
        // Another attempt would spend the same again: the task fails, saying which setting stopped it.
        return { errorClass: 'permanent', message: `the attempt reached its cost limit (budget.max_usd_per_task)${suffix(detail)}; raise the limit or split the task.` };
      case 'error_during_execution':
        return { errorClass: classByText(detail) ?? 'transient', message: `Claude Code failed during execution${suffix(detail)}.` };
      default:
        return { errorClass: classByText(detail) ?? 'transient', message: `Claude Code ended with ${result.subtype}${result.is_error ? ' (error)' : ''}${suffix(detail)}.` };
    }
  }
  const how = ending.signal !== undefined ? `was killed by ${ending.signal}` : `exited with code ${String(ending.exitCode ?? 'unknown')}`;
  return { errorClass: classByText(ending.stderrTail) ?? 'transient', message: `Claude Code ${how} without a result${suffix(ending.stderrTail.trim())}.` };
}

function fromHttpStatus(status: number, detail: string): AttemptError {
  if (status === 401 || status === 403) {
    return { errorClass: 'permanent', message: `The Anthropic API rejected the API key (HTTP ${status}): check the key in the settings${suffix(detail)}.`, stopsRun: true };
  }
  if (status === 429) return { errorClass: 'transient', message: `Rate limited by the Anthropic API (HTTP 429)${suffix(detail)}.` };
  if (status === 529 || status >= 500 || status === 408 || status === 409) {
    return { errorClass: 'transient', message: `The Anthropic API is unavailable or overloaded (HTTP ${status})${suffix(detail)}.` };
  }
  if (status === 413 || /prompt is too long|context (window|length)/i.test(detail)) {
    return { errorClass: 'recoverable', message: `The request was too large for the model (HTTP ${status})${suffix(detail)}.` };
  }
  if (status === 402 || /credit balance|billing/i.test(detail)) {
    return { errorClass: 'permanent', message: `The Anthropic account cannot pay for this request (HTTP ${status})${suffix(detail)}.`, stopsRun: true };
  }
  return { errorClass: 'permanent', message: `The Anthropic API refused the request (HTTP ${status})${suffix(detail)}.` };
}

function fromAssistantError(code: string, detail: string): AttemptError | undefined {
  switch (code) {
    case 'authentication_failed':
      return { errorClass: 'permanent', message: `Claude Code could not authenticate: check the API key in the settings${suffix(detail)}.`, stopsRun: true };
    case 'billing_error':
      return { errorClass: 'permanent', message: `The Anthropic account cannot pay for this request${suffix(detail)}.`, stopsRun: true };
    case 'rate_limit':
      return { errorClass: 'transient', message: `Rate limited by the Anthropic API${suffix(detail)}.` };
    case 'server_error':
      return { errorClass: 'transient', message: `The Anthropic API failed${suffix(detail)}.` };
    case 'max_output_tokens':
      return { errorClass: 'recoverable', message: `The model hit its output limit${suffix(detail)}.` };
    case 'invalid_request':
      return { errorClass: classByText(detail) ?? 'permanent', message: `The Anthropic API refused the request${suffix(detail)}.` };
    default:
      return undefined;
  }
}

/** A class from well-known phrases in error text, if any. */
function classByText(text: string): ErrorClass | undefined {
  if (/invalid api key|authentication|unauthori[sz]ed|401/i.test(text)) return 'permanent';
  if (/prompt is too long|context (window|length)|max(imum)? turns/i.test(text)) return 'recoverable';
  if (/rate limit|429|overloaded|529|5\d\d|ECONNRESET|socket hang up|timed? ?out|network/i.test(text)) return 'transient';
  return undefined;
}

function suffix(detail: string): string {
  const trimmed = detail.length > 500 ? `${detail.slice(0, 500)}…` : detail;
  return trimmed.length === 0 ? '' : `: ${trimmed}`;
}
