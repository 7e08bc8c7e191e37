import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** How to run a project's tests, and where its coverage summary will be. */
export interface TestCommand {
  /** Program and arguments (run without a shell), or a shell command line when `shell` is true. */
  readonly argv: ReadonlyArray<string>;
  readonly shell: boolean;
  /** Where it came from, for messages: "package.json script coverage", "pytest (pyproject.toml)"… */
  readonly source: string;
  /** The istanbul json-summary file the command writes, when known. */
  readonly summaryFile: string | null;
}

/** What to detect: the plain test command, or one that also measures coverage. */
export type TestPurpose = 'test' | 'coverage';

const NPM_PLACEHOLDER = /no test specified/;

/**
 * Finds the project's own test command: package.json scripts (test:coverage / coverage, else
 * test with vitest's or jest's coverage flags), else pytest for a Python project. Null when
 * nothing fits; the caller then asks for --command.
 */
export function detectTestCommand(projectDir: string, purpose: TestPurpose): TestCommand | null {
  const packageFile = path.join(projectDir, 'package.json');
  if (existsSync(packageFile)) {
    const fromPackage = fromPackageJson(projectDir, readPackage(packageFile), purpose);
    if (fromPackage !== null) return fromPackage;
  }
  if (['pyproject.toml', 'pytest.ini', 'setup.cfg', 'tox.ini'].some((name) => existsSync(path.join(projectDir, name)))) {
    const argv = purpose === 'coverage' ? ['python3', '-m', 'pytest', '--cov', '--cov-report=term'] : ['python3', '-m', 'pytest'];
    return { argv, shell: false, source: 'pytest (Python project)', summaryFile: null };
  }
  return null;
}

interface PackageJson {
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: ReadonlySet<string>;
}

function readPackage(file: string): PackageJson {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const scripts = typeof record['scripts'] === 'object' && record['scripts'] !== null ? (record['scripts'] as Record<string, string>) : {};
  const names = ['dependencies', 'devDependencies'].flatMap((key) => {
    const deps = record[key];
    return typeof deps === 'object' && deps !== null ? Object.keys(deps) : [];
  });
  return { scripts, dependencies: new Set(names) };
}

function fromPackageJson(projectDir: string, pkg: PackageJson, purpose: TestPurpose): TestCommand | null {
  const summaryFile = path.join(projectDir, 'coverage', 'coverage-summary.json');
  const script = (name: string): TestCommand => ({ argv: ['npm', 'run', '--silent', name], shell: false, source: `package.json script "${name}"`, summaryFile });
  const test = pkg.scripts['test'];
  const hasTest = typeof test === 'string' && test.trim() !== '' && !NPM_PLACEHOLDER.test(test);
  if (purpose === 'test') return hasTest ? { ...script('test'), summaryFile: null } : null;
  for (const name of ['test:coverage', 'coverage', 'test:cov']) if (typeof pkg.scripts[name] === 'string') return script(name);
  const reporters = (flag: string): string[] => ['json-summary', 'text'].map((reporter) => `${flag}=${reporter}`);
  if (pkg.dependencies.has('vitest')) {
    return { argv: ['npx', '--no-install', 'vitest', 'run', '--coverage', ...reporters('--coverage.reporter')], shell: false, source: 'vitest with --coverage', summaryFile };
  }
  if (pkg.dependencies.has('jest')) {
    return { argv: ['npx', '--no-install', 'jest', '--coverage', ...reporters('--coverageReporters')], shell: false, source: 'jest with --coverage', summaryFile };
  }
  if (pkg.dependencies.has('c8') && hasTest) {
    return { argv: ['npx', '--no-install', 'c8', ...reporters('--reporter'), 'npm', 'test'], shell: false, source: 'c8 around npm test', summaryFile };
  }
  return null;
}
