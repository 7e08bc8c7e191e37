import { describe, expect, it } from 'vitest';

type Io = { stat(path: string): { uid: number; mode: number }; read(path: string): string; uid: number | undefined };
const { linuxSandboxProblem } = (await import('../../../scripts/linux-sandbox.mjs' as string)) as { linuxSandboxProblem(sandbox: string, io: Io): string | null };

const sandbox = '/repo/node_modules/electron/dist/chrome-sandbox';
const io = (helper: { uid: number; mode: number }, flags: Record<string, string>, uid = 1000): Io => ({
  stat: () => helper,
  read: (file) => {
    const value = flags[file];
    if (value === undefined) throw new Error('ENOENT');
    return `${value}\n`;
  },
  uid,
});
const npmInstalled = { uid: 1000, mode: 0o100755 };
const setuidRoot = { uid: 0, mode: 0o104755 };
const apparmor = { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '1' };

describe('npm start on Linux: the Electron sandbox check', () => {
  it('prints the exact chown/chmod fix where AppArmor restricts user namespaces and the helper is not setuid root', () => {
    const problem = linuxSandboxProblem(sandbox, io(npmInstalled, apparmor));
    expect(problem).toContain('Ubuntu 23.10');
    expect(problem).toContain(`sudo chown root:root '${sandbox}' && sudo chmod 4755 '${sandbox}'`);
  });

  it('says nothing where user namespaces work or the helper is already set up', () => {
    expect(linuxSandboxProblem(sandbox, io(npmInstalled, {}))).toBeNull();
    expect(linuxSandboxProblem(sandbox, io(npmInstalled, { '/proc/sys/kernel/apparmor_restrict_unprivileged_userns': '0' }))).toBeNull();
    expect(linuxSandboxProblem(sandbox, io(setuidRoot, apparmor))).toBeNull();
  });

  it('explains namespaces turned off by sysctl, and running as root', () => {
    expect(linuxSandboxProblem(sandbox, io(npmInstalled, { '/proc/sys/kernel/unprivileged_userns_clone': '0' }))).toContain('unprivileged_userns_clone=0');
    expect(linuxSandboxProblem(sandbox, io(setuidRoot, {}, 0))).toContain('--no-sandbox');
  });
});
