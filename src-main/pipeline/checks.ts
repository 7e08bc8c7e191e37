/** The project's checks as the pipeline uses them (config `checks`, times in ms). */
export interface PipelineChecks {
  /** Commands run in a new workspace before the agent starts (e.g. `npm ci`), when their inputs changed. */
  readonly setup: ReadonlyArray<string>;
  /** Files whose content decides whether setup must run again (empty: the lockfiles found). */
  readonly setupInputs: ReadonlyArray<string>;
  /** Untracked files copied into each workspace (e.g. `.env`), never committed. */
  readonly copy: ReadonlyArray<string>;
  /** Commands that must pass: after each attempt in its workspace, and on the integration tip before a merge is kept. */
  readonly verify: ReadonlyArray<string>;
  readonly timeoutMs: number;
  /** When the tip is checked: after every merge, batched (bisected on failure), or never. */
  readonly verifyOnMerge: 'each' | 'batch' | 'off';
}

/** No checks at all (a project that configured none). */
export const NO_CHECKS: PipelineChecks = { setup: [], setupInputs: [], copy: [], verify: [], timeoutMs: 900_000, verifyOnMerge: 'each' };

/** How a list of check commands ended: all passed, or the first that failed with the tail of its output. */
export type CheckOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly command: string; readonly exit: string; readonly outputTail: string };

/** Runs check commands one after another in a folder, stopping at the first failure. */
export type CheckRunner = (
  commands: ReadonlyArray<string>,
  options: { readonly cwd: string; readonly timeoutMs: number; readonly signal: AbortSignal; readonly onOutput?: (line: string) => void },
) => Promise<CheckOutcome>;

/** The feedback a worker gets when a check failed on its work. */
export function checkFailureFeedback(failed: Extract<CheckOutcome, { ok: false }>, where: string): string {
  return [
    `The check \`${failed.command}\` failed (${failed.exit}) ${where}.`,
    'Its output ends with:',
    '```',
    failed.outputTail.trimEnd(),
    '```',
    'Fix the cause. The same checks run again before your work is merged; work that fails them is never merged.',
  ].join('\n');
}
