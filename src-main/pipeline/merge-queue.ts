import { gitText, isAncestor, resolveCommit, runGit } from '../workspace/git';
import { mergeTrees } from '../workspace/merge';
import type { ConflictedFile, MergeWorktree } from '../workspace/merge-worktree';
import { checkFailureFeedback, type CheckOutcome, type PipelineChecks } from './checks';
import { conflictFeedback } from './conflict-feedback';
import type { ConflictResolver } from './conflict-resolver';

/** One approved attempt waiting to be merged into its run's integration branch. */
export interface MergeRequest {
  readonly runId: string;
  readonly integrationBranch: string;
  readonly task: { readonly id: string; readonly title: string; readonly description: string };
  /** The attempt's own commit. */
  readonly workCommit: string;
  /** The integration tip the attempt started from. */
  readonly attemptBase: string;
  /** The project's checks passed on the attempt's own tree (so a fast-forward from its base needs no second run). */
  readonly verifiedInWorkspace: boolean;
  readonly signal: AbortSignal;
  /** Whether the attempt still holds its task's lease; nothing is published for one that lost it. */
  readonly isCurrent: () => boolean;
  readonly log: (text: string) => void;
}

/** How a merge request ended. */
export type MergeOutcome =
  | { readonly status: 'merged'; readonly commit: string; readonly resolvedConflicts: ReadonlyArray<string> }
  | { readonly status: 'conflict'; readonly files: ReadonlyArray<string>; readonly feedback: string }
  | { readonly status: 'red'; readonly failed: Extract<CheckOutcome, { ok: false }>; readonly feedback: string };

/** Thrown to a request whose attempt was cancelled or lost its lease while waiting: nothing of it was published. */
export class MergeAbandonedError extends Error {
  override readonly name = 'MergeAbandonedError';
}

/** What the queue needs from the project. */
export interface MergeQueueOptions {
  readonly projectDir: string;
  readonly checks: PipelineChecks;
  /** Runs the verify commands on a candidate tip, in the merge checkout. */
  readonly verifyTip: (worktree: MergeWorktree, commit: string, signal: AbortSignal) => Promise<CheckOutcome>;
  readonly resolver: ConflictResolver | null;
  readonly mergeWorktree: MergeWorktree;
  /** Records the new tip of a run's integration branch (in the database). */
  readonly recordTip: (runId: string, tip: string) => void;
}

interface Pending {
  readonly request: MergeRequest;
  readonly resolve: (outcome: MergeOutcome) => void;
  readonly reject: (error: unknown) => void;
}

interface Candidate {
  readonly pending: Pending;
  readonly commit: string;
  readonly resolvedConflicts: ReadonlyArray<string>;
  readonly verifiedAlready: boolean;
}

/**
 * The merge queue: approved attempts are merged into their run's integration branch one at a time
 * (or in batches, bisected when the tip turns red), the project's checks run on each candidate tip,
 * and the branch moves — by compare-and-swap, only for attempts that still hold their lease — only
 * when the candidate is green. A conflict is first offered to the resolver; what it cannot resolve,
 * and a red tip, go back to the task as feedback for a new attempt. The branch never holds red work.
 */
export class MergeQueue {
  private readonly lanes = new Map<string, { items: Pending[]; busy: boolean }>();

  constructor(private readonly options: MergeQueueOptions) {}

  /** Queues an approved attempt; resolves when it is merged, or says why not. */
  submit(request: MergeRequest): Promise<MergeOutcome> {
    const lane = this.lanes.get(request.integrationBranch) ?? { items: [], busy: false };
    this.lanes.set(request.integrationBranch, lane);
    const outcome = new Promise<MergeOutcome>((resolve, reject) => lane.items.push({ request, resolve, reject }));
    void this.pump(request.integrationBranch);
    return outcome;
  }

  private async pump(branch: string): Promise<void> {
    const lane = this.lanes.get(branch);
    if (lane === undefined || lane.busy) return;
    lane.busy = true;
    try {
      while (lane.items.length > 0) {
        const batch = this.options.checks.verifyOnMerge === 'batch' ? lane.items.splice(0) : lane.items.splice(0, 1);
        try {
          const requeue = await this.process(branch, batch);
          lane.items.unshift(...requeue);
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      lane.busy = false;
      if (lane.items.length === 0) this.lanes.delete(branch);
    }
  }

  /** Merges a batch onto the tip and publishes the green part; returns requests to merge again on the new tip. */
  private async process(branch: string, batch: ReadonlyArray<Pending>): Promise<Pending[]> {
    const ref = `refs/heads/${branch}`;
    for (let tries = 0; tries < 5; tries += 1) {
      const tip = await resolveCommit(this.options.projectDir, ref);
      if (tip === null) throw new Error(`The integration branch ${branch} is gone; the run's work cannot be merged.`);
      const live = batch.filter((pending) => this.stillWanted(pending));
      const candidates: Candidate[] = [];
      let base = tip;
      for (const pending of live) {
        const merged = await this.mergeOne(base, pending);
        if (merged === null) continue;
        candidates.push(merged);
        base = merged.commit;
      }
      if (candidates.length === 0) return [];
      const green = await this.greenPrefix(candidates);
      const publish = candidates.slice(0, green.length);
      const rest = candidates.slice(green.length + (green.red === null ? 0 : 1)).map((candidate) => candidate.pending);
      if (green.red !== null) {
        const failed = green.red.outcome;
        green.red.candidate.pending.resolve({ status: 'red', failed, feedback: checkFailureFeedback(failed, 'on the integration branch with your work merged into it (your work passed alone; together with work merged before it, it does not)') });
      }
      if (publish.length === 0) return rest;
      const lost = publish.filter((candidate) => !this.stillWanted(candidate.pending));
      if (lost.length > 0) {
        // Something in the chain lost its lease while being checked: merge the others again without it.
        return publish.filter((candidate) => !lost.includes(candidate)).map((candidate) => candidate.pending).concat(rest);
      }
      const last = publish[publish.length - 1] as Candidate;
      const moved = await runGit(this.options.projectDir, ['update-ref', '-m', `orchestrator: merge task ${last.pending.request.task.id}`, ref, last.commit, tip], { allowExitCodes: [128] });
      if (moved.exitCode !== 0) continue; // another process moved the branch: merge again on its tip
      this.options.recordTip(last.pending.request.runId, last.commit);
      for (const candidate of publish) candidate.pending.resolve({ status: 'merged', commit: candidate.commit, resolvedConflicts: candidate.resolvedConflicts });
      return rest;
    }
    throw new Error(`The branch ${branch} kept changing while merging; try again.`);
  }

  /** False (and the request rejected) once its attempt was cancelled or lost its lease. */
  private stillWanted(pending: Pending): boolean {
    if (!pending.request.signal.aborted && pending.request.isCurrent()) return true;
    pending.reject(new MergeAbandonedError(`Task ${pending.request.task.id} was cancelled or taken back before its merge; nothing of it was merged.`));
    return false;
  }

  /** Merges one attempt onto `base` (resolving conflicts when it can); null when it conflicted (the request is answered). */
  private async mergeOne(base: string, pending: Pending): Promise<Candidate | null> {
    const { projectDir } = this.options;
    const { request } = pending;
    if (await isAncestor(projectDir, request.workCommit, base)) return { pending, commit: base, resolvedConflicts: [], verifiedAlready: true };
    if (await isAncestor(projectDir, base, request.workCommit)) {
      return { pending, commit: request.workCommit, resolvedConflicts: [], verifiedAlready: request.verifiedInWorkspace && base === request.attemptBase };
    }
    const merged = await mergeTrees(projectDir, base, request.workCommit);
    const message = `Merge task ${request.task.id}: ${request.task.title}\n`;
    if (merged.clean) {
      const commit = await gitText(projectDir, ['commit-tree', merged.tree, '-p', base, '-p', request.workCommit, '-F', '-'], { input: message, needsIdentity: true });
      return { pending, commit, resolvedConflicts: [], verifiedAlready: false };
    }
    return this.resolveConflict(base, pending, merged.conflictingFiles, message);
  }

  private async resolveConflict(base: string, pending: Pending, conflictingFiles: ReadonlyArray<string>, message: string): Promise<Candidate | null> {
    const { request } = pending;
    const worktree = this.options.mergeWorktree;
    const started = await worktree.startMerge(base, request.workCommit);
    const conflicted: ReadonlyArray<ConflictedFile> = started?.files ?? [];
    try {
      if (this.options.resolver !== null && started !== null && started.unresolvable.length === 0 && conflicted.length > 0) {
        request.log(`Merge conflict in ${conflictingFiles.join(', ')}: asking the manager to resolve it.`);
        const answer = await this.options.resolver({ task: request.task, files: conflicted }, request.signal).catch((error: unknown) => ({ unresolved: error instanceof Error ? error.message : String(error) }));
        if ('resolved' in answer) {
          try {
            const commit = await worktree.commitResolution(answer.resolved, `${message}\nConflicts in ${conflictingFiles.join(', ')} resolved by the manager.\n`);
            request.log(`The manager resolved the conflict in ${conflictingFiles.join(', ')}; the result is checked before it is kept.`);
            return { pending, commit, resolvedConflicts: conflictingFiles, verifiedAlready: false };
          } catch (error) {
            request.log(`The manager's resolution was not usable: ${error instanceof Error ? error.message : String(error)}`);
          }
        } else {
          request.log(`The manager could not resolve the conflict: ${answer.unresolved}`);
        }
      }
    } finally {
      await worktree.abortMerge();
    }
    const previousDiff = (await runGit(this.options.projectDir, ['diff', '--no-color', '--no-ext-diff', request.attemptBase, request.workCommit], { allowExitCodes: [128] })).stdout;
    request.log(`Merge conflict in ${conflictingFiles.join(', ')}: the task gets a new attempt on the current tip.`);
    pending.resolve({ status: 'conflict', files: conflictingFiles, feedback: conflictFeedback({ files: conflictingFiles, conflicted, previousDiff }) });
    return null;
  }

  /**
   * How much of the chain is green: all of it, or the part before the first red candidate (found by
   * bisection when several were checked together) together with that candidate's failure.
   */
  private async greenPrefix(candidates: ReadonlyArray<Candidate>): Promise<{ readonly length: number; readonly red: { readonly candidate: Candidate; readonly outcome: Extract<CheckOutcome, { ok: false }> } | null }> {
    const { checks } = this.options;
    if (checks.verify.length === 0 || checks.verifyOnMerge === 'off') return { length: candidates.length, red: null };
    if (candidates.length === 1 && (candidates[0] as Candidate).verifiedAlready) return { length: 1, red: null };
    const verdicts = new Map<number, CheckOutcome>();
    const check = async (index: number): Promise<CheckOutcome> => {
      const known = verdicts.get(index);
      if (known !== undefined) return known;
      const candidate = candidates[index] as Candidate;
      candidate.pending.request.log(`Checking the integration tip with task ${candidate.pending.request.task.id} merged (${checks.verify.join(' && ')}).`);
      const outcome = await this.options.verifyTip(this.options.mergeWorktree, candidate.commit, candidate.pending.request.signal);
      verdicts.set(index, outcome);
      return outcome;
    };
    const lastIndex = candidates.length - 1;
    if ((await check(lastIndex)).ok) return { length: candidates.length, red: null };
    // Bisect: the first red candidate; everything before it is green.
    let low = 0;
    let high = lastIndex;
    while (low < high) {
      const middle = Math.floor((low + high) / 2);
      if ((await check(middle)).ok) low = middle + 1;
      else high = middle;
    }
    const outcome = (await check(low)) as Extract<CheckOutcome, { ok: false }>;
    return { length: low, red: { candidate: candidates[low] as Candidate, outcome } };
  }
}
