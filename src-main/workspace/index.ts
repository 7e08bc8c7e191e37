/** Public surface of the workspace module: git isolation, checkpoints, rollback, secrets, redaction, audit. */
export { redactSecrets, redactSecretsInChunks, redactDeep, redactError, registerSecretForRedaction, maskSecret, MASK, type RedactOptions } from './redact';
export { SECRET_RULES, type SecretRule } from './secret-patterns';
export { runGit, GitError, FALLBACK_IDENTITY, type GitOptions, type GitResult } from './git';
export {
  ensureWorkspace,
  ensureGitignored,
  workspacePaths,
  isGitRepository,
  initGitRepository,
  ORCHESTRATOR_DIR_NAME,
  type WorkspacePaths,
  type EnsureWorkspaceResult,
  type InitGitOptions,
} from './layout';
export {
  ensureIntegrationBranch,
  createAttemptWorktree,
  commitAllChanges,
  taskCommitMessage,
  removeAttemptWorktree,
  cleanupStaleWorktrees,
  listWorktrees,
  integrationBranchName,
  attemptBranchName,
  type AttemptWorktree,
  type IntegrationBranch,
  type CleanupReport,
  type WorktreeEntry,
} from './worktrees';
export { mergeAttemptBranch, mergeIntoCurrentBranch, type MergeResult } from './merge';
export { diffAttempt, type AttemptDiff, type DiffFile } from './diff';
export {
  createCheckpoint,
  listCheckpoints,
  getCheckpoint,
  showCheckpoint,
  deleteCheckpoint,
  pruneCheckpoints,
  applyCheckpointRetention,
  loadCheckpoint,
  requireCheckpoint,
  CHECKPOINT_REF_PREFIX,
  type Checkpoint,
  type CheckpointDetails,
  type CheckpointKind,
  type CreateCheckpointInput,
  type PruneOptions,
} from './checkpoints';
export { retentionOf, retentionFromConfig, describeRetention, type CheckpointRetention, type KeptBecause, type RetainedCheckpoint } from './checkpoint-retention';
export { rollback, type RollbackOptions, type RollbackRequest, type RollbackResult, type RollbackStrategy } from './rollback';
export { selectiveScope, planSelective, type SelectiveScope, type SelectivePlan } from './selective-rollback';
export type { UnrevertedFile } from './selective-revert';
export { UnrecordedPathError, type RestoreOutcome } from './tree-restore';
export type { TaskSnapshotSource, TaskFileChanges, TaskCommitRange, SnapshotOptions, Awaitable } from './task-source';
export {
  SecretStore,
  SecretStoreUnavailableError,
  InvalidSecretError,
  KEYCHAIN_SERVICE,
  KEYCHAIN_ALTERNATIVE,
  type SecretName,
  type KeychainBackend,
} from './secret-store';
export {
  resolveApiKey,
  resolveSecret,
  SECRET_ENV_NAMES,
  type ResolvedSecret,
  validateApiKeyFormat,
  testApiKey,
  maskApiKey,
  API_KEY_ENV,
  type ApiKeySource,
  type ApiKeyFormat,
  type ResolvedApiKey,
  type ApiKeyTestResult,
} from './api-key';
export { parseDotenv, readDotenvFile } from './dotenv';
export { runSecurityAudit, checkEnvironment, type SecurityAuditResult, type AuditFinding, type AuditSeverity } from './audit';
export { scanForSecrets, findSecretsInText, type SecretFinding, type SecretScanResult } from './secret-scan';
export { contextFilesOverlap } from './shared-folder';
