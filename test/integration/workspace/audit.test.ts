import { createServer, type Server } from 'node:http';
import { chmod, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureWorkspace, runSecurityAudit, testApiKey } from '../../../src-main/workspace';
import { fake } from './fake-secrets';
import { git, makeRepo, writeFiles } from './git-fixtures';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const CLEAN_FILES = {
  'README.md': '# Demo\n\nSet ANTHROPIC_API_KEY=sk-ant-... in your environment.\n',
  'src/index.ts': 'export const token = process.env.API_TOKEN;\nconst password = getPassword();\nexport const apiKey = "YOUR_API_KEY_HERE_PLEASE";\n',
  'src/util.py': 'def secret_name():\n    return "not-a-secret"\n',
  'package.json': '{ "name": "demo", "version": "1.0.0" }\n',
};

async function project(files: Record<string, string> = CLEAN_FILES): Promise<string> {
  const repo = await makeRepo(files);
  cleanups.push(repo.cleanup);
  await ensureWorkspace(repo.dir);
  return repo.dir;
}

describe('security audit', () => {
  it('reports nothing in a clean project', async () => {
    const dir = await project();
    await writeFile(path.join(dir, '.env'), `ANTHROPIC_API_KEY=${fake.anthropic(31)}\n`, { mode: 0o600 });
    await chmod(path.join(dir, '.env'), 0o600);
    git(dir, 'add', '.gitignore');
    await writeFile(path.join(dir, '.gitignore'), '.orchestrator/\n.env\n');
    const result = await runSecurityAudit({ projectDir: dir, env: {} });
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.secrets.findings).toEqual([]);
    expect(result.secrets.filesScanned).toBeGreaterThanOrEqual(5);
    expect(result.apiKey).toMatchObject({ source: 'dotenv', formatValid: true });
    expect(result.permissions.envFile).toMatchObject({ exists: true, actual: '600', ok: true });
    expect(result.permissions.orchestratorDir).toMatchObject({ exists: true, actual: '700', ok: true });
    expect(JSON.stringify(result)).not.toContain(fake.anthropic(31));
  });

  it('finds planted secrets of several formats with file:line and masked values, skipping .git, node_modules and binaries', async () => {
    const dir = await project();
    const planted = {
      'src/config.ts': `// config\nexport const anthropicKey = '${fake.anthropic(41)}';\n`,
      'scripts/deploy.sh': `#!/bin/sh\n\nexport GITHUB_TOKEN=${fake.github(42)}\n`,
      'config/aws.json': `{\n  "accessKeyId": "${fake.awsKeyId(43)}"\n}\n`,
      'notify.py': `URL = "${fake.slackWebhook(44)}"\n`,
      'keys/id_rsa': `${fake.privateKey(45)}\n`,
      '.env.example': `OPENAI_API_KEY=${fake.openai(46)}\n`,
      'billing.rb': `Stripe.api_key = "${fake.stripe(47)}"\n`,
      'app.yml': `db:\n  password: "${fake.password(48)}"\n`,
      'node_modules/pkg/index.js': `module.exports = '${fake.anthropic(49)}';\n`,
      'vendor/blob.bin': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(fake.anthropic(50))]).toString('latin1'),
    };
    await writeFiles(dir, planted);
    await writeFile(path.join(dir, '.git', 'leak.txt'), fake.anthropic(51));
    await writeFile(path.join(dir, '.orchestrator', 'logs', 'run.log'), fake.anthropic(52));
    const result = await runSecurityAudit({ projectDir: dir, env: { ANTHROPIC_API_KEY: fake.anthropic(53) } });

    const where = result.secrets.findings.map((found) => `${found.file}:${found.line} ${found.ruleId}`);
    expect(where).toEqual([
      '.env.example:1 openai-api-key',
      'app.yml:2 generic-secret-assignment',
      'billing.rb:1 stripe-key',
      'config/aws.json:2 aws-access-key-id',
      'keys/id_rsa:1 private-key',
      'notify.py:1 slack-webhook-url',
      'scripts/deploy.sh:3 github-token',
      'src/config.ts:2 anthropic-api-key',
    ]);
    expect(result.secrets.findings.find((found) => found.ruleId === 'anthropic-api-key')?.masked).toMatch(/^sk-ant-api03-\*\*\*.{4}$/);
    expect(result.ok).toBe(false);
    expect(result.findings.filter((finding) => finding.code.startsWith('secret.'))).toHaveLength(8);
    expect(result.apiKey).toMatchObject({ source: 'environment', formatValid: true });
    const json = JSON.stringify(result);
    for (const secret of [fake.anthropic(41), fake.github(42), fake.awsKeyId(43), fake.slackWebhook(44), fake.openai(46), fake.stripe(47), fake.password(48), fake.anthropic(53)]) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toContain(fake.privateKey(45).split('\n')[1]);
  });

  it('flags loose permissions, a committed .env, a malformed key and unsafe environment settings', async () => {
    const dir = await project();
    await writeFile(path.join(dir, '.env'), 'ANTHROPIC_API_KEY=sk-ant-wrong\n');
    await chmod(path.join(dir, '.env'), 0o644);
    await chmod(path.join(dir, '.orchestrator'), 0o755);
    git(dir, 'add', '-f', '.env');
    git(dir, 'commit', '-q', '-m', 'oops');
    const result = await runSecurityAudit({
      projectDir: dir,
      env: { ANTHROPIC_BASE_URL: 'http://api.example.com', NODE_TLS_REJECT_UNAUTHORIZED: '0' },
    });
    expect(result.permissions.envFile).toMatchObject({ actual: '644', expected: '600', ok: false });
    expect(result.permissions.orchestratorDir).toMatchObject({ actual: '755', expected: '700', ok: false });
    expect(result.apiKey).toMatchObject({ source: 'dotenv', formatValid: false });
    expect(result.findings.map((finding) => finding.code).sort()).toEqual([
      'api-key.format',
      'env-file.tracked',
      'env.ANTHROPIC_BASE_URL',
      'env.NODE_TLS_REJECT_UNAUTHORIZED',
      'permissions.env-file',
      'permissions.orchestrator-dir',
    ]);
    expect(result.findings.find((finding) => finding.code === 'permissions.env-file')?.fix).toBe(`chmod 600 ${path.join(dir, '.env')}`);
    expect(result.ok).toBe(false);
  });
});

describe('live API key test', () => {
  async function fakeApi(validKey: string): Promise<string> {
    const server: Server = createServer((request, response) => {
      // SDK versions differ: older ones send x-api-key, newer ones a bearer token.
      const authorized = request.headers['x-api-key'] === validKey || request.headers.authorization === `Bearer ${validKey}`;
      response.setHeader('content-type', 'application/json');
      if (request.method === 'GET' && request.url?.startsWith('/v1/models') && authorized) {
        response.end(JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null }));
        return;
      }
      response.statusCode = authorized ? 404 : 401;
      response.end(JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it('accepts a working key, rejects a wrong one and reports an unreachable API, without leaking the key', async () => {
    const baseURL = await fakeApi(fake.anthropic(61));
    const good = await testApiKey({ apiKey: fake.anthropic(61), baseURL });
    expect(good, JSON.stringify(good)).toMatchObject({ ok: true });
    const wrong = await testApiKey({ apiKey: fake.anthropic(62), baseURL });
    expect(wrong).toMatchObject({ ok: false, reason: 'unauthorized' });
    expect(JSON.stringify(wrong)).not.toContain(fake.anthropic(62));
    const closed = await fakeApi('unused');
    await cleanups.pop()?.();
    expect(await testApiKey({ apiKey: fake.anthropic(61), baseURL: closed, timeoutMs: 5_000 })).toMatchObject({ ok: false, reason: 'network' });
  });
});
