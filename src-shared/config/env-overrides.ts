/** Environment variables that override the file, and the key each sets. */
export const ENV_OVERRIDES: ReadonlyArray<{ readonly name: string; readonly path: readonly [string, string]; readonly kind: 'string' | 'number' }> = [
  { name: 'ORCHESTRATOR_MAX_WORKERS', path: ['execution', 'max_workers'], kind: 'number' },
  { name: 'ORCHESTRATOR_TASK_TIMEOUT', path: ['execution', 'task_timeout'], kind: 'number' },
  { name: 'ORCHESTRATOR_MAX_RETRIES', path: ['execution', 'max_retries'], kind: 'number' },
  { name: 'ORCHESTRATOR_LOG_LEVEL', path: ['monitoring', 'log_level'], kind: 'string' },
  { name: 'ORCHESTRATOR_MANAGER_MODEL', path: ['models', 'manager'], kind: 'string' },
  { name: 'ORCHESTRATOR_WORKER_MODEL', path: ['models', 'worker'], kind: 'string' },
  { name: 'CLAUDE_CLI_PATH', path: ['claude_cli', 'path'], kind: 'string' },
  { name: 'SLACK_WEBHOOK_URL', path: ['notifications', 'slack_webhook_url'], kind: 'string' },
  { name: 'ORCHESTRATOR_CHECKS_TIMEOUT', path: ['checks', 'timeout'], kind: 'number' },
  { name: 'ORCHESTRATOR_VERIFY_ON_MERGE', path: ['checks', 'verify_on_merge'], kind: 'string' },
];
