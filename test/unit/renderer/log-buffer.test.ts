import { describe, expect, it } from 'vitest';
import { LogRingBuffer, type LogLine } from '../../../src-renderer/features/runs/log-buffer';

const line = (attemptId: string, seq: number): LogLine => ({ attemptId, taskId: `t-${attemptId}`, seq, at: seq, kind: 'stdout', text: `${attemptId}:${seq}` });
const texts = (lines: ReadonlyArray<LogLine>) => lines.map((entry) => entry.text);

describe('LogRingBuffer', () => {
  it('keeps lines in arrival order, overall and per attempt', () => {
    const buffer = new LogRingBuffer(10, 100);
    buffer.push(line('a', 1));
    buffer.push(line('b', 1));
    buffer.push(line('a', 2));
    expect(texts(buffer.lines())).toEqual(['a:1', 'b:1', 'a:2']);
    expect(texts(buffer.lines('a'))).toEqual(['a:1', 'a:2']);
    expect(buffer.size).toBe(3);
  });

  it('drops the oldest lines of an attempt beyond its limit, leaving other attempts alone', () => {
    const buffer = new LogRingBuffer(3, 100);
    buffer.push(line('b', 1));
    for (let seq = 1; seq <= 5; seq += 1) buffer.push(line('a', seq));
    expect(texts(buffer.lines('a'))).toEqual(['a:3', 'a:4', 'a:5']);
    expect(texts(buffer.lines())).toEqual(['b:1', 'a:3', 'a:4', 'a:5']);
    expect(buffer.sizeOf('a')).toBe(3);
    expect(buffer.size).toBe(4);
  });

  it('drops the oldest lines overall beyond the overall limit', () => {
    const buffer = new LogRingBuffer(10, 4);
    buffer.push(line('a', 1));
    buffer.push(line('b', 1));
    buffer.push(line('a', 2));
    buffer.push(line('b', 2));
    buffer.push(line('c', 1));
    buffer.push(line('c', 2));
    expect(texts(buffer.lines())).toEqual(['a:2', 'b:2', 'c:1', 'c:2']);
    expect(buffer.sizeOf('a')).toBe(1);
  });

  it('stays bounded under 100,000 lines from a few attempts', () => {
    const buffer = new LogRingBuffer(5_000, 20_000);
    for (let seq = 1; seq <= 100_000; seq += 1) buffer.push(line(`w${seq % 6}`, seq));
    expect(buffer.size).toBe(20_000);
    const kept = buffer.lines();
    expect(kept).toHaveLength(20_000);
    expect(kept.at(-1)?.seq).toBe(100_000);
    for (let worker = 0; worker < 6; worker += 1) expect(buffer.sizeOf(`w${worker}`)).toBeLessThanOrEqual(5_000);
    // Physical storage is compacted, never more than twice the overall limit.
    expect((buffer as unknown as { slots: unknown[] }).slots.length).toBeLessThanOrEqual(40_001);
  });

  it('one chatty attempt cannot push out a quiet one', () => {
    const buffer = new LogRingBuffer(100, 1_000);
    buffer.push(line('quiet', 1));
    for (let seq = 1; seq <= 10_000; seq += 1) buffer.push(line('chatty', seq));
    expect(texts(buffer.lines('quiet'))).toEqual(['quiet:1']);
    expect(buffer.sizeOf('chatty')).toBe(100);
  });

  it('clear forgets everything, and new lines of an old attempt start fresh', () => {
    const buffer = new LogRingBuffer(2, 10);
    for (let seq = 1; seq <= 5; seq += 1) buffer.push(line('a', seq));
    buffer.clear();
    expect(buffer.size).toBe(0);
    buffer.push(line('a', 6));
    expect(texts(buffer.lines())).toEqual(['a:6']);
  });
});
