import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectTestCommand } from '../../../src-main/project/test-command';
import { coverageFromSummaryJson, coverageFromText, testCountsFromText } from '../../../src-main/project/test-report';

describe('test output summaries', () => {
  it("reads istanbul's text table, its json-summary and pytest-cov's TOTAL", () => {
    const istanbul = ['% Coverage report from v8', '----------|---------|----------|---------|---------|', 'File      | % Stmts | % Branch | % Funcs | % Lines |', 'All files |   85.71 |       75 |     100 |   85.71 |'].join('\n');
    expect(coverageFromText(istanbul)).toEqual({ statements: 85.71, branches: 75, functions: 100, lines: 85.71 });
    expect(coverageFromText('Name    Stmts   Miss  Cover\nTOTAL     120     12    90%\n')).toEqual({ lines: 90, statements: null, functions: null, branches: null });
    expect(coverageFromText('no figures here')).toBeNull();
    expect(coverageFromSummaryJson({ total: { lines: { pct: 80 }, statements: { pct: 81 }, functions: { pct: 70 }, branches: { pct: 60 } } })).toEqual({
      lines: 80,
      statements: 81,
      functions: 70,
      branches: 60,
    });
    expect(coverageFromSummaryJson({})).toBeNull();
  });

  it('reads the pass/fail counts of vitest, jest, pytest, node --test and mocha', () => {
    expect(testCountsFromText('\u001b[2m      Tests \u001b[22m 2 failed | 8 passed (10)\n')).toEqual({ passed: 8, failed: 2, skipped: 0 });
    expect(testCountsFromText('Tests:       1 failed, 1 skipped, 9 passed, 11 total\n')).toEqual({ passed: 9, failed: 1, skipped: 1 });
    expect(testCountsFromText('============ 5 passed, 1 failed in 0.12s ============\n')).toEqual({ passed: 5, failed: 1, skipped: 0 });
    expect(testCountsFromText('# tests 3\n# pass 3\n# fail 0\n')).toEqual({ passed: 3, failed: 0, skipped: 0 });
    expect(testCountsFromText('  4 passing (8ms)\n  1 failing\n')).toEqual({ passed: 4, failed: 1, skipped: 0 });
    expect(testCountsFromText('nothing')).toBeNull();
  });
});

describe('test command detection', () => {
  function project(files: Readonly<Record<string, string>>): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'co-detect-'));
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dir, name), content);
    return dir;
  }

  it('prefers a coverage script, then vitest / jest flags; the test script for plain runs; pytest for Python', () => {
    const dirs = [
      project({ 'package.json': JSON.stringify({ scripts: { test: 'vitest run', coverage: 'vitest run --coverage' }, devDependencies: { vitest: '3' } }) }),
      project({ 'package.json': JSON.stringify({ scripts: { test: 'vitest run' }, devDependencies: { vitest: '3' } }) }),
      project({ 'package.json': JSON.stringify({ scripts: { test: 'jest' }, devDependencies: { jest: '29' } }) }),
      project({ 'package.json': JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } }) }),
      project({ 'pyproject.toml': '[project]\nname = "demo"\n' }),
    ];
    try {
      const [script, vitest, jest, placeholder, python] = dirs as [string, string, string, string, string];
      expect(detectTestCommand(script, 'coverage')).toMatchObject({ argv: ['npm', 'run', '--silent', 'coverage'], source: 'package.json script "coverage"' });
      expect(detectTestCommand(script, 'test')).toMatchObject({ argv: ['npm', 'run', '--silent', 'test'], summaryFile: null });
      expect(detectTestCommand(vitest, 'coverage')?.argv).toEqual(['npx', '--no-install', 'vitest', 'run', '--coverage', '--coverage.reporter=json-summary', '--coverage.reporter=text']);
      expect(detectTestCommand(jest, 'coverage')?.argv).toContain('--coverageReporters=json-summary');
      expect(detectTestCommand(placeholder, 'test')).toBeNull();
      expect(detectTestCommand(placeholder, 'coverage')).toBeNull();
      expect(detectTestCommand(python, 'coverage')?.argv).toEqual(['python3', '-m', 'pytest', '--cov', '--cov-report=term']);
    } finally {
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    }
  });
});
