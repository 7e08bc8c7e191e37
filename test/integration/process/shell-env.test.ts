import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveShellEnv } from '../../../src-main/process/shell-env';

/** The user's environment as a GUI-launched app sees it, read from a real bash with its startup files. */
describe('resolveShellEnv: the environment of the user login shell', () => {
  let home: string;
  const bareEnv = (): NodeJS.ProcessEnv => ({ HOME: home, PATH: '/usr/bin:/bin' });

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'co-shell-env-'));
  });

  afterEach(() => {
    rmSync(home, { recursive: true, force: true });
  });

  it('picks up PATH and variables set in the startup files, ignoring what they print', { timeout: 30_000 }, async () => {
    writeFileSync(
      join(home, '.bash_profile'),
      ['echo "Welcome back!"', 'export PATH="$HOME/.local/bin:$PATH"', 'export CO_FROM_PROFILE=yes', "export CO_TWO_LINES=$'first\\nsecond'", '. "$HOME/.bashrc"'].join('\n'),
    );
    writeFileSync(join(home, '.bashrc'), 'export CO_FROM_RC="with = sign"\necho rc noise >&1\n');
    const env = await resolveShellEnv({ shell: '/bin/bash', env: bareEnv() });
    expect(env['PATH']?.split(':')[0]).toBe(join(home, '.local', 'bin'));
    expect(env['CO_FROM_PROFILE']).toBe('yes');
    expect(env['CO_FROM_RC']).toBe('with = sign');
    expect(env['CO_TWO_LINES']).toBe('first\nsecond');
    expect(env['HOME']).toBe(home);
    expect(env['SHLVL']).toBeUndefined();
    expect(env['CO_RESOLVING_SHELL_ENV']).toBeUndefined();
  });

  it('gives up after the timeout on a shell whose startup hangs', { timeout: 30_000 }, async () => {
    writeFileSync(join(home, '.bash_profile'), 'sleep 30\n');
    await expect(resolveShellEnv({ shell: '/bin/bash', env: bareEnv(), timeoutMs: 500 })).rejects.toThrow(/took over 0.5 s to start/);
  });

  it('rejects when the shell does not exist', { timeout: 30_000 }, async () => {
    await expect(resolveShellEnv({ shell: join(home, 'no-such-shell'), env: bareEnv() })).rejects.toThrow(/ENOENT/);
  });
});
