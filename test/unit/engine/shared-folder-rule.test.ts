import { describe, expect, it } from 'vitest';
import { contextFilesConflict, contextFilesOverlap } from '../../../src-main/workspace/shared-folder';

describe('the shared-folder conflict rule', () => {
  it.each([
    [['src/a.ts'], ['./src/a.ts']],
    [['src/'], ['src/lib/b.ts']],
    [['src'], ['src/lib/b.ts']],
    [[], ['x']],
    [['.'], ['src/a.ts']],
    [['./'], ['docs/a.md']],
    [['src/./a.ts'], ['src/a.ts']],
    [['src/lib/../a.ts'], ['src/a.ts']],
    [['src\\lib\\b.ts'], ['src/lib/b.ts']],
    [['src//a.ts'], ['src/a.ts']],
    [['README.md'], ['readme.md']],
    [['src/*.ts'], ['src/a.ts']],
    [['src/**/x.ts'], ['src/deep/er/y.ts']],
    [['*.md'], ['docs/a.md']],
  ])('%j and %j may touch the same path', (a, b) => {
    expect(contextFilesOverlap(a, b)).toBe(true);
    expect(contextFilesOverlap(b, a)).toBe(true);
  });

  it.each([
    [['src/a.ts'], ['src/ab.ts', 'docs/a.ts']],
    [['src'], ['src2/a.ts']],
    [['src/*.ts'], ['docs/a.md']],
    [['app/[id]/page.tsx'], ['app/[id]/layout.tsx']],
  ])('%j and %j cannot', (a, b) => {
    expect(contextFilesOverlap(a, b)).toBe(false);
    expect(contextFilesOverlap(b, a)).toBe(false);
  });

  it('makes a task wait when any running task may touch its files', () => {
    expect(contextFilesConflict({ contextFiles: ['src/a.ts'] }, [{ contextFiles: ['docs/'] }, { contextFiles: ['src/'] }])).toBe(true);
    expect(contextFilesConflict({ contextFiles: ['src/a.ts'] }, [{ contextFiles: ['docs/'] }, { contextFiles: ['src/b.ts'] }])).toBe(false);
    expect(contextFilesConflict({ contextFiles: [] }, [{ contextFiles: ['docs/'] }])).toBe(true);
    expect(contextFilesConflict({ contextFiles: ['src/a.ts'] }, [])).toBe(false);
  });
});
