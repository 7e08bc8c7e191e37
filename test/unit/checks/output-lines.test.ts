import { describe, expect, it } from 'vitest';
import { BoundedLineSplitter, OutputTail } from '../../../src-main/project/checks/output-lines';

describe('bounded output lines', () => {
  it('splits chunks into lines across chunk borders, CRLF included', () => {
    const splitter = new BoundedLineSplitter(100);
    expect(splitter.push('one\r\ntw')).toEqual(['one']);
    expect(splitter.push('o\nthree')).toEqual(['two']);
    expect(splitter.flush()).toEqual(['three']);
    expect(splitter.flush()).toEqual([]);
  });

  it('cuts a long line, counting what it left out, without holding it', () => {
    const splitter = new BoundedLineSplitter(10);
    expect(splitter.push('a'.repeat(25))).toEqual([]);
    expect(splitter.push('b'.repeat(1_000_000))).toEqual([]);
    expect(splitter.push('c\nnext\n')).toEqual([`${'a'.repeat(10)}… [1000016 more characters]`, 'next']);
  });

  it('keeps the last characters of the output and says when earlier output was left out', () => {
    const tail = new OutputTail(20);
    tail.push('first line');
    expect(tail.text()).toBe('first line');
    tail.push('second line');
    tail.push('third');
    expect(tail.text()).toBe('[… earlier output omitted]\nsecond line\nthird');
    const single = new OutputTail(5);
    single.push('0123456789');
    expect(single.text()).toBe('[… earlier output omitted]\n56789');
  });
});
