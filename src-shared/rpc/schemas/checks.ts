import { z } from 'zod';

/** One proposed check: the command (or, for copy, the file) and where it was found, for the confirmation display. */
export const checkProposalSchema = z.object({
  value: z.string(),
  /** Where it came from: 'package.json script "test" (npm, package-lock.json)', '.env (git-ignored)', … */
  source: z.string(),
});
export type CheckProposal = z.infer<typeof checkProposalSchema>;

/** What the project's files suggest for checks.setup, checks.verify and checks.copy, plus notes on what was left out. */
export const checkProposalsSchema = z.object({
  setup: z.array(checkProposalSchema),
  verify: z.array(checkProposalSchema),
  copy: z.array(checkProposalSchema),
  notes: z.array(z.string()),
});
export type CheckProposals = z.infer<typeof checkProposalsSchema>;
