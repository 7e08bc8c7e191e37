import { describe, expect, it } from 'vitest';
import { formatCheckLine } from '../../../src-main/cli/commands/check';
import { checkApiKey, checkKeychain, claudeLoginOf, checkNodeVersion, probeKeychain, type SetupCheckResult } from '../../../src-main/runtime/setup-checks';
import { maskApiKey, validateApiKeyFormat, type ResolvedApiKey } from '../../../src-main/workspace/api-key';
import { SecretStore, type KeychainBackend } from '../../../src-main/workspace/secret-store';

const API_KEY = `sk-ant-api03-${'Unit7Check'.repeat(8)}-unitKEYtestAA`;
const KEY_BODY = API_KEY.slice(14, 70);

function found(source: ResolvedApiKey['source'], key: string): ResolvedApiKey {
  return { source, key, masked: maskApiKey(key), format: validateApiKeyFormat(key) };
}

const NONE: ResolvedApiKey = { source: 'none', key: null, masked: null, format: null };
const AVAILABLE = { available: true } as const;
const UNAVAILABLE = { available: false, reason: 'no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set' } as const;

/** A keychain that fails every call the way keytar does without a Secret Service. */
const brokenKeychain: KeychainBackend = {
  getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY\n    at Object.getPassword (keytar.js:1:1)')),
  setPassword: () => Promise.reject(new Error('unused')),
  deletePassword: () => Promise.reject(new Error('unused')),
};

describe('shared setup checks', () => {
  it('accepts Node 20.19 and newer, and says which version to install otherwise', () => {
    expect(checkNodeVersion('20.19.0')).toMatchObject({ id: 'node', name: 'Node.js', ok: true, fix: null });
    expect(checkNodeVersion('22.1.0').ok).toBe(true);
    expect(checkNodeVersion('20.18.3')).toEqual({ id: 'node', name: 'Node.js', ok: false, required: true, detail: 'Node 20.18.3', fix: 'Install Node 20.19 or newer.' });
  });

  it('reports where the API key came from, masked, never the key', () => {
    for (const [source, where] of [
      ['environment', 'the environment (ANTHROPIC_API_KEY)'],
      ['dotenv', 'the project’s .env'],
      ['keychain', 'the OS keychain'],
    ] as const) {
      const check = checkApiKey(found(source, API_KEY), { keychain: AVAILABLE, withProject: true });
      expect(check).toMatchObject({ ok: true, required: true, fix: null, detail: expect.stringContaining(`From ${where} (sk-ant-api03-***`) as unknown as string });
      expect(JSON.stringify(check)).not.toContain(KEY_BODY);
    }
  });

  it('without a key says where it looked, and mentions the keychain being unavailable when it is', () => {
    const missing = checkApiKey(NONE, { keychain: AVAILABLE, withProject: true });
    expect(missing).toMatchObject({ ok: false, required: true, detail: expect.stringContaining('or the OS keychain') as unknown as string, fix: expect.stringContaining('ANTHROPIC_API_KEY') as unknown as string });
    const noKeychain = checkApiKey(NONE, { keychain: UNAVAILABLE, withProject: false });
    expect(noKeychain.detail).toBe('No Anthropic API key in the environment (ANTHROPIC_API_KEY), and the OS keychain is not available to look in; no Claude Code login found.');
    expect(noKeychain.fix).toContain('start a Secret Service');
    // Both ways out: a key, or a Claude Code login (a subscription).
    expect(noKeychain.fix).toMatch(/ANTHROPIC_API_KEY.*sign in to Claude Code .*CLAUDE_CODE_OAUTH_TOKEN/);
    // The keychain failing while the key was looked up counts too, even if the probe had answered.
    expect(checkApiKey({ ...NONE, keychainError: 'The OS keychain is not available (…).' }, { keychain: AVAILABLE, withProject: true }).detail).toContain('not available');
  });

  it('without a key but with a Claude Code login, passes and says the login does the work, unless the config sends calls over the API', () => {
    const login = checkApiKey(NONE, { keychain: AVAILABLE, withProject: true, claudeLogin: 'from CLAUDE_CODE_OAUTH_TOKEN' });
    expect(login).toMatchObject({ ok: true, required: false, fix: null, detail: 'No Anthropic API key (not needed): the manager and the workers use your Claude Code login (from CLAUDE_CODE_OAUTH_TOKEN).' });
    const apiConfigured = checkApiKey(NONE, { keychain: AVAILABLE, withProject: true, claudeLogin: 'from CLAUDE_CODE_OAUTH_TOKEN', apiNeeded: true });
    expect(apiConfigured).toMatchObject({ ok: false, required: true });
    expect(apiConfigured.detail).toContain('which needs a key');
    expect(claudeLoginOf({ CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-x' }, 'linux')).toBe('from CLAUDE_CODE_OAUTH_TOKEN');
    expect(claudeLoginOf({ HOME: '/nonexistent-home' }, 'linux')).toBeNull();
    expect(claudeLoginOf({ HOME: '/nonexistent-home' }, 'darwin')).toMatch(/macOS keychain/);
  });

  it('refuses a key that looks wrong, without showing it', () => {
    const check = checkApiKey(found('environment', 'sk-ant-api03-short'), { keychain: AVAILABLE, withProject: true });
    expect(check).toMatchObject({ ok: false, fix: 'Copy the key again from the Anthropic console and save it again.' });
    expect(check.detail).not.toContain('sk-ant-api03-short');
  });

  it('treats the keychain as optional and gives the fix when it is missing', () => {
    expect(checkKeychain(AVAILABLE)).toMatchObject({ id: 'keychain', ok: true, required: false, fix: null });
    const missing = checkKeychain(UNAVAILABLE);
    expect(missing).toMatchObject({ ok: false, required: false });
    expect(missing.detail).toContain('is not available (no D-Bus session: DBUS_SESSION_BUS_ADDRESS is not set)');
    expect(missing.fix).toMatch(/^Start a Secret Service \(e\.g\. gnome-keyring\) in your session, or: Set ANTHROPIC_API_KEY/);
  });

  it('probes the keychain without a stack trace, and gives up on one that does not answer', async () => {
    expect(await probeKeychain(new SecretStore({ backend: brokenKeychain }), {})).toEqual(
      process.platform === 'linux' ? UNAVAILABLE : { available: false, reason: null },
    );
    const silent: KeychainBackend = { ...brokenKeychain, getPassword: () => new Promise(() => undefined) };
    expect(await probeKeychain(new SecretStore({ backend: silent }), {}, 50)).toEqual({ available: false, reason: 'it did not answer within 0.05 s' });
    const working: KeychainBackend = { ...brokenKeychain, getPassword: () => Promise.resolve(null) };
    expect(await probeKeychain(new SecretStore({ backend: working }), {})).toEqual(AVAILABLE);
  });
});

describe('co check lines', () => {
  const check = (fields: Partial<SetupCheckResult>): SetupCheckResult => ({ id: 'keychain', name: 'keychain', ok: true, required: true, detail: 'detail', fix: null, ...fields });

  it('marks passed ✓, failed ✗ and failed-but-optional !, with the fix on its own line', () => {
    expect(formatCheckLine(check({ name: 'Node.js', detail: 'Node 22.1.0' }))).toBe('✓ Node.js      Node 22.1.0');
    expect(formatCheckLine(check({ name: 'API key', ok: false, detail: 'No key.', fix: 'Set it.' }))).toBe('✗ API key      No key.\n  → Set it.');
    expect(formatCheckLine(check({ ok: false, required: false, detail: 'Not available.', fix: 'Start one.' }))).toBe('! keychain     Not available.\n  → Start one.');
  });
});
