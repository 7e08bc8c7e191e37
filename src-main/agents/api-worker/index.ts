export { ApiWorkerBackend } from './api-worker-backend';
export type { ApiWorkerOptions } from './api-worker-backend';
export { ToolError, isInside, resolveInWorkspace } from './workspace-paths';
export { commandEnvironment, runCommand } from './run-command';
export type { CommandOptions, CommandResult } from './run-command';
