import type { MethodOutput } from '../../../src-shared/rpc/contract';
import { RpcError } from '../../../src-shared/rpc/errors';
import { maskApiKey, resolveSecret, SECRET_ENV_NAMES } from '../../workspace/api-key';
import { maskSecret } from '../../workspace/redact';
import { InvalidSecretError, KEYCHAIN_ALTERNATIVE, SecretStoreUnavailableError, type SecretName, type SecretStore } from '../../workspace/secret-store';

/** The environment the host resolves keys from. */
export type HostEnvironment = Readonly<Record<string, string | undefined>>;

/** Where the API key and the Slack webhook come from, masked; never a value. */
export async function secretsStatus(options: {
  readonly store: SecretStore;
  readonly env: HostEnvironment;
  readonly projectDir?: string;
  readonly slackWebhookInFile?: string | null;
}): Promise<MethodOutput<'secrets.status'>> {
  const { store, env } = options;
  const lookup = { env, secretStore: store, ...(options.projectDir === undefined ? {} : { projectDir: options.projectDir }) };
  const [available, apiKey, webhook] = await Promise.all([store.isAvailable(), resolveSecret('anthropic-api-key', lookup), resolveSecret('slack-webhook-url', lookup)]);
  const fromFile = options.slackWebhookInFile ?? null;
  const webhookSource = webhook.source !== 'environment' && fromFile !== null ? 'config' : webhook.source;
  const webhookValue = webhookSource === 'config' ? fromFile : webhook.value;
  return {
    keychainAvailable: available,
    keychainMessage: available ? null : `The OS keychain (Secret Service) is not available, so keys cannot be saved from here. ${KEYCHAIN_ALTERNATIVE}`,
    apiKey: { source: apiKey.source, masked: apiKey.value === null ? null : maskApiKey(apiKey.value) },
    slackWebhook: { source: webhookSource, masked: webhookValue === null ? null : maskWebhook(webhookValue) },
  };
}

/** Stores a secret in the keychain; a malformed value is invalid_input, no keychain is failed_precondition with where to put it instead. */
export async function storeSecret(store: SecretStore, name: SecretName, value: string): Promise<void> {
  try {
    await store.set(name, value);
  } catch (error) {
    throw secretError(error, name);
  }
}

/** Removes a secret from the keychain; false when there was none. */
export async function deleteSecret(store: SecretStore, name: SecretName): Promise<boolean> {
  try {
    return await store.delete(name);
  } catch (error) {
    throw secretError(error, name);
  }
}

function secretError(error: unknown, name: SecretName): unknown {
  if (error instanceof InvalidSecretError) return new RpcError('invalid_input', error.message, [{ path: 'value', message: error.message }]);
  if (error instanceof SecretStoreUnavailableError) {
    return new RpcError('failed_precondition', `${error.message} (${SECRET_ENV_NAMES[name]} is the variable for this key.)`);
  }
  return error;
}

/** "https://hooks.slack.com/***abcd": the host stays readable, the path is hidden. */
function maskWebhook(url: string): string {
  const host = /^https:\/\/[^/]+\//.exec(url)?.[0] ?? '';
  return `${host}${maskSecret(url.slice(host.length), { keepPrefix: 0, showTail: true })}`;
}
