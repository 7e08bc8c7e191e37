import { MAX_PRD_CHARS } from '../domain/limits';

/**
 * Sizes every RPC message is held to before any handler runs, so no single message can keep
 * the host busy: the WebSocket refuses frames over MAX_RPC_MESSAGE_BYTES, the server refuses
 * JSON nested deeper than MAX_RPC_NESTING before parsing it, and the contract bounds each field.
 */

/** Largest message a transport accepts: a PRD at its limit, every character JSON-escaped (\uXXXX), still fits. */
export const MAX_RPC_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Deepest nesting of arrays and objects in a message (real inputs need fewer than 10 levels). */
export const MAX_RPC_NESTING = 64;
/** Ids that are not task ids (attempts, checkpoints): UUIDs and short names. */
export const MAX_ID_CHARS = 200;
/** Method names. */
export const MAX_METHOD_CHARS = 100;
/** A config object sent to `config.update`, as JSON. */
export const MAX_CONFIG_JSON_CHARS = 200_000;
/** How many validation issues an error lists, and how long each message and path may be. */
export const MAX_REPORTED_ISSUES = 20;
export const MAX_ISSUE_CHARS = 300;

// A PRD of MAX_PRD_CHARS characters all escaped as \uXXXX is 6 bytes a character, plus the envelope.
const WORST_CASE_PRD_MESSAGE_BYTES = MAX_PRD_CHARS * 6 + 10_000;
if (WORST_CASE_PRD_MESSAGE_BYTES > MAX_RPC_MESSAGE_BYTES) throw new Error('MAX_RPC_MESSAGE_BYTES is too small for a PRD at MAX_PRD_CHARS');

/** Deepest nesting of a JSON text, found in one pass without parsing it (strings are skipped); stops counting past `limit`. */
export function jsonNestingDepth(text: string, limit = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      depth += 1;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return deepest;
}

/** The `id` of a message's top-level object, read without parsing the message (for refusing one too deep to parse); null when there is none. */
export function topLevelMessageId(text: string): number | null {
  let depth = 0;
  let stringStart = -1;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (stringStart >= 0) {
      if (code === 0x5c) index += 1;
      else if (code === 0x22) {
        const isIdKey = depth === 1 && text.slice(stringStart, index + 1) === '"id"';
        stringStart = -1;
        if (isIdKey) {
          const match = /^\s*:\s*(\d{1,15})\s*[,}]/.exec(text.slice(index + 1, index + 40));
          if (match?.[1] !== undefined) return Number(match[1]);
        }
      }
    } else if (code === 0x22) stringStart = index;
    else if (code === 0x5b || code === 0x7b) depth += 1;
    else if (code === 0x5d || code === 0x7d) depth -= 1;
  }
  return null;
}

/** Whether a parsed value would serialise to at most `maxChars` of JSON within `maxDepth` levels; walks at most that much. */
export function fitsJsonBudget(value: unknown, maxChars: number, maxDepth: number): boolean {
  let budget = maxChars;
  const visit = (item: unknown, depth: number): boolean => {
    if (depth > maxDepth) return false;
    if (typeof item === 'string') budget -= item.length + 2;
    else if (item === null || typeof item !== 'object') budget -= 8;
    else if (Array.isArray(item)) {
      budget -= 2;
      for (const entry of item as ReadonlyArray<unknown>) if (budget < 0 || !visit(entry, depth + 1)) return false;
    } else {
      budget -= 2;
      for (const [key, entry] of Object.entries(item)) {
        budget -= key.length + 3;
        if (budget < 0 || !visit(entry, depth + 1)) return false;
      }
    }
    return budget >= 0;
  };
  return visit(value, 0);
}
