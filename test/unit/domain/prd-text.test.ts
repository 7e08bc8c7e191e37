import { describe, expect, it } from 'vitest';
import { MAX_PRD_CHARS } from '../../../src-shared/domain/limits';
import { decodePrdBytes, prdTextProblem } from '../../../src-shared/domain/prd-text';

describe('PRD checks before any model call', () => {
  it('accepts Markdown, and drops a UTF-8 byte-order mark', () => {
    expect(prdTextProblem('# App\nIt greets.')).toBeNull();
    expect(decodePrdBytes(new Uint8Array([0xef, 0xbb, 0xbf, 0x23, 0x20, 0x41]), 'prd.md')).toEqual({ text: '# A' });
    expect(decodePrdBytes(new TextEncoder().encode('# Café ✓'), 'prd.md')).toEqual({ text: '# Café ✓' });
  });

  it('refuses NUL bytes, invalid UTF-8, blank text and text over the limit, naming the file and the fix', () => {
    expect(decodePrdBytes(new Uint8Array([0x23, 0x00, 0x41]), 'a.md')).toEqual({ problem: 'a.md is not text (it contains NUL bytes): give a Markdown or plain-text file.' });
    expect(decodePrdBytes(new Uint8Array([0x43, 0x61, 0x66, 0xe9]), 'b.md')).toEqual({ problem: 'b.md is not valid UTF-8 text: save it as UTF-8 and try again.' });
    expect(decodePrdBytes(new TextEncoder().encode(' \n\t'), 'c.md')).toEqual({ problem: 'c.md is empty: write the requirements first.' });
    expect(prdTextProblem('x'.repeat(MAX_PRD_CHARS))).toBeNull();
    expect(prdTextProblem('x'.repeat(MAX_PRD_CHARS + 1))).toBe('The PRD is too long: 500,001 characters, at most 500,000. Split it into parts and plan them one after another.');
    expect(prdTextProblem('a\uFFFDb')).toMatch(/not valid UTF-8/);
  });
});
