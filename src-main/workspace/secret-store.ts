import { redactSecrets, registerSecretForRedaction } from './redact';
import { validateApiKeyFormat } from './api-key';
import { assertNever } from '../../src-shared/domain/assert-never';

/** Keychain service name every secret of the app is stored under. */
export const KEYCHAIN_SERVICE = 'claude-orchestrator';

/** The secrets the app keeps in the OS keychain. */
export type SecretName = 'anthropic-api-key' | 'slack-webhook-url' | 'github-token';

/** Where a key can go when the OS keychain is not available; shown to the user verbatim. */
export const KEYCHAIN_ALTERNATIVE =
  'Set ANTHROPIC_API_KEY in the environment, or put ANTHROPIC_API_KEY=… in the project’s .env file (chmod 600; it is git-ignored). ' +
  'The Slack webhook can go in SLACK_WEBHOOK_URL the same way; a GitHub token in the GITHUB_TOKEN environment variable.';

/** The part of keytar the store uses (so tests and other platforms can supply their own). */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** The OS keychain cannot be used (no Secret Service, no D-Bus session, keytar not built). Nothing was stored. */
export class SecretStoreUnavailableError extends Error {
  override readonly name = 'SecretStoreUnavailableError';
  constructor(cause: string) {
    super(`The OS keychain is not available (${redactSecrets(cause)}). Nothing was stored. ${KEYCHAIN_ALTERNATIVE}`);
  }
}

/** A value was refused before it reached the keychain. */
export class InvalidSecretError extends Error {
  override readonly name = 'InvalidSecretError';
}

/** Secrets in the OS keychain through keytar, under service 'claude-orchestrator'. */
export class SecretStore {
  private readonly service: string;
  private readonly accountPrefix: string;
  private backend: Promise<KeychainBackend> | null;

  /** `accountPrefix` keeps tests (and profiles) apart; `backend` defaults to keytar, loaded on first use. */
  constructor(options: { readonly service?: string; readonly accountPrefix?: string; readonly backend?: KeychainBackend } = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.accountPrefix = options.accountPrefix ?? '';
    this.backend = options.backend === undefined ? null : Promise.resolve(options.backend);
  }

  /** The stored value, or null. Throws SecretStoreUnavailableError without a keychain. */
  async get(name: SecretName): Promise<string | null> {
    const value = await this.call((backend) => backend.getPassword(this.service, this.account(name)));
    if (value !== null) registerSecretForRedaction(value);
    return value;
  }

  /** Validates then stores a secret; never falls back to a file. */
  async set(name: SecretName, value: string): Promise<void> {
    assertValidSecret(name, value);
    registerSecretForRedaction(value);
    await this.call((backend) => backend.setPassword(this.service, this.account(name), value));
  }

  /** Removes a secret; false when there was none. */
  async delete(name: SecretName): Promise<boolean> {
    return this.call((backend) => backend.deletePassword(this.service, this.account(name)));
  }

  /** True when the keychain answers (a read of a missing entry succeeds). */
  async isAvailable(): Promise<boolean> {
    return this.call((backend) => backend.getPassword(this.service, `${this.accountPrefix}availability-probe`)).then(
      () => true,
      () => false,
    );
  }

  private account(name: SecretName): string {
    return `${this.accountPrefix}${name}`;
  }

  private async call<T>(operation: (backend: KeychainBackend) => Promise<T>): Promise<T> {
    this.backend ??= loadKeytar();
    let backend: KeychainBackend;
    try {
      backend = await this.backend;
    } catch (error) {
      this.backend = null;
      throw new SecretStoreUnavailableError(`keytar could not be loaded: ${messageOf(error)}`);
    }
    try {
      return await operation(backend);
    } catch (error) {
      throw new SecretStoreUnavailableError(messageOf(error));
    }
  }
}

async function loadKeytar(): Promise<KeychainBackend> {
  const loaded = (await import('keytar')) as unknown as KeychainBackend & { default?: KeychainBackend };
  return loaded.default ?? loaded;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Refuses malformed values before they are stored. */
function assertValidSecret(name: SecretName, value: string): void {
  switch (name) {
    case 'anthropic-api-key': {
      const format = validateApiKeyFormat(value);
      if (!format.valid) throw new InvalidSecretError(`Not an Anthropic API key: ${format.reason}`);
      return;
    }
    case 'slack-webhook-url':
      if (!/^https:\/\/hooks\.slack(?:-gov)?\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9/_-]+$/.test(value)) {
        throw new InvalidSecretError('Not a Slack webhook URL: expected https://hooks.slack.com/services/….');
      }
      return;
    case 'github-token':
      if (!/^[A-Za-z0-9_]{20,255}$/.test(value)) throw new InvalidSecretError('Not a GitHub token: expected ghp_…, github_pat_… or another token of letters, digits and "_".');
      return;
    default:
      assertNever(name);
  }
}
