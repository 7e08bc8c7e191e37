// Current models with known list prices; claude-sonnet-4-5 (end of life 2026-11-30) and
// claude-opus-4-5 are deprecated in the installed SDK. orchestrator_config.json overrides these.

/** Default model of the manager (planning, expansion, review, summary). */
export const DEFAULT_MANAGER_MODEL = 'claude-opus-4-6';

/** Default model of the workers. */
export const DEFAULT_WORKER_MODEL = 'claude-sonnet-4-6';

/** Output budget of one manager call; plans of many tasks need room. */
export const DEFAULT_MANAGER_MAX_TOKENS = 16_000;

/** Output budget of one worker turn. */
export const DEFAULT_WORKER_MAX_TOKENS = 8_000;

/** How often the SDK itself retries 408/409/429/5xx/529 and connection errors. */
export const DEFAULT_SDK_MAX_RETRIES = 4;

/** Our own retries of a stream that fails mid-way (the SDK does not retry those). */
export const DEFAULT_STREAM_RETRY = Object.freeze({ maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000 });
