import type { OrchestratorConfig } from '../../src-shared/config/config-schema';
import { Manager } from '../agents/manager';
import type { RateLimitGate } from '../agents/rate-limit';
import type { Store } from '../store/store';
import { ConfigurationError } from '../engine/errors';
import type { ResolvedApiKey } from '../workspace/api-key';

/** Says how to give the manager an API key. */
export const NO_API_KEY_MESSAGE =
  'The manager needs an Anthropic API key: set ANTHROPIC_API_KEY, put it in the project\'s .env (ANTHROPIC_API_KEY=…), or store it in the OS keychain from Settings. `co check` shows where the key is looked for.';

/**
 * Builds the manager for a project: its model from config, the key from env/.env/keychain,
 * ANTHROPIC_BASE_URL honoured, and every call's usage and cost recorded in the store.
 */
export function createProjectManager(options: {
  readonly config: OrchestratorConfig;
  readonly apiKey: ResolvedApiKey;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly store: () => Store;
  /** Run and task the next calls belong to, for usage records. */
  readonly usageScope?: () => { readonly runId: string | null; readonly taskId: string | null };
  /** Rate-limit headers (or a 429) say to slow down: pause the pool. */
  readonly onRateLimit?: (resetAt: Date, reason: string) => void;
  /** Shared with the API workers, so a 429 either of them sees holds the other's requests too. */
  readonly rateLimitGate?: RateLimitGate;
}): Manager {
  const key = options.apiKey.key;
  if (key === null) throw new ConfigurationError(NO_API_KEY_MESSAGE);
  const baseURL = options.env['ANTHROPIC_BASE_URL'];
  return new Manager({
    apiKey: key,
    ...(baseURL === undefined || baseURL === '' ? {} : { baseURL }),
    model: options.config.models.manager,
    usageWarningThreshold: options.config.monitoring.usage_warning_threshold,
    ...(options.onRateLimit === undefined ? {} : { onRateLimit: options.onRateLimit }),
    ...(options.rateLimitGate === undefined ? {} : { rateLimitGate: options.rateLimitGate }),
    onUsage: (report) => {
      const scope = options.usageScope?.() ?? { runId: null, taskId: null };
      const store = options.store();
      store.write(() =>
        store.usage.insert({ source: 'manager', runId: scope.runId, taskId: scope.taskId, attemptId: null, model: report.model, usage: report.usage, costUsd: report.costUsd }, Date.now()),
      );
    },
  });
}
