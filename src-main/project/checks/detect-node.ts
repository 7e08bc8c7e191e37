import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckProposal } from '../../../src-shared/rpc/schemas/checks';
import { NOTHING_DETECTED, type DetectedChecks } from './detected-checks';

/** A JavaScript package manager, told apart by its lockfile. */
export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun';

/** Lockfiles in the order they decide the package manager (a project with two is reported). */
const LOCKFILES: ReadonlyArray<{ readonly file: string; readonly manager: PackageManager }> = [
  { file: 'bun.lock', manager: 'bun' },
  { file: 'bun.lockb', manager: 'bun' },
  { file: 'pnpm-lock.yaml', manager: 'pnpm' },
  { file: 'yarn.lock', manager: 'yarn' },
  { file: 'package-lock.json', manager: 'npm' },
  { file: 'npm-shrinkwrap.json', manager: 'npm' },
];

/** Scripts proposed as checks.verify, cheapest first so a failure shows early; the first of each group that exists. */
const VERIFY_SCRIPTS: ReadonlyArray<ReadonlyArray<string>> = [['lint'], ['typecheck', 'type-check', 'tsc'], ['test'], ['check']];

/** npm's placeholder test script. */
const PLACEHOLDER_TEST = /no test specified/;

interface PackageJson {
  readonly scripts: Readonly<Record<string, string>>;
  readonly hasDependencies: boolean;
  readonly packageManagerField: PackageManager | null;
}

/** checks.setup and checks.verify from package.json: the install command of its package manager and its test, lint and type-check scripts. */
export function detectNodeChecks(projectDir: string): DetectedChecks {
  const file = path.join(projectDir, 'package.json');
  if (!existsSync(file)) return NOTHING_DETECTED;
  const pkg = readPackageJson(file);
  if (pkg === null) return { setup: [], verify: [], notes: ['package.json is not valid JSON; no JavaScript checks proposed.'] };
  const notes: string[] = [];
  const locks = LOCKFILES.filter((lock) => existsSync(path.join(projectDir, lock.file)));
  const lock = locks[0];
  const manager = lock?.manager ?? pkg.packageManagerField ?? 'npm';
  if (new Set(locks.map((entry) => entry.manager)).size > 1) {
    notes.push(`Several lockfiles (${locks.map((entry) => entry.file).join(', ')}); ${lock?.file ?? ''} decided the package manager (${manager}).`);
  }
  const managerLabel = lock === undefined ? `${manager}, no lockfile` : `${manager}, ${lock.file}`;

  const setup: CheckProposal[] = [];
  if (lock !== undefined || pkg.hasDependencies) {
    const install = installCommand(manager, lock !== undefined, projectDir);
    setup.push({ value: install, source: lock === undefined ? 'package.json dependencies (no lockfile)' : `${lock.file} (${manager})` });
  }

  const chosen = VERIFY_SCRIPTS.flatMap((group) => {
    const name = group.find((candidate) => isRealScript(pkg.scripts, candidate));
    return name === undefined ? [] : [name];
  });
  const coveredBy = new Map<string, string>();
  for (const name of chosen) {
    const runner = chosen.find((other) => other !== name && invokesScript(pkg.scripts[other] ?? '', name));
    if (runner !== undefined) coveredBy.set(name, runner);
  }
  // A cycle of scripts running each other cannot be trimmed sensibly: keep them all.
  const keep = coveredBy.size === chosen.length ? chosen : chosen.filter((name) => !coveredBy.has(name));
  for (const [name, runner] of coveredBy) {
    if (!keep.includes(name)) notes.push(`package.json script "${name}" is not proposed on its own: script "${runner}" already runs it.`);
  }
  const verify = keep.map((name) => ({ value: runScript(manager, name), source: `package.json script "${name}" (${managerLabel})` }));
  if (pkg.scripts['test'] !== undefined && !isRealScript(pkg.scripts, 'test')) notes.push('package.json has npm\'s placeholder test script; no test command proposed.');
  return { setup, verify, notes };
}

/** The install command for a fresh workspace: the frozen-lockfile form when there is a lockfile. */
export function installCommand(manager: PackageManager, hasLockfile: boolean, projectDir: string): string {
  switch (manager) {
    case 'npm':
      return hasLockfile ? 'npm ci' : 'npm install';
    case 'pnpm':
      return hasLockfile ? 'pnpm install --frozen-lockfile' : 'pnpm install';
    case 'yarn':
      if (!hasLockfile) return 'yarn install';
      return isYarnBerry(projectDir) ? 'yarn install --immutable' : 'yarn install --frozen-lockfile';
    case 'bun':
      return hasLockfile ? 'bun install --frozen-lockfile' : 'bun install';
  }
}

/** How a package manager runs a package.json script (`bun test` is bun's own test runner, so bun always says `run`). */
export function runScript(manager: PackageManager, script: string): string {
  if (script === 'test' && manager !== 'bun') return `${manager} test`;
  return `${manager} run ${script}`;
}

function isRealScript(scripts: Readonly<Record<string, string>>, name: string): boolean {
  const body = scripts[name];
  if (typeof body !== 'string' || body.trim() === '') return false;
  return !(name === 'test' && PLACEHOLDER_TEST.test(body));
}

/** Whether a script's body runs another script ("npm run lint && …", "pnpm typecheck", "run-s lint test"). */
function invokesScript(body: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const direct = new RegExp(`\\b(?:npm|pnpm|yarn|bun)\\s+(?:run(?:-script)?\\s+)?(?:--\\S+\\s+)*${escaped}(?![\\w:-])`);
  const runAll = new RegExp(`\\b(?:npm-run-all|run-s|run-p)\\b[^&|;]*\\s${escaped}(?![\\w:-])`);
  return direct.test(body) || runAll.test(body) || (name === 'test' && /\bnpm\s+t\b/.test(body));
}

function isYarnBerry(projectDir: string): boolean {
  if (existsSync(path.join(projectDir, '.yarnrc.yml'))) return true;
  try {
    return readFileSync(path.join(projectDir, 'yarn.lock'), 'utf8').slice(0, 2_000).includes('__metadata:');
  } catch {
    return false;
  }
}

function readPackageJson(file: string): PackageJson | null {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  const record = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const scriptsValue = record['scripts'];
  const scripts: Record<string, string> = {};
  if (typeof scriptsValue === 'object' && scriptsValue !== null) {
    for (const [name, body] of Object.entries(scriptsValue)) if (typeof body === 'string') scripts[name] = body;
  }
  const hasDependencies = ['dependencies', 'devDependencies', 'optionalDependencies'].some((key) => {
    const deps = record[key];
    return typeof deps === 'object' && deps !== null && Object.keys(deps).length > 0;
  });
  const field = typeof record['packageManager'] === 'string' ? record['packageManager'].split('@')[0] : undefined;
  const packageManagerField = field === 'npm' || field === 'pnpm' || field === 'yarn' || field === 'bun' ? field : null;
  return { scripts, hasDependencies, packageManagerField };
}
