import { describe, expect, it } from 'vitest';
import { ScrollbackBuffer } from '../../../src-main/terminal/scrollback';

describe('ScrollbackBuffer', () => {
  it('keeps everything under its limit, in order', () => {
    const buffer = new ScrollbackBuffer(100);
    buffer.append('hello ');
    buffer.append('');
    buffer.append('world');
    expect(buffer.text()).toBe('hello world');
    expect(buffer.length).toBe(11);
  });

  it('drops the oldest output beyond its limit, cutting the first chunk kept', () => {
    const buffer = new ScrollbackBuffer(10);
    buffer.append('0123456');
    buffer.append('789ab');
    expect(buffer.text()).toBe('23456789ab');
    buffer.append('cd');
    expect(buffer.text()).toBe('456789abcd');
    expect(buffer.length).toBe(10);
  });

  it('keeps only the end of one chunk larger than the limit', () => {
    const buffer = new ScrollbackBuffer(4);
    buffer.append('x'.repeat(1_000) + 'tail');
    expect(buffer.text()).toBe('tail');
  });

  it('refuses a limit that is not a positive whole number', () => {
    expect(() => new ScrollbackBuffer(0)).toThrow(/positive/);
    expect(() => new ScrollbackBuffer(1.5)).toThrow(/positive/);
  });
});
