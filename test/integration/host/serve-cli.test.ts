import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServeProcess } from '../../support/serve-process';

const repoRoot = join(import.meta.dirname, '..', '..', '..');

describe('co serve (built CLI as a child process)', () => {
  it('prints a tokened loopback URL, serves the renderer, and refuses a WebSocket without the token', async () => {
    expect(existsSync(join(repoRoot, 'dist', 'main', 'cli.mjs')), 'run `npm run build` before the integration tests').toBe(true);
    const serve = await startServeProcess();
    try {
      expect(serve.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const page = await fetch(serve.url);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await page.text()).toContain('<div id="root">');
      expect((await fetch(`${serve.origin}/..%2f..%2fpackage.json`)).status).toBeGreaterThanOrEqual(400);

      const refused = await new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(`${serve.origin.replace('http', 'ws')}/rpc`);
        ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
        ws.once('open', () => reject(new Error('connected without a token')));
      });
      expect(refused).toBe(401);
    } finally {
      await serve.stop();
    }
  });

  it('says clearly when given a bad port or a non-loopback host', () => {
    const badPort = spawnSync(process.execPath, [join(repoRoot, 'bin', 'co.js'), 'serve', '--port', 'eighty'], { encoding: 'utf8' });
    expect(badPort.status).toBe(1);
    expect(badPort.stderr.trim()).toBe('co: --port must be a whole number from 0 to 65535 (0 picks a free port); got "eighty".');
    const publicHost = spawnSync(process.execPath, [join(repoRoot, 'bin', 'co.js'), 'serve', '--host', '0.0.0.0'], {
      encoding: 'utf8',
      env: { ...process.env, CO_USER_DATA: join(repoRoot, 'test-results', 'serve-cli-user-data') },
    });
    expect(publicHost.status).toBe(1);
    expect(publicHost.stderr).toContain('only on loopback');
  });
});
