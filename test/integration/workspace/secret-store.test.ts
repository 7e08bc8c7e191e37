import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidSecretError, resolveApiKey, SecretStore } from '../../../src-main/workspace';
import { fake } from './fake-secrets';
import { tempDir } from './git-fixtures';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => !entry.isDirectory()).map((entry) => path.join(entry.parentPath, entry.name));
}

const hasSecretService = Boolean(process.env['DBUS_SESSION_BUS_ADDRESS']);
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

describe.skipIf(!hasSecretService)('secret store under gnome-keyring (run via scripts/with-keyring.sh)', () => {
  function store(): SecretStore {
    const secrets = new SecretStore({ accountPrefix: `test-${randomUUID()}/` });
    cleanups.push(() => secrets.delete('anthropic-api-key'), () => secrets.delete('slack-webhook-url'));
    return secrets;
  }

  it('sets, gets and deletes the API key and the Slack webhook', async () => {
    const secrets = store();
    expect(await secrets.isAvailable()).toBe(true);
    expect(await secrets.get('anthropic-api-key')).toBeNull();
    await secrets.set('anthropic-api-key', fake.anthropic());
    await secrets.set('slack-webhook-url', fake.slackWebhook());
    expect(await secrets.get('anthropic-api-key')).toBe(fake.anthropic());
    expect(await secrets.get('slack-webhook-url')).toBe(fake.slackWebhook());
    expect(await secrets.delete('anthropic-api-key')).toBe(true);
    expect(await secrets.get('anthropic-api-key')).toBeNull();
    expect(await secrets.delete('anthropic-api-key')).toBe(false);
    expect(await secrets.get('slack-webhook-url')).toBe(fake.slackWebhook());
  });

  it('refuses malformed values without storing them', async () => {
    const secrets = store();
    await expect(secrets.set('anthropic-api-key', 'sk-ant-oops')).rejects.toBeInstanceOf(InvalidSecretError);
    await expect(secrets.set('slack-webhook-url', 'http://example.com/hook')).rejects.toThrow('Not a Slack webhook URL');
    expect(await secrets.get('anthropic-api-key')).toBeNull();
    expect(await secrets.get('slack-webhook-url')).toBeNull();
  });

  it('reports where the key came from: environment over .env over keychain', async () => {
    const secrets = store();
    const project = await tempDir();
    cleanups.push(project.cleanup);
    await secrets.set('anthropic-api-key', fake.anthropic(11));
    expect(await resolveApiKey({ projectDir: project.dir, env: {}, secretStore: secrets })).toMatchObject({ source: 'keychain', key: fake.anthropic(11), format: { valid: true } });
    await writeFile(path.join(project.dir, '.env'), `# keys\nANTHROPIC_API_KEY="${fake.anthropic(12)}"\n`, { mode: 0o600 });
    expect(await resolveApiKey({ projectDir: project.dir, env: {}, secretStore: secrets })).toMatchObject({ source: 'dotenv', key: fake.anthropic(12) });
    const fromEnv = await resolveApiKey({ projectDir: project.dir, env: { ANTHROPIC_API_KEY: fake.anthropic(13) }, secretStore: secrets });
    expect(fromEnv).toMatchObject({ source: 'environment', key: fake.anthropic(13) });
    expect(fromEnv.masked).not.toContain(fake.anthropic(13).slice(20, 40));
  });
});

describe('secret store without a Secret Service', () => {
  it('fails with a clear message naming the alternatives and writes nothing anywhere', async () => {
    const home = await tempDir('co-home-');
    const project = await tempDir('co-proj-');
    cleanups.push(home.cleanup, project.cleanup);
    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (value !== undefined && !/^(DBUS_|DISPLAY$|WAYLAND_DISPLAY$|XDG_RUNTIME_DIR$|ORCHESTRATOR_IN_KEYRING$)/.test(name)) env[name] = value;
    }
    Object.assign(env, { HOME: home.dir, XDG_CONFIG_HOME: path.join(home.dir, '.config'), XDG_DATA_HOME: path.join(home.dir, '.local/share') });
    const child = path.join(import.meta.dirname, 'fixtures', 'no-keyring-child.ts');
    const tsxLoader = pathToFileURL(path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', tsxLoader, child, fake.anthropic(21)], {
      cwd: project.dir,
      env,
      timeout: 45_000,
    });
    const report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { stored: boolean; name?: string; message?: string; available?: boolean };
    expect(report.stored).toBe(false);
    expect(report.available).toBe(false);
    expect(report.name).toBe('SecretStoreUnavailableError');
    expect(report.message).toMatch(/OS keychain is not available/);
    expect(report.message).toMatch(/Nothing was stored/);
    expect(report.message).toContain('ANTHROPIC_API_KEY');
    expect(report.message).toContain('.env');
    expect(report.message).not.toContain(fake.anthropic(21));
    // GLib may create an empty ~/.cache folder while probing for D-Bus; no file may appear anywhere.
    expect(await filesUnder(home.dir)).toEqual([]);
    expect(await filesUnder(project.dir)).toEqual([]);
  });
});
