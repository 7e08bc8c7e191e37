import path from 'node:path';
import type { ChecksConfig } from '../../../src-shared/config/config-schema';
import type { CheckProposals } from '../../../src-shared/rpc/schemas/checks';
import { addChecksToConfigFile, hasProposals, proposeChecks, type CheckLists } from '../../project/checks';

/** Asks the user one question on the terminal and returns the answer. */
export type Ask = (question: string) => Promise<string>;

/** How `co init` treats the proposed checks. */
export interface ChecksOfferOptions {
  readonly workingDir: string;
  readonly configFile: string;
  readonly current: ChecksConfig;
  /** --yes: accept every proposal. */
  readonly acceptAll: boolean;
  /** A terminal to ask on; null when there is none (then nothing is written without --yes). */
  readonly ask: Ask | null;
  readonly print: (line: string) => void;
}

/** Where to add checks later, for the messages. */
export const HOW_TO_ADD_CHECKS = 'run `co checks --propose --write`, or list commands under checks.setup / checks.verify / checks.copy in orchestrator_config.json';

/**
 * `co init`'s checks step: proposes checks from the project (unless the config already has some),
 * shows them with where each came from, and writes those the user accepts: all with --yes, asked on
 * a terminal, none without one. Returns the report lines.
 */
export async function offerChecks(options: ChecksOfferOptions): Promise<string[]> {
  const { current } = options;
  const configured = current.setup.length + current.verify.length + current.copy.length;
  if (configured > 0) return [`kept checks (${current.setup.length} setup, ${current.verify.length} verify, ${current.copy.length} copy)`];
  const proposals = await proposeChecks(options.workingDir);
  if (!hasProposals(proposals)) {
    return ['no checks found to propose (no package.json scripts, pytest, cargo, go or make targets)', ...proposals.notes.map((note) => `note: ${note}`), `to add some: ${HOW_TO_ADD_CHECKS}`];
  }
  for (const line of formatProposals(proposals)) options.print(line);
  let accepted: CheckLists;
  if (options.acceptAll) accepted = allOf(proposals);
  else if (options.ask === null) return ['checks not written (no terminal to confirm them; `co init --yes` accepts them)', `to add them: ${HOW_TO_ADD_CHECKS}`];
  else accepted = await confirmProposals(proposals, options.ask);
  const count = accepted.setup.length + accepted.verify.length + accepted.copy.length;
  if (count === 0) return [`no checks written; to add them later: ${HOW_TO_ADD_CHECKS}`];
  const added = await addChecksToConfigFile(options.configFile, accepted);
  return [`wrote ${describeCounts(added)} to ${path.relative(options.workingDir, options.configFile) || options.configFile}`];
}

/** The proposals as lines for the terminal, each with its source, then the notes. */
export function formatProposals(proposals: CheckProposals): string[] {
  const lines = ['Proposed checks (from the project\'s files):'];
  const groups = [
    ['setup (each new workspace, before the agent)', proposals.setup],
    ['verify (must pass before work is merged)', proposals.verify],
    ['copy (untracked files copied into each workspace, never committed)', proposals.copy],
  ] as const;
  for (const [title, items] of groups) {
    if (items.length === 0) continue;
    lines.push(`  ${title}:`);
    for (const item of items) lines.push(`    ${item.value}  — ${item.source}`);
  }
  for (const note of proposals.notes) lines.push(`  note: ${note}`);
  return lines;
}

/** Asks "all / none / choose"; choosing asks about each proposal in turn. */
export async function confirmProposals(proposals: CheckProposals, ask: Ask): Promise<CheckLists> {
  const answer = (await ask('Use these checks? [Y]es, [n]o (edit later), [c]hoose each: ')).trim().toLowerCase();
  if (answer === '' || answer.startsWith('y')) return allOf(proposals);
  if (!answer.startsWith('c')) return { setup: [], verify: [], copy: [] };
  const pick = async (key: 'setup' | 'verify' | 'copy'): Promise<string[]> => {
    const kept: string[] = [];
    for (const item of proposals[key]) {
      const reply = (await ask(`  ${key}: ${item.value}? [Y/n] `)).trim().toLowerCase();
      if (reply === '' || reply.startsWith('y')) kept.push(item.value);
    }
    return kept;
  };
  return { setup: await pick('setup'), verify: await pick('verify'), copy: await pick('copy') };
}

/** "checks (1 setup, 3 verify, 0 copy)". */
export function describeCounts(lists: CheckLists): string {
  return `checks (${lists.setup.length} setup, ${lists.verify.length} verify, ${lists.copy.length} copy)`;
}

function allOf(proposals: CheckProposals): CheckLists {
  return { setup: proposals.setup.map((item) => item.value), verify: proposals.verify.map((item) => item.value), copy: proposals.copy.map((item) => item.value) };
}
