import { createHash } from 'node:crypto';
import type { FakeBlock, MessagesRequestBody, WireUsage } from './types';

/** Rough token estimate: about four characters per token, at least one for non-empty text. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.max(1, Math.ceil(text.length / 4));
}

interface Segment {
  readonly text: string;
  readonly cacheBreakpoint: boolean;
}

/** Flattens a request into ordered segments (tools, system, messages) as prompt caching sees them. */
function segmentsOf(body: MessagesRequestBody): Segment[] {
  const segments: Segment[] = [];
  for (const tool of body.tools ?? []) {
    segments.push({ text: JSON.stringify(tool), cacheBreakpoint: hasCacheControl(tool) });
  }
  if (typeof body.system === 'string') {
    segments.push({ text: body.system, cacheBreakpoint: false });
  } else if (Array.isArray(body.system)) {
    for (const block of body.system as unknown[]) {
      segments.push({ text: JSON.stringify(block), cacheBreakpoint: hasCacheControl(block) });
    }
  }
  for (const message of body.messages ?? []) {
    if (typeof message.content === 'string') {
      segments.push({ text: message.role + message.content, cacheBreakpoint: false });
    } else if (Array.isArray(message.content)) {
      for (const block of message.content as unknown[]) {
        segments.push({ text: message.role + JSON.stringify(block), cacheBreakpoint: hasCacheControl(block) });
      }
    }
  }
  return segments;
}

function hasCacheControl(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'cache_control' in value && Boolean((value as { cache_control?: unknown }).cache_control);
}

/**
 * Tracks cached prompt prefixes across requests: a prefix ending at a cache_control breakpoint
 * is written on first sight and read on later identical prefixes, as the real API does.
 */
export class PromptCache {
  private readonly seen = new Set<string>();

  /** Input-side usage of a request (and remembers its breakpoints). */
  inputUsage(body: MessagesRequestBody): Pick<WireUsage, 'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens'> {
    const segments = segmentsOf(body);
    const hash = createHash('sha256');
    hash.update(String(body.model ?? ''));
    let tokensSoFar = 0;
    let lastBreakpointTokens = 0;
    let cachedTokens = 0;
    const breakpoints: string[] = [];
    for (const segment of segments) {
      hash.update(segment.text);
      tokensSoFar += estimateTokens(segment.text);
      if (segment.cacheBreakpoint) {
        const key = hash.copy().digest('hex');
        breakpoints.push(key);
        lastBreakpointTokens = tokensSoFar;
        if (this.seen.has(key)) cachedTokens = tokensSoFar;
      }
    }
    for (const key of breakpoints) this.seen.add(key);
    return {
      input_tokens: Math.max(1, tokensSoFar - lastBreakpointTokens),
      cache_creation_input_tokens: lastBreakpointTokens - cachedTokens,
      cache_read_input_tokens: cachedTokens,
    };
  }
}

/** Total input tokens of a request (for count_tokens), without touching the cache. */
export function countInputTokens(body: MessagesRequestBody): number {
  return Math.max(1, segmentsOf(body).reduce((sum, segment) => sum + estimateTokens(segment.text), 0));
}

/** Output tokens of a reply's content. */
export function outputTokens(content: ReadonlyArray<FakeBlock>): number {
  return Math.max(1, content.reduce((sum, block) => sum + estimateTokens(block.type === 'text' ? block.text : JSON.stringify(block.input)), 0));
}
