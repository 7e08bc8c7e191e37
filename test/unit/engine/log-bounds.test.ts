import { describe, expect, it } from 'vitest';
import { MAX_LOG_DATA_JSON_CHARS, MAX_LOG_DATA_STRING_CHARS, MAX_LOG_TEXT_CHARS, boundLogEvent, readTruncation } from '../../../src-main/engine/log-bounds';
import { redactSecrets } from '../../../src-main/workspace/redact';
import { fake } from '../../integration/workspace/fake-secrets';

describe('boundLogEvent', () => {
  it('leaves ordinary lines as they are', () => {
    const event = { kind: 'assistant.text', text: 'hello', data: { type: 'text', text: 'hello', n: [1, 2] } };
    expect(boundLogEvent(event)).toEqual(event);
    expect(boundLogEvent({ kind: 'stderr', text: 'x' })).toEqual({ kind: 'stderr', text: 'x' });
  });

  it('cuts a 2 MB line to the documented sizes and records how long it was', () => {
    const huge = 'QUJD'.repeat(500_000);
    const bounded = boundLogEvent({ kind: 'assistant.text', text: huge, data: { type: 'text', text: huge } });
    expect(bounded.text.length).toBeLessThanOrEqual(MAX_LOG_TEXT_CHARS);
    expect(bounded.text).toContain('[2000000 characters in all]');
    const truncation = readTruncation(bounded.data);
    expect(truncation).toEqual({ textChars: 2_000_000, dataChars: JSON.stringify({ type: 'text', text: huge }).length });
    const inner = (bounded.data as { data: { text: string } }).data;
    expect(inner.text.length).toBeLessThanOrEqual(MAX_LOG_DATA_STRING_CHARS);
    // Bounding again changes nothing: the engine bounds what a backend already bounded.
    expect(boundLogEvent(bounded)).toEqual(bounded);
  });

  it('keeps the data of many items or deep nesting to about the JSON budget', () => {
    const many = { items: Array.from({ length: 100_000 }, (_, index) => ({ index, name: `item ${index}` })) };
    let deep: unknown = 'bottom';
    for (let depth = 0; depth < 10_000; depth += 1) deep = { deeper: deep };
    for (const data of [many, deep]) {
      const bounded = boundLogEvent({ kind: 'tool_result', text: 'ok', data });
      expect(JSON.stringify(bounded.data).length).toBeLessThan(MAX_LOG_DATA_JSON_CHARS * 1.2);
      expect(readTruncation(bounded.data)?.textChars).toBe(2);
    }
  });

  it('redacts what it keeps, including a secret that lies across the cut', () => {
    const key = fake.anthropic(51);
    const text = `${'x'.repeat(MAX_LOG_TEXT_CHARS - 60)} ${key} ${'y'.repeat(100_000)}`;
    const bounded = boundLogEvent({ kind: 'assistant.text', text, data: { text } }, (part) => redactSecrets(part, { extraSecrets: ['literal-env-value'] }));
    expect(JSON.stringify(bounded)).not.toContain(key.slice(0, 30));
    expect(bounded.text).toContain('sk-ant-api03-***');
    expect(boundLogEvent({ kind: 'stderr', text: 'value literal-env-value' }, (part) => redactSecrets(part, { extraSecrets: ['literal-env-value'] })).text).toBe('value ***');
  });
});
