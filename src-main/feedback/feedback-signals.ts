import type { Attempt } from '../../src-shared/domain/attempt';
import type { FeedbackKind } from '../../src-shared/domain/feedback';

/** A signal read from an attempt, before it is tied to run, model and files. */
export interface AttemptSignal {
  readonly kind: FeedbackKind;
  readonly cause: string;
  readonly detail: string;
  /** Files the signal names itself (a conflict's); the attempt's changed files are added by the collector. */
  readonly files: ReadonlyArray<string>;
}

/** Longest detail stored per signal. */
export const MAX_DETAIL_CHARS = 1_000;

const CHECK_FAILED = /^the check `(.+?)` failed( on the integration tip with this work merged)? \((.+)\)$/s;
const CONFLICT = /^merge conflict in (.+)$/s;
const REVIEW_CHANGES = /^review requested changes: /;
const REVIEW_FAILED = /^review failed the task: /;

/**
 * The signals an ended attempt gave, read from its stored row: the review's verdict and feedback, a
 * failed check (the command; the failing line from `checkOutput` when known), a merge conflict (its
 * files), or another failure with its error class (timeouts, crashes, empty work, lost workers).
 * The pipeline records these as the attempt's verdict and error message; this is their one reader.
 */
export function attemptSignals(attempt: Attempt, checkOutput: string | null): ReadonlyArray<AttemptSignal> {
  const message = attempt.errorMessage ?? '';
  if (attempt.status === 'cancelled' || attempt.status === 'running') return [];
  if (attempt.status === 'interrupted') return [signal('error', 'interrupted', message || 'the attempt was interrupted')];
  const check = CHECK_FAILED.exec(message);
  if (check !== null) {
    const [, command = '', onTip, exit = ''] = check;
    const reason = checkOutput === null ? null : failingLine(checkOutput);
    const where = onTip === undefined ? '' : ' (on the integration tip)';
    return [signal('check', command, `${reason ?? `failed (${exit})`}${where}`)];
  }
  const conflict = CONFLICT.exec(message);
  if (conflict !== null) {
    const files = (conflict[1] ?? '').split(', ').map((file) => file.trim()).filter((file) => file !== '');
    return [{ ...signal('conflict', 'merge conflict', message), files }];
  }
  switch (attempt.review) {
    case 'approve':
      return message === '' ? [signal('review', 'approve', '')] : [];
    case 'request_changes':
      return [signal('review', 'request_changes', message.replace(REVIEW_CHANGES, ''))];
    case 'fail':
      return [signal('review', 'fail', message.replace(REVIEW_FAILED, ''))];
    case 'block':
      return [signal('error', 'blocked', message)];
    default:
      break;
  }
  if (message === '') return [];
  return [signal('error', `${attempt.errorClass ?? 'unclassified'}: ${errorShape(message)}`, message)];
}

/** Lines that say why: errors, exceptions, assertions. */
const STRONG_FAILURE = /\b\w*(error|exception)\b|\bassert|\bexpected\b|\bcannot\b|\bnot found\b|\bmissing\b|\bundefined\b/i;
/** Lines that say that, not why (`FAIL test/x.test.js`). */
const WEAK_FAILURE = /\bfail(s|ed|ure)?\b/i;

/**
 * The line of a failed check's output that says why: the first that reads like an error or a failed
 * assertion, else the first that says something failed, else the last non-empty line.
 */
export function failingLine(output: string): string | null {
  const lines = output
    .split('\n')
    // eslint-disable-next-line no-control-regex -- colour codes of test runners are stripped on purpose
    .map((line) => line.replace(/\u001b\[[0-9;]*m/g, '').trim())
    .filter((line) => line !== '' && !/^```/.test(line));
  const summaryLine = (line: string) => /^\s*(tests?|suites?|test files)\s*:/i.test(line);
  const strong = lines.find((line) => STRONG_FAILURE.test(line) && !summaryLine(line));
  const weak = lines.find((line) => WEAK_FAILURE.test(line) && !summaryLine(line));
  const line = strong ?? weak ?? lines.at(-1) ?? null;
  return line === null ? null : clip(line, 300);
}

/** The output tail inside a check failure's feedback (`checkFailureFeedback`), or null when the text is not one. */
export function checkOutputOfFeedback(feedback: string | null): string | null {
  if (feedback === null || !feedback.startsWith('The check `')) return null;
  const fenced = /```\n([\s\S]*?)\n?```/.exec(feedback);
  return fenced?.[1] ?? null;
}

/** An error message's shape, so the same failure groups across tasks: numbers, quoted text, paths and ids replaced. */
export function errorShape(message: string): string {
  const shape = message
    .replace(/`[^`]*`|"[^"]*"|'[^']*'/g, '…')
    .replace(/(?:\/[\w.-]+)+/g, '<path>')
    .replace(/\b[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(shape, 120);
}

/** Shortens text to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function signal(kind: FeedbackKind, cause: string, detail: string): AttemptSignal {
  return { kind, cause, detail: clip(detail, MAX_DETAIL_CHARS), files: [] };
}
