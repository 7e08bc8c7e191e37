import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import { findClaude } from '../agents/claude-cli/find-claude';
import { Manager } from '../agents/manager';
import { ClaudeCliManagerModel } from '../agents/manager/claude-cli-model';
import type { UsageReport } from '../agents/manager/model-client';
import type { RateLimitGate } from '../agents/rate-limit';
import type { Store } from '../store/store';
import { ConfigurationError } from '../engine/errors';
import type { ResolvedApiKey } from '../workspace/api-key';
import type { CostKind } from '../../src-shared/domain/usage';

/** Says how to give the manager an API key. */
export const NO_API_KEY_MESSAGE =
  'The manager needs an Anthropic API key: set ANTHROPIC_API_KEY, put it in the project\'s .env (ANTHROPIC_API_KEY=…), or store it in the OS keychain from Settings. `co check` shows where the key is looked for.';

/** Which way the manager reaches the model, after `models.manager_backend: auto` is decided. */
export type ManagerBackend = 'api' | 'claude-cli';

/** auto: the API when a key is configured, else the user's Claude Code login. */
export function managerBackendOf(config: OrchestratorConfig, apiKey: ResolvedApiKey): ManagerBackend {
  const chosen = config.models.manager_backend;
  if (chosen !== 'auto') return chosen;
  return apiKey.key === null ? 'claude-cli' : 'api';
}

/**
 * Builds the manager for a project: its model from config; over the API with the key from
 * env/.env/keychain (ANTHROPIC_BASE_URL honoured), or through the user's Claude Code CLI and its
 * login; every call's usage and cost recorded in the store.
 */
export function createProjectManager(options: {
  readonly config: OrchestratorConfig;
  readonly apiKey: ResolvedApiKey;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Folder Claude Code runs in for manager calls (the project). */
  readonly projectDir: string;
  readonly store: () => Store;
  /** Run and task the next calls belong to, for usage records. */
  readonly usageScope?: () => { readonly runId: string | null; readonly taskId: string | null };
  /** Rate-limit headers (or a 429) say to slow down: pause the pool. */
  readonly onRateLimit?: (resetAt: Date, reason: string) => void;
  /** Shared with the API workers, so a 429 either of them sees holds the other's requests too. */
  readonly rateLimitGate?: RateLimitGate;
}): Manager {
  const backend = managerBackendOf(options.config, options.apiKey);
  // Billed over the API; estimated by Claude Code on the user's login; unpriced when no price row knows the model.
  const costKind = (report: UsageReport): CostKind => (!report.priced ? 'unpriced' : backend === 'claude-cli' && options.apiKey.key === null ? 'estimated' : 'billed');
  const onUsage = (report: UsageReport): void => {
    const scope = options.usageScope?.() ?? { runId: null, taskId: null };
    const store = options.store();
    store.write(() =>
      store.usage.insert(
        { source: 'manager', runId: scope.runId, taskId: scope.taskId, attemptId: null, model: report.model, usage: report.usage, costUsd: report.costUsd, costKind: costKind(report) },
        Date.now(),
      ),
    );
  };
  const settings = { model: options.config.models.manager, maxTokens: options.config.models.manager_max_tokens };
  if (backend === 'claude-cli') {
    let found: Promise<string> | undefined;
    const configuredPath = options.config.claude_cli.path;
    const transport = new ClaudeCliManagerModel({
      claudePath: () => (found ??= findClaude(configuredPath === undefined ? {} : { configuredPath }).then((claude) => claude.path)),
      env: claudeEnvironment(options.env, options.apiKey),
      cwd: options.projectDir,
      onUsage,
    });
    return new Manager({ ...settings, transport });
  }
  const key = options.apiKey.key;
  if (key === null) throw new ConfigurationError(`models.manager_backend is "api", which needs an API key. ${NO_API_KEY_MESSAGE}`);
  const baseURL = options.env['ANTHROPIC_BASE_URL'];
  return new Manager({
    ...settings,
    apiKey: key,
    ...(baseURL === undefined || baseURL === '' ? {} : { baseURL }),
    usageWarningThreshold: options.config.monitoring.usage_warning_threshold,
    ...(options.onRateLimit === undefined ? {} : { onRateLimit: options.onRateLimit }),
    ...(options.rateLimitGate === undefined ? {} : { rateLimitGate: options.rateLimitGate }),
    onUsage,
  });
}

/** The environment of a manager call through Claude Code: the app's, with the API key (when one is configured and chosen) passed on. */
function claudeEnvironment(env: Readonly<Record<string, string | undefined>>, apiKey: ResolvedApiKey): Record<string, string | undefined> {
  return apiKey.key === null ? { ...env } : { ...env, ANTHROPIC_API_KEY: apiKey.key };
}
