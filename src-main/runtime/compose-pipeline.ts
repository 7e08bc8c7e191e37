import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import type { Manager } from '../agents/manager';
import { gitPipeline, type GitPipeline } from '../pipeline/git-pipeline';
import type { Store } from '../store/store';
import type { MergeWorktree } from '../workspace/merge-worktree';
import { worktreePool } from '../workspace/worktree-pool';
import { managerResolver, managerReviewer } from './manager-reviewer';
import { pipelineChecksOf, projectCheckRunner, workspaceReadier } from './pipeline-checks';

/** What the runtime gives the pipeline. */
export interface ComposePipelineOptions {
  readonly projectDir: string;
  readonly config: OrchestratorConfig;
  readonly manager: () => Manager;
  readonly store: () => Store;
  readonly mergeWorktree: MergeWorktree;
}

/** The git pipeline of a project as its config says: its checks, and review and conflict resolution by the manager when review is on. */
export function composeGitPipeline(options: ComposePipelineOptions): GitPipeline {
  const { config } = options;
  const review = config.models.enable_opus_review;
  return gitPipeline({
    projectDir: options.projectDir,
    store: options.store,
    commitMessagePrefix: config.git.commit_message_prefix,
    reviewer: review ? managerReviewer(options.manager) : null,
    resolver: review ? managerResolver(options.manager) : null,
    checks: pipelineChecksOf(config.checks),
    runChecks: projectCheckRunner,
    workspaces: worktreePool(options.projectDir),
    mergeWorktree: options.mergeWorktree,
    readyWorkspace: workspaceReadier(options.projectDir, config.checks, projectCheckRunner),
  });
}
