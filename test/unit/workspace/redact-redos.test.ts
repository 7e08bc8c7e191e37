import { check } from 'recheck';
import { describe, expect, it } from 'vitest';
import { SECRET_RULES } from '../../../src-main/workspace/secret-patterns';

// recheck (https://makenowjust-labs.github.io/recheck/) decides whether a regex can take
// super-linear time on some input. Its time limits are turned off (they made its fuzzer report
// false positives on a busy machine); a fixed seed makes the fuzzing reproducible.
const RECHECK_PARAMS = { timeout: null, attackTimeout: null, incubationTimeout: null, randomSeed: 18 } as const;

describe('secret rules cannot backtrack (ReDoS analysis)', () => {
  it.each(SECRET_RULES.map((rule) => [rule.id, rule.pattern] as const))('%s is safe', { timeout: 180_000 }, async (_id, pattern) => {
    const diagnostics = await check(pattern.source, pattern.flags, RECHECK_PARAMS);
    const detail = diagnostics.status === 'vulnerable' ? `${diagnostics.complexity.summary}, attack ${diagnostics.attack.pattern}` : diagnostics.status === 'unknown' ? JSON.stringify(diagnostics.error) : '';
    expect(diagnostics.status, detail).toBe('safe');
  });
});
