import { describe, expect, it } from 'vitest';
import { MAX_PRD_CHARS } from '../../../src-shared/domain/limits';
import { MAX_RPC_MESSAGE_BYTES, fitsJsonBudget, jsonNestingDepth, topLevelMessageId } from '../../../src-shared/rpc/limits';

describe('rpc limits', () => {
  it('measures nesting without parsing, ignoring brackets inside strings', () => {
    expect(jsonNestingDepth('{"a":[1,{"b":"[[[{{"}]}')).toBe(3);
    expect(jsonNestingDepth('"\\"[[["')).toBe(0);
    expect(jsonNestingDepth('['.repeat(1_000_000), 64)).toBe(65);
  });

  it('finds the id of a message too deep to parse, and only a top-level one', () => {
    expect(topLevelMessageId(`{"type":"invoke","input":{"id":5,"x":${'['.repeat(100)}${']'.repeat(100)}},"id":12,"method":"m"}`)).toBe(12);
    expect(topLevelMessageId('{"input":{"id":5}}')).toBeNull();
    expect(topLevelMessageId('{"x":"\\"id\\":3","id": 7 }')).toBe(7);
  });

  it('bounds a value by its JSON size and depth', () => {
    expect(fitsJsonBudget({ a: 'x'.repeat(100) }, 200, 4)).toBe(true);
    expect(fitsJsonBudget({ a: 'x'.repeat(300) }, 200, 4)).toBe(false);
    expect(fitsJsonBudget({ a: { b: { c: 1 } } }, 200, 2)).toBe(false);
    expect(fitsJsonBudget(Array.from({ length: 1_000_000 }, () => 1), 1_000, 4)).toBe(false);
  });

  it('lets a PRD at its limit through the WebSocket even if every character is escaped', () => {
    const message = JSON.stringify({ type: 'invoke', id: 1, method: 'prd.plan', input: { project: '/p', text: '\u0001'.repeat(MAX_PRD_CHARS) } });
    expect(Buffer.byteLength(message)).toBeLessThan(MAX_RPC_MESSAGE_BYTES);
  });
});
