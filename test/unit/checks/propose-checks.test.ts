import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { proposeChecks, proposedValues } from '../../../src-main/project/checks';

/** A fixture folder made of the given files (path → content; objects are written as JSON). */
function fixture(files: Readonly<Record<string, string | object>>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'co-checks-'));
  created.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}
const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const values = async (dir: string) => proposedValues(await proposeChecks(dir));

describe('proposeChecks: JavaScript projects', () => {
  it('npm with a lockfile: npm ci, then lint, typecheck and test, each naming its script and lockfile', async () => {
    const dir = fixture({
      'package.json': { scripts: { test: 'vitest run', lint: 'eslint .', typecheck: 'tsc --noEmit', build: 'vite build' }, devDependencies: { vitest: '3' } },
      'package-lock.json': '{}',
    });
    const proposals = await proposeChecks(dir);
    expect(proposals.setup).toEqual([{ value: 'npm ci', source: 'package-lock.json (npm)' }]);
    expect(proposals.verify).toEqual([
      { value: 'npm run lint', source: 'package.json script "lint" (npm, package-lock.json)' },
      { value: 'npm run typecheck', source: 'package.json script "typecheck" (npm, package-lock.json)' },
      { value: 'npm test', source: 'package.json script "test" (npm, package-lock.json)' },
    ]);
    expect(proposals.copy).toEqual([]);
  });

  it('npm without a lockfile installs with npm install, and only when there are dependencies', async () => {
    expect(await values(fixture({ 'package.json': { scripts: { test: 'node --test' }, dependencies: { zod: '4' } } }))).toEqual({ setup: ['npm install'], verify: ['npm test'], copy: [] });
    expect(await values(fixture({ 'package.json': { scripts: { test: 'node --test' } } }))).toEqual({ setup: [], verify: ['npm test'], copy: [] });
  });

  it('uses the package manager of the lockfile: pnpm, yarn classic and berry, bun', async () => {
    const scripts = { test: 'jest', 'type-check': 'tsc', check: 'svelte-check' };
    expect(await values(fixture({ 'package.json': { scripts }, 'pnpm-lock.yaml': 'lockfileVersion: 9' }))).toEqual({
      setup: ['pnpm install --frozen-lockfile'],
      verify: ['pnpm run type-check', 'pnpm test', 'pnpm run check'],
      copy: [],
    });
    expect((await values(fixture({ 'package.json': { scripts }, 'yarn.lock': '# yarn lockfile v1\n' }))).setup).toEqual(['yarn install --frozen-lockfile']);
    expect((await values(fixture({ 'package.json': { scripts }, 'yarn.lock': '__metadata:\n  version: 8\n' }))).setup).toEqual(['yarn install --immutable']);
    expect(await values(fixture({ 'package.json': { scripts: { test: 'bun test', lint: 'biome check' } }, 'bun.lock': '{}' }))).toEqual({
      setup: ['bun install --frozen-lockfile'],
      verify: ['bun run lint', 'bun run test'],
      copy: [],
    });
    // No lockfile: the packageManager field decides.
    expect((await values(fixture({ 'package.json': { packageManager: 'pnpm@9.1.0', scripts: { test: 'vitest' }, dependencies: { a: '1' } } }))).setup).toEqual(['pnpm install']);
  });

  it("skips npm's placeholder test script and a script another proposed script already runs, saying so", async () => {
    const placeholder = await proposeChecks(fixture({ 'package.json': { scripts: { test: 'echo "Error: no test specified" && exit 1' } } }));
    expect(placeholder.verify).toEqual([]);
    expect(placeholder.notes.join('\n')).toMatch(/placeholder test script/);

    const aggregated = await proposeChecks(fixture({ 'package.json': { scripts: { lint: 'eslint .', typecheck: 'tsc', test: 'vitest run', check: 'npm run lint && npm run typecheck && npm test' } }, 'package-lock.json': '{}' }));
    expect(aggregated.verify.map((item) => item.value)).toEqual(['npm run check']);
    expect(aggregated.notes.join('\n')).toMatch(/script "lint" is not proposed on its own: script "check" already runs it/);
  });

  it('reports two package managers’ lockfiles and an unreadable package.json', async () => {
    const two = await proposeChecks(fixture({ 'package.json': { scripts: { test: 'x' } }, 'pnpm-lock.yaml': '', 'package-lock.json': '{}' }));
    expect(two.setup.map((item) => item.value)).toEqual(['pnpm install --frozen-lockfile']);
    expect(two.notes.join('\n')).toMatch(/Several lockfiles \(pnpm-lock.yaml, package-lock.json\)/);
    const broken = await proposeChecks(fixture({ 'package.json': '{ not json' }));
    expect(broken.verify).toEqual([]);
    expect(broken.notes.join('\n')).toMatch(/package.json is not valid JSON/);
  });
});

describe('proposeChecks: Python, Rust, Go and make', () => {
  it('pytest with uv, Poetry, requirements files and pip', async () => {
    expect(await values(fixture({ 'pyproject.toml': '[project]\nname = "a"\n\n[tool.pytest.ini_options]\naddopts = "-q"\n', 'uv.lock': '' }))).toEqual({ setup: ['uv sync'], verify: ['uv run pytest'], copy: [] });
    expect(await values(fixture({ 'pyproject.toml': '[tool.poetry]\nname = "a"\n', 'tests/test_app.py': 'def test_x(): pass\n' }))).toEqual({ setup: ['poetry install'], verify: ['poetry run pytest'], copy: [] });
    const requirements = await proposeChecks(fixture({ 'requirements.txt': 'flask\n', 'requirements-dev.txt': 'pytest==8\n', 'pytest.ini': '[pytest]\n' }));
    expect(requirements.setup.map((item) => item.value)).toEqual(['python3 -m pip install -r requirements.txt', 'python3 -m pip install -r requirements-dev.txt']);
    expect(requirements.verify).toEqual([{ value: 'python3 -m pytest', source: 'pytest (pytest.ini)' }]);
    const nested = await proposeChecks(fixture({ 'setup.py': 'from setuptools import setup\n', 'tests/unit/test_core.py': '' }));
    expect(nested).toMatchObject({ setup: [{ value: 'python3 -m pip install -e .' }], verify: [{ value: 'python3 -m pytest', source: 'pytest (tests/ folder)' }] });
  });

  it('a Python project without any sign of pytest gets a note, not a guess', async () => {
    const proposals = await proposeChecks(fixture({ 'pyproject.toml': '[project]\nname = "a"\n', 'src/a.py': '' }));
    expect(proposals.verify).toEqual([]);
    expect(proposals.notes.join('\n')).toMatch(/without pytest configuration/);
  });

  it('cargo test, and cargo clippy only where clippy is configured', async () => {
    expect(await values(fixture({ 'Cargo.toml': '[package]\nname = "a"\n' }))).toEqual({ setup: [], verify: ['cargo test'], copy: [] });
    expect((await values(fixture({ 'Cargo.toml': '[package]\nname = "a"\n\n[lints.clippy]\npedantic = "deny"\n' }))).verify).toEqual(['cargo clippy --all-targets', 'cargo test']);
    expect((await proposeChecks(fixture({ 'Cargo.toml': '[package]\n', 'clippy.toml': '' }))).verify[0]).toEqual({ value: 'cargo clippy --all-targets', source: 'clippy configured (clippy.toml)' });
  });

  it('go: download modules, vet and test', async () => {
    expect(await values(fixture({ 'go.mod': 'module example.com/a\n', 'go.sum': '' }))).toEqual({ setup: ['go mod download'], verify: ['go vet ./...', 'go test ./...'], copy: [] });
  });

  it('make check/test only when no language command was found, else a note', async () => {
    expect(await proposeChecks(fixture({ Makefile: 'all:\n\tcc a.c\n\ntest: all\n\t./a.out --test\n' }))).toMatchObject({ verify: [{ value: 'make test', source: 'Makefile target "test"' }] });
    expect((await values(fixture({ makefile: 'VAR := 1\ncheck:\n\t./run-checks\ntest:\n\t./t\n' }))).verify).toEqual(['make check']);
    expect((await values(fixture({ Makefile: 'test := nothing\nbuild:\n\tcc\n' }))).verify).toEqual([]);
    const both = await proposeChecks(fixture({ Makefile: 'test:\n\tnpm test\n', 'package.json': { scripts: { test: 'vitest' } } }));
    expect(both.verify.map((item) => item.value)).toEqual(['npm test']);
    expect(both.notes.join('\n')).toMatch(/Makefile has a "test" target; not proposed/);
  });

  it('an empty folder proposes nothing', async () => {
    expect(await proposeChecks(fixture({}))).toEqual({ setup: [], verify: [], copy: [], notes: [] });
  });
});
