export { proposeChecks, proposedValues, hasProposals, type CheckProposal, type CheckProposals } from './propose-checks';
export {
  runCheckCommands,
  describeCheckResult,
  checkFailureFeedback,
  type CheckEnd,
  type CheckCommandResult,
  type CheckRunResult,
  type CheckOutputStream,
  type RunCheckCommandsOptions,
} from './run-check-commands';
export { startCheckProcess, type CheckProcess, type CheckProcessExit } from './check-process';
export { copyCheckFiles, commitExcludePathspecs, CheckCopyPathError, type CopyCheckFilesResult } from './copy-check-files';
export { setupFingerprint, setupInputFiles, KNOWN_LOCKFILES } from './setup-inputs';
export { addChecksToConfigFile, type CheckLists } from './checks-config-file';
export { allowedToolsFor, deriveAllowedTools } from '../../../src-shared/config/allowed-tools';
