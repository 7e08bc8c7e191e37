import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { proposeChecks, setupFingerprint, setupInputFiles } from '../../../src-main/project/checks';
import { ENV_TEMPLATE } from '../../../src-main/cli/commands/init';
import { makeTempDir, makeTempGitRepo } from '../../support/fake-anthropic';

describe('checks.copy proposals and setup inputs (real git repository)', () => {
  let repo: ReturnType<typeof makeTempGitRepo>;
  beforeEach(() => {
    repo = makeTempGitRepo('co-propose-copy-');
  });
  afterEach(() => repo.cleanup());

  it('proposes git-ignored .env files with settings of the project, and says why others are left out', async () => {
    writeFileSync(join(repo.path, '.gitignore'), '.env\n.env.local\n');
    writeFileSync(join(repo.path, '.env'), ENV_TEMPLATE);
    writeFileSync(join(repo.path, '.env.local'), 'export API_URL=http://localhost:3000\n');
    let proposals = await proposeChecks(repo.path);
    expect(proposals.copy).toEqual([{ value: '.env.local', source: '.env.local is present and git-ignored' }]);
    expect(proposals.notes).toContain('.env has no settings (comments only); not proposed for copying.');

    writeFileSync(join(repo.path, '.env'), 'ANTHROPIC_API_KEY=sk-ant-api03-xyz\n');
    proposals = await proposeChecks(repo.path);
    expect(proposals.copy.map((item) => item.value)).toEqual(['.env.local']);
    expect(proposals.notes.join('\n')).toMatch(/\.env holds only the orchestrator's own keys \(ANTHROPIC_API_KEY\)/);

    writeFileSync(join(repo.path, '.env'), 'ANTHROPIC_API_KEY=sk-ant-api03-xyz\nDATABASE_URL=postgres://db\n');
    proposals = await proposeChecks(repo.path);
    expect(proposals.copy.map((item) => item.value)).toEqual(['.env', '.env.local']);
    expect(proposals.notes.join('\n')).toMatch(/\.env also holds the orchestrator's keys/);

    writeFileSync(join(repo.path, '.gitignore'), '.env.local\n');
    proposals = await proposeChecks(repo.path);
    expect(proposals.copy.map((item) => item.value)).toEqual(['.env.local']);
    expect(proposals.notes.join('\n')).toMatch(/\.env is not git-ignored/);
  });

  it('a folder that is not a repository gets no copy proposals (there are no worktrees to copy into)', async () => {
    const plain = makeTempDir('co-propose-plain-');
    try {
      writeFileSync(join(plain.path, '.env'), 'DATABASE_URL=x\n');
      expect((await proposeChecks(plain.path)).copy).toEqual([]);
    } finally {
      plain.cleanup();
    }
  });

  it('the setup fingerprint changes with the lockfiles (or the configured inputs) and the commands, not with other files', async () => {
    const checks = { setup: ['npm ci'], setup_inputs: [] };
    writeFileSync(join(repo.path, 'package-lock.json'), '{"a":1}');
    expect(setupInputFiles(repo.path, checks)).toEqual(['package-lock.json']);
    const first = await setupFingerprint(repo.path, checks);
    writeFileSync(join(repo.path, 'src.js'), 'change');
    expect(await setupFingerprint(repo.path, checks)).toBe(first);
    writeFileSync(join(repo.path, 'package-lock.json'), '{"a":2}');
    const second = await setupFingerprint(repo.path, checks);
    expect(second).not.toBe(first);
    expect(await setupFingerprint(repo.path, { ...checks, setup: ['npm install'] })).not.toBe(second);
    const configured = { setup: ['make deps'], setup_inputs: ['deps.txt'] };
    expect(setupInputFiles(repo.path, configured)).toEqual(['deps.txt']);
    const missing = await setupFingerprint(repo.path, configured);
    writeFileSync(join(repo.path, 'deps.txt'), 'x');
    expect(await setupFingerprint(repo.path, configured)).not.toBe(missing);
  });
});
