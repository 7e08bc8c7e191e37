import { describe, expect, it } from 'vitest';
import { costLabel, formatCost, formatTokens, hasUsage, totalTokens, usageBars } from '../../../src-renderer/features/usage/usage-format';

const line = (label: string, costUsd: number, inputTokens = 10) => ({
  label,
  costUsd,
  usage: { inputTokens, outputTokens: 5, cacheCreationInputTokens: 1, cacheReadInputTokens: 2 },
  estimated: false,
  unpriced: false,
});

describe('usage formatting', () => {
  it('formats costs and tokens readably', () => {
    expect(formatCost(0)).toBe('$0.00');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(costLabel(line('a', 1.5))).toBe('$1.50');
    expect(costLabel({ ...line('a', 1.5), estimated: true })).toBe('$1.50 (estimated)');
    expect(costLabel({ ...line('a', 0), unpriced: true })).toBe('unpriced');
    expect(costLabel({ ...line('a', 2), unpriced: true })).toBe('$2.00 + unpriced');
    expect(formatTokens(1234567)).toBe('1,234,567');
    expect(formatTokens(12_300_000)).toBe('12.3M');
    expect(totalTokens(line('a', 1))).toBe(18);
  });

  it('says whether anything was used', () => {
    const zero = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    expect(hasUsage({ total: { usage: zero, costUsd: 0, estimated: false, unpriced: false }, byTask: [], byRun: [], byModel: [] })).toBe(false);
    expect(hasUsage({ total: { usage: { ...zero, outputTokens: 1 }, costUsd: 0, estimated: false, unpriced: false }, byTask: [], byRun: [], byModel: [] })).toBe(true);
  });

  it('sorts bars by cost, scales them to the largest and sums the rest into one bar', () => {
    const bars = usageBars([line('small', 1), line('big', 4), line('mid', 2), line('tiny', 0.5)], 2);
    expect(bars.map((bar) => [bar.label, bar.costUsd, bar.fraction])).toEqual([
      ['big', 4, 1],
      ['mid', 2, 0.5],
      ['2 others', 1.5, 0.375],
    ]);
    expect(usageBars([line('free', 0)])[0]?.fraction).toBe(0);
  });
});
