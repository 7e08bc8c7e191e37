import type { CheckProposal, CheckProposals } from '../../../src-shared/rpc/schemas/checks';
import { detectCargoChecks, detectGoChecks, detectMakeChecks } from './detect-build-tools';
import { detectCopyFiles } from './detect-copy';
import { detectNodeChecks } from './detect-node';
import { detectPythonChecks } from './detect-python';
import type { DetectedChecks } from './detected-checks';

export type { CheckProposal, CheckProposals } from '../../../src-shared/rpc/schemas/checks';

/**
 * Proposes checks.setup, checks.verify and checks.copy from what the project has: package.json
 * scripts with the lockfile's package manager, pytest, cargo, go, a makefile's test/check target,
 * and git-ignored .env files. Each proposal says where it came from; nothing is written.
 */
export async function proposeChecks(projectDir: string): Promise<CheckProposals> {
  const languages: DetectedChecks[] = [detectNodeChecks(projectDir), detectPythonChecks(projectDir), detectCargoChecks(projectDir), detectGoChecks(projectDir)];
  const make = detectMakeChecks(
    projectDir,
    languages.some((found) => found.verify.length > 0),
  );
  const found = [...languages, make];
  const copy = await detectCopyFiles(projectDir);
  return {
    setup: unique(found.flatMap((entry) => entry.setup)),
    verify: unique(found.flatMap((entry) => entry.verify)),
    copy: [...copy.copy],
    notes: [...found.flatMap((entry) => entry.notes), ...copy.notes],
  };
}

/** The proposals' values, as the config keys hold them. */
export function proposedValues(proposals: CheckProposals): { readonly setup: string[]; readonly verify: string[]; readonly copy: string[] } {
  return { setup: proposals.setup.map((item) => item.value), verify: proposals.verify.map((item) => item.value), copy: proposals.copy.map((item) => item.value) };
}

/** Whether there is anything to propose. */
export function hasProposals(proposals: CheckProposals): boolean {
  return proposals.setup.length + proposals.verify.length + proposals.copy.length > 0;
}

function unique(items: ReadonlyArray<CheckProposal>): CheckProposal[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.value) && seen.add(item.value));
}
