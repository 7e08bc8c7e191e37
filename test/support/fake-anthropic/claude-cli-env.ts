import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FakeAnthropic } from './server';

/** The Claude Code CLI installed in this repository's node_modules. */
export const CLAUDE_BIN = resolve(import.meta.dirname, '../../../node_modules/.bin/claude');

/** The API key tests use; the fake accepts it unless told otherwise. */
export const TEST_API_KEY = 'sk-ant-test';

/**
 * Environment for running the real Claude Code CLI against the fake: an isolated HOME and
 * config folder, no telemetry, updater or side traffic, few retries. Nothing is inherited
 * from the developer's environment except PATH, so a real key can never leak in.
 */
export function claudeTestEnv(fake: FakeAnthropic, home: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    ANTHROPIC_BASE_URL: fake.url,
    ANTHROPIC_API_KEY: TEST_API_KEY,
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    CLAUDE_CODE_MAX_RETRIES: '1',
    ...extra,
  };
}

/** A fresh temporary folder; remove it with the returned cleanup. */
export function makeTempDir(prefix: string): { readonly path: string; readonly cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A fresh git repository with one commit (README.md), for CLI tests. */
export function makeTempGitRepo(prefix = 'co-repo-'): { readonly path: string; readonly cleanup: () => void } {
  const dir = makeTempDir(prefix);
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir.path, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'Test');
  writeFileSync(join(dir.path, 'README.md'), '# Test repo\n');
  git('add', '.');
  git('commit', '-q', '-m', 'initial');
  return dir;
}
