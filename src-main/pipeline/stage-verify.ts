import type { Task } from '../../src-shared/domain/task';
import type { AttemptContext, ReviewVerdict } from '../engine/lifecycle';
import { changedSubmodules, submodulePaths } from '../workspace/submodules';
import { commitAllChanges, taskCommitMessage } from '../workspace/worktrees';
import type { AttemptState } from './attempt-state';
import { checkFailureFeedback, type CheckRunner, type PipelineChecks } from './checks';

/** What the verify stage needs. */
export interface VerifyDeps {
  readonly checks: PipelineChecks;
  readonly runChecks: CheckRunner;
  readonly commitMessagePrefix: string;
}

/** What verify found: the attempt's commit (null when it changed nothing), or a verdict that ends the attempt here. */
export type VerifyResult = { readonly workCommit: string | null } | { readonly verdict: ReviewVerdict };

/**
 * Stage 3, verify: the attempt's work is committed on its branch (copied files such as `.env`
 * excluded) and the project's `checks.verify` run in its workspace. A failing check is never merged:
 * the task gets a new attempt with the failing command and the end of its output.
 */
export async function verifyAttempt(deps: VerifyDeps, task: Task, state: AttemptState, context: AttemptContext): Promise<VerifyResult> {
  context.enterStage('verify');
  const workspace = state.workspace;
  if (workspace === null) return { workCommit: state.workCommit };
  // Submodules stay at the commits the project records: a change inside one (or another commit checked out there) is not the attempt's work.
  const submodules = await submodulePaths(workspace.path);
  const workCommit = await commitAllChanges(workspace.path, taskCommitMessage(deps.commitMessagePrefix, task), { exclude: [...state.copied, ...submodules] });
  state.workCommit = workCommit;
  state.workSaved = true;
  const touched = await changedSubmodules(workspace.path, submodules);
  if (touched.length > 0) {
    state.submodulesChanged = touched;
    context.log('verify', `Changes inside the submodule ${touched.join(', ')} are not part of this attempt: an attempt commits the project's own files, and submodules stay at the commits the project records (change a submodule in its own repository).`);
  }
  if (workCommit === null) context.log('verify', 'The attempt changed no file.');
  if (deps.checks.verify.length === 0) return { workCommit };
  context.log('verify', `Running the project's checks: ${deps.checks.verify.join(' && ')}`);
  const outcome = await deps.runChecks(deps.checks.verify, {
    cwd: workspace.path,
    timeoutMs: deps.checks.timeoutMs,
    signal: context.signal,
    onOutput: (line) => context.log('check', line),
  });
  if (!outcome.ok) {
    context.log('verify', `\`${outcome.command}\` failed (${outcome.exit}); the work is not merged.`);
    return {
      verdict: {
        retry: `the check \`${outcome.command}\` failed (${outcome.exit})`,
        feedback: checkFailureFeedback(outcome, 'on your work'),
        exhausted: 'fail',
        immediate: true,
      },
    };
  }
  state.verified = true;
  context.log('verify', 'The checks passed.');
  return { workCommit };
}
