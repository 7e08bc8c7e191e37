import type { MethodOutput } from '../../../src-shared/rpc/contract';

/** What usage.summary answers. */
export type UsageSummary = MethodOutput<'usage.summary'>;

/** One line of a usage table: tokens and cost of a task, a run or a model. */
export type UsageLine = UsageSummary['total'];

/** One bar of the chart. */
export interface UsageBar {
  readonly label: string;
  readonly costUsd: number;
  readonly tokens: number;
  /** Bar length as a fraction (0–1) of the largest bar. */
  readonly fraction: number;
}

/** Input + output + cache tokens of a line. */
export function totalTokens(line: UsageLine): number {
  const { usage } = line;
  return usage.inputTokens + usage.outputTokens + usage.cacheCreationInputTokens + usage.cacheReadInputTokens;
}

/** "$1.23", with more digits below a cent so small costs do not read as zero. */
export function formatCost(costUsd: number): string {
  if (costUsd === 0) return '$0.00';
  if (Math.abs(costUsd) < 0.01) return `$${costUsd.toFixed(4)}`;
  return `$${costUsd.toFixed(2)}`;
}

/** A line's cost as people should read it: "(estimated)" when Claude Code estimated it on a subscription, "unpriced" for usage without a price row (never a false $0). */
export function costLabel(line: Pick<UsageLine, 'costUsd' | 'estimated' | 'unpriced'>): string {
  if (line.unpriced && line.costUsd === 0) return 'unpriced';
  return `${formatCost(line.costUsd)}${line.estimated ? ' (estimated)' : ''}${line.unpriced ? ' + unpriced' : ''}`;
}

/** "12,345" tokens, or "1.2M" for big numbers. */
export function formatTokens(tokens: number): string {
  if (tokens >= 10_000_000) return `${(tokens / 1_000_000).toFixed(1)}M`;
  return tokens.toLocaleString('en-US');
}

/** Whether anything was used at all (for the empty state). */
export function hasUsage(summary: UsageSummary): boolean {
  return summary.total.costUsd > 0 || totalTokens(summary.total) > 0;
}

/**
 * Bars for the chart, largest cost first, at most `limit`; the rest are summed into one
 * "others" bar so the chart stays readable with hundreds of tasks.
 */
export function usageBars(lines: ReadonlyArray<UsageLine & { readonly label: string }>, limit = 10): ReadonlyArray<UsageBar> {
  const sorted = [...lines].sort((a, b) => b.costUsd - a.costUsd || totalTokens(b) - totalTokens(a));
  const shown = sorted.slice(0, limit).map((line) => ({ label: line.label, costUsd: line.costUsd, tokens: totalTokens(line) }));
  const rest = sorted.slice(limit);
  if (rest.length > 0) {
    shown.push({
      label: `${rest.length} others`,
      costUsd: rest.reduce((sum, line) => sum + line.costUsd, 0),
      tokens: rest.reduce((sum, line) => sum + totalTokens(line), 0),
    });
  }
  const max = Math.max(0, ...shown.map((bar) => bar.costUsd));
  return shown.map((bar) => ({ ...bar, fraction: max === 0 ? 0 : bar.costUsd / max }));
}
