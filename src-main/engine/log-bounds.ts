import type { AttemptLogEvent } from './worker-backend';

/** A stored or pushed log line's text is at most this long (the note saying how long it was included). */
export const MAX_LOG_TEXT_CHARS = 8_000;
/** Each string inside a log line's structured data is at most this long. */
export const MAX_LOG_DATA_STRING_CHARS = 8_000;
/** A log line's structured data holds at most about this many characters of strings and keys; the rest is left out. */
export const MAX_LOG_DATA_JSON_CHARS = 64_000;
/** How much beyond a cut is redacted with the kept part, so a secret lying across the cut is masked whole. */
const REDACTION_MARGIN_CHARS = 16_384;
/** How deep structured data is copied; deeper values are left out. */
const MAX_DATA_DEPTH = 12;

/** What was cut from a log line; recorded in its data as `{ truncated, data }`. */
export interface LogTruncation {
  /** Length of the text before it was cut. */
  readonly textChars: number;
  /** Length of the structured data as JSON before it was cut; 0 when only the text was cut. */
  readonly dataChars: number;
}

/**
 * Bounds one log line before it is stored and pushed: its text to MAX_LOG_TEXT_CHARS, each string
 * in its data to MAX_LOG_DATA_STRING_CHARS and the data to about MAX_LOG_DATA_JSON_CHARS of JSON.
 * When anything was cut the data becomes `{ truncated: { textChars, dataChars }, data }`, so a
 * 2 MB base64 line is kept as a few KB that say how long it was. `redact` is applied to every
 * kept string after it is cut (with a margin, so a secret across the cut is still masked whole):
 * redaction costs what is kept, not what the agent printed. Bounding a bounded line changes nothing.
 */
export function boundLogEvent(event: AttemptLogEvent, redact: (text: string) => string = (text) => text): AttemptLogEvent {
  const previous = readTruncation(event.data);
  const textState: BoundState = { cut: false, budget: 0 };
  const text = boundString(event.text, MAX_LOG_TEXT_CHARS, redact, textState);
  if (event.data === undefined) {
    return textState.cut ? { kind: event.kind, text, data: { truncated: { textChars: event.text.length, dataChars: 0 } } } : { kind: event.kind, text };
  }
  const inner = previous === undefined ? event.data : (event.data as { readonly data?: unknown }).data;
  const dataState: BoundState = { cut: false, budget: MAX_LOG_DATA_JSON_CHARS };
  const data = copyBounded(inner, redact, 0, dataState);
  if (!textState.cut && !dataState.cut && previous === undefined) return { kind: event.kind, text, data };
  const truncated: LogTruncation = {
    textChars: Math.max(previous?.textChars ?? 0, event.text.length),
    dataChars: previous?.dataChars ?? (dataState.cut ? jsonLength(inner) : 0),
  };
  return { kind: event.kind, text, data: { truncated, data } };
}

/** The truncation record of a log line's data that boundLogEvent cut, if any. */
export function readTruncation(data: unknown): LogTruncation | undefined {
  if (typeof data !== 'object' || data === null || !('truncated' in data)) return undefined;
  const truncated = (data as { readonly truncated: unknown }).truncated;
  if (typeof truncated !== 'object' || truncated === null) return undefined;
  const { textChars, dataChars } = truncated as Record<string, unknown>;
  return typeof textChars === 'number' && typeof dataChars === 'number' ? { textChars, dataChars } : undefined;
}

interface BoundState {
  cut: boolean;
  /** Characters of data still allowed; once spent, further values are left out. */
  budget: number;
}

/** Cuts a string to `max` characters in all, a note of its full length included; redacts what is kept. */
function boundString(value: string, max: number, redact: (text: string) => string, state: BoundState): string {
  if (value.length <= max) return redact(value);
  state.cut = true;
  const note = `… [${value.length} characters in all]`;
  return redact(value.slice(0, max + REDACTION_MARGIN_CHARS)).slice(0, Math.max(0, max - note.length)) + note;
}

const LEFT_OUT = '[left out: the log line was too large]';

function copyBounded(value: unknown, redact: (text: string) => string, depth: number, state: BoundState): unknown {
  if (state.budget <= 0) {
    state.cut = true;
    return LEFT_OUT;
  }
  if (typeof value === 'string') {
    const kept = boundString(value, Math.min(MAX_LOG_DATA_STRING_CHARS, Math.max(state.budget, 100)), redact, state);
    state.budget -= kept.length;
    return kept;
  }
  state.budget -= 8;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DATA_DEPTH) {
    state.cut = true;
    return LEFT_OUT;
  }
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value as ReadonlyArray<unknown>) {
      if (state.budget <= 0) {
        state.cut = true;
        break;
      }
      copy.push(copyBounded(item, redact, depth + 1, state));
    }
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (state.budget <= 0) {
      state.cut = true;
      break;
    }
    state.budget -= key.length;
    copy[key] = copyBounded(item, redact, depth + 1, state);
  }
  return copy;
}

function jsonLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return 0;
  }
}
