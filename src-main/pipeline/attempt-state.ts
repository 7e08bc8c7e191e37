import type { AcquiredWorkspace } from '../workspace/attempt-workspaces';

/** What the pipeline remembers about one attempt between its stages. */
export interface AttemptState {
  readonly runId: string;
  readonly integrationBranch: string;
  /** The integration tip the attempt started from (its diff is against it). */
  readonly baseCommit: string;
  readonly branch: string;
  /** The checkout, while the attempt holds one (a resumed attempt has none). */
  readonly workspace: AcquiredWorkspace | null;
  /** Files copied in from `checks.copy`: never committed. */
  readonly copied: ReadonlyArray<string>;
  /** The attempt's own commit, once made (or the resumed attempt's). */
  workCommit: string | null;
  /** The agent's work was committed (or found to be nothing): what is left in the checkout afterwards is the checks' output, not work to save. */
  workSaved: boolean;
  /** The project's checks passed on the attempt's tree. */
  verified: boolean;
  /** The work reached the integration branch (its branch can go). */
  merged: boolean;
  /** Submodules the agent changed inside: those changes are not part of the attempt (set by verify). */
  submodulesChanged?: ReadonlyArray<string>;
}
