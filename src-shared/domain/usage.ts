/** Token use of one model call or an aggregate of several, as the Messages API reports it. */
export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cacheCreationInputTokens: number;
  readonly cacheReadInputTokens: number;
}

/** Usage with nothing used. */
export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheCreationInputTokens: 0,
  cacheReadInputTokens: 0,
});

/** Sum of two usages. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheCreationInputTokens: a.cacheCreationInputTokens + b.cacheCreationInputTokens,
    cacheReadInputTokens: a.cacheReadInputTokens + b.cacheReadInputTokens,
  };
}

/** What a cost figure is: billed (the API's price for our key), estimated (Claude Code's estimate on a subscription), or unpriced (no price row for the model: shown as unpriced, not $0). */
export type CostKind = 'billed' | 'estimated' | 'unpriced';

/** "$1.2345", with "(estimated)" when any of it is Claude Code's estimate, and "+ unpriced usage" when some usage has no price. */
export function formatCostLabel(costUsd: number, kinds: { readonly estimated: boolean; readonly unpriced: boolean }, digits = 4): string {
  return `$${costUsd.toFixed(digits)}${kinds.estimated ? ' (estimated)' : ''}${kinds.unpriced ? ' + unpriced usage' : ''}`;
}
