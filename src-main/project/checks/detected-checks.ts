import type { CheckProposal } from '../../../src-shared/rpc/schemas/checks';

/** What one detector (JavaScript, Python, Rust, Go, make) found: commands with their sources, and notes on what it left out. */
export interface DetectedChecks {
  readonly setup: ReadonlyArray<CheckProposal>;
  readonly verify: ReadonlyArray<CheckProposal>;
  readonly notes: ReadonlyArray<string>;
}

/** Nothing found. */
export const NOTHING_DETECTED: DetectedChecks = { setup: [], verify: [], notes: [] };
