/** Coverage percentages of a run (istanbul's four, or pytest-cov's total as lines). */
export interface CoverageFigures {
  readonly lines: number | null;
  readonly statements: number | null;
  readonly functions: number | null;
  readonly branches: number | null;
}

/** Test counts a runner printed. */
export interface TestCounts {
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Reads istanbul's coverage-summary.json `total` block. */
export function coverageFromSummaryJson(raw: unknown): CoverageFigures | null {
  const total = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)['total'] : undefined;
  if (typeof total !== 'object' || total === null) return null;
  const pct = (key: string): number | null => {
    const entry = (total as Record<string, unknown>)[key];
    const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['pct'] : undefined;
    return typeof value === 'number' ? value : null;
  };
  return { lines: pct('lines'), statements: pct('statements'), functions: pct('functions'), branches: pct('branches') };
}

/** Finds coverage in a runner's text output: istanbul's "All files |" row or pytest-cov's "TOTAL … 87%". */
export function coverageFromText(output: string): CoverageFigures | null {
  const text = stripAnsi(output);
  const istanbul = /^\s*All files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m.exec(text);
  if (istanbul) {
    const [, statements, branches, functions, lines] = istanbul.map(Number);
    return { statements: statements ?? null, branches: branches ?? null, functions: functions ?? null, lines: lines ?? null };
  }
  const pytest = /^TOTAL\s+.*?(\d+(?:\.\d+)?)%\s*$/m.exec(text);
  if (pytest) return { lines: Number(pytest[1]), statements: null, functions: null, branches: null };
  return null;
}

/** Finds the pass/fail counts vitest, jest, pytest, mocha or node --test printed; null when none. */
export function testCountsFromText(output: string): TestCounts | null {
  const text = stripAnsi(output);
  const count = (pattern: RegExp): number => Number(pattern.exec(text)?.[1] ?? 0);
  const summaryLine =
    /^\s*Tests\s+(.*\(\d+\))\s*$/m.exec(text)?.[1] ?? // vitest: "Tests  2 failed | 8 passed (10)"
    /^Tests:\s+(.*\d+ total)\s*$/m.exec(text)?.[1] ?? // jest: "Tests: 1 failed, 9 passed, 10 total"
    /^=+ (.*\d+ (?:passed|failed|errors?).*) in [\d.]+s.*=+\s*$/m.exec(text)?.[1]; // pytest: "=== 5 passed, 1 failed in 0.1s ==="
  if (summaryLine !== undefined) {
    const inLine = (word: string): number => Number(new RegExp(`(\\d+) ${word}`).exec(summaryLine)?.[1] ?? 0);
    return { passed: inLine('passed'), failed: inLine('failed') + inLine('errors?'), skipped: inLine('skipped') };
  }
  const nodeTest = /^# pass (\d+)$/m.exec(text);
  if (nodeTest) return { passed: Number(nodeTest[1]), failed: count(/^# fail (\d+)$/m), skipped: count(/^# skipped (\d+)$/m) };
  const mocha = /^\s*(\d+) passing/m.exec(text);
  if (mocha) return { passed: Number(mocha[1]), failed: count(/^\s*(\d+) failing/m), skipped: count(/^\s*(\d+) pending/m) };
  return null;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}
