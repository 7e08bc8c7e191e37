import Anthropic from '@anthropic-ai/sdk';
import { readDotenvFile } from './dotenv';
import { workspacePaths } from './layout';
import { maskSecret, redactSecrets, registerSecretForRedaction } from './redact';
import type { SecretName, SecretStore } from './secret-store';

/** Name of the environment variable (and .env key) the seeds and the Claude CLI use. */
export const API_KEY_ENV = 'ANTHROPIC_API_KEY';

/** Where the API key in use came from. */
export type ApiKeySource = 'environment' | 'dotenv' | 'keychain' | 'none';

/** Result of format validation. */
export type ApiKeyFormat =
  | { readonly valid: true; readonly kind: 'api-key' | 'admin-key' | 'oauth-token' }
  | { readonly valid: false; readonly reason: string };

/** Checks an Anthropic key's shape (sk-ant-api03-… etc.) without contacting anything. */
export function validateApiKeyFormat(key: string): ApiKeyFormat {
  if (key.trim() !== key || /\s/.test(key)) return { valid: false, reason: 'The key contains spaces or line breaks.' };
  if (key === '') return { valid: false, reason: 'The key is empty.' };
  if (!key.startsWith('sk-ant-')) return { valid: false, reason: 'Anthropic keys start with "sk-ant-".' };
  const match = /^sk-ant-(api|admin|oat)(\d{2})-([A-Za-z0-9_-]+)$/.exec(key);
  if (match === null) return { valid: false, reason: 'Expected sk-ant-api03-… (letters, digits, "-" and "_").' };
  if ((match[3] ?? '').length < 20) return { valid: false, reason: 'The key is too short; was it cut off when pasting?' };
  const kind = match[1] === 'admin' ? 'admin-key' : match[1] === 'oat' ? 'oauth-token' : 'api-key';
  return { valid: true, kind };
}

/** A resolved API key and where it came from; `masked` is safe to show. */
export interface ResolvedApiKey {
  readonly source: ApiKeySource;
  readonly key: string | null;
  readonly masked: string | null;
  readonly format: ApiKeyFormat | null;
  /** Set when the keychain could not be asked (e.g. no Secret Service); says where the key can go instead. */
  readonly keychainError?: string;
}

/** Masks a key the same way logs do. */
export function maskApiKey(key: string): string {
  const masked = redactSecrets(key);
  return masked === key ? maskSecret(key, { keepPrefix: key.startsWith('sk-ant-') ? 7 : 0, showTail: true }) : masked;
}

/** Environment variable (and .env key) that overrides each keychain secret. */
export const SECRET_ENV_NAMES: Readonly<Record<SecretName, string>> = Object.freeze({
  'anthropic-api-key': API_KEY_ENV,
  'slack-webhook-url': 'SLACK_WEBHOOK_URL',
  'github-token': 'GITHUB_TOKEN',
});

/** Where a secret resolves from, without format checks. */
export interface ResolvedSecret {
  readonly source: ApiKeySource;
  readonly value: string | null;
  readonly keychainError?: string;
}

/**
 * Finds a secret: its environment variable, then `<project>/.env`, then the OS keychain. The
 * environment wins so one-off overrides work as they do for the Claude CLI.
 */
export async function resolveSecret(
  name: SecretName,
  options: { readonly projectDir?: string; readonly env?: Readonly<Record<string, string | undefined>>; readonly secretStore?: SecretStore },
): Promise<ResolvedSecret> {
  const variable = SECRET_ENV_NAMES[name];
  const fromEnv = (options.env ?? process.env)[variable];
  if (fromEnv !== undefined && fromEnv !== '') return { source: 'environment', value: fromEnv };
  if (options.projectDir !== undefined) {
    const fromFile = (await readDotenvFile(workspacePaths(options.projectDir).envFile)).get(variable);
    if (fromFile !== undefined && fromFile !== '') return { source: 'dotenv', value: fromFile };
  }
  if (options.secretStore !== undefined) {
    try {
      const fromKeychain = await options.secretStore.get(name);
      if (fromKeychain !== null) return { source: 'keychain', value: fromKeychain };
    } catch (error) {
      return { source: 'none', value: null, keychainError: redactSecrets(error instanceof Error ? error.message : String(error)) };
    }
  }
  return { source: 'none', value: null };
}

/** The Anthropic API key, where it came from, masked and format-checked. */
export async function resolveApiKey(options: {
  readonly projectDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly secretStore?: SecretStore;
}): Promise<ResolvedApiKey> {
  const found = await resolveSecret('anthropic-api-key', options);
  if (found.value !== null) registerSecretForRedaction(found.value);
  if (found.value === null) {
    return { source: 'none', key: null, masked: null, format: null, ...(found.keychainError === undefined ? {} : { keychainError: found.keychainError }) };
  }
  return resolved(found.source, found.value);
}

function resolved(source: ApiKeySource, key: string): ResolvedApiKey {
  return { source, key, masked: maskApiKey(key), format: validateApiKeyFormat(key) };
}

/** Outcome of a live key test. */
export type ApiKeyTestResult =
  | { readonly ok: true; readonly latencyMs: number }
  | { readonly ok: false; readonly reason: 'unauthorized' | 'forbidden' | 'network' | 'rate-limited' | 'other'; readonly message: string };

/**
 * Tests a key against the API (GET /v1/models, which costs nothing) at `baseURL` (default the
 * SDK's, or ANTHROPIC_BASE_URL). Never throws; messages are redacted.
 */
export async function testApiKey(options: {
  readonly apiKey: string;
  readonly baseURL?: string;
  readonly timeoutMs?: number;
}): Promise<ApiKeyTestResult> {
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseURL === undefined ? {} : { baseURL: options.baseURL }),
    maxRetries: 0,
    timeout: options.timeoutMs ?? 15_000,
  });
  const started = Date.now();
  try {
    await client.models.list({ limit: 1 });
    return { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    if (error instanceof Anthropic.AuthenticationError) return { ok: false, reason: 'unauthorized', message: `The API rejected the key: ${message}` };
    if (error instanceof Anthropic.PermissionDeniedError) return { ok: false, reason: 'forbidden', message };
    if (error instanceof Anthropic.RateLimitError) return { ok: false, reason: 'rate-limited', message };
    if (error instanceof Anthropic.APIConnectionError) return { ok: false, reason: 'network', message: `Could not reach the API: ${message}` };
    return { ok: false, reason: 'other', message };
  }
}
