import type { Usage } from '../../../src-shared/domain/usage';

/** Prices of one model in US dollars per million tokens. */
export interface ModelPrice {
  readonly inputPerMTok: number;
  readonly outputPerMTok: number;
  /** Writing a prompt-cache entry (5-minute TTL). */
  readonly cacheWritePerMTok: number;
  readonly cacheReadPerMTok: number;
}

/** Prices by model name; a key also prices its dated snapshots (`<key>-YYYYMMDD`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Cost of a usage on a model; 0 with `priced: false` when the table does not know the model. */
export function costOf(usage: Usage, model: string, table: PriceTable): { readonly costUsd: number; readonly priced: boolean } {
  const price = priceOf(model, table);
  if (price === undefined) return { costUsd: 0, priced: false };
  const dollars =
    usage.inputTokens * price.inputPerMTok +
    usage.outputTokens * price.outputPerMTok +
    usage.cacheCreationInputTokens * price.cacheWritePerMTok +
    usage.cacheReadInputTokens * price.cacheReadPerMTok;
  return { costUsd: dollars / 1_000_000, priced: true };
}

/** The price of a model: its exact key, else the key of the model without a `-YYYYMMDD` snapshot suffix. */
export function priceOf(model: string, table: PriceTable): ModelPrice | undefined {
  return table[model] ?? table[model.replace(/-\d{8}$/, '')];
}
