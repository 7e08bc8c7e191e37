import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckProposal } from '../../../src-shared/rpc/schemas/checks';
import { NOTHING_DETECTED, type DetectedChecks } from './detected-checks';

/** Requirement files installed by pip, in this order, when the project has no uv, Poetry or Pipenv lock. */
const REQUIREMENT_FILES = ['requirements.txt', 'requirements-dev.txt', 'requirements_dev.txt', 'dev-requirements.txt', 'requirements-test.txt', 'test-requirements.txt'];

/** Folders where a project keeps its tests. */
const TEST_FOLDERS = ['tests', 'test'];

/** checks.setup and checks.verify for a Python project that uses pytest, with its environment tool (uv, Poetry, Pipenv or pip). */
export function detectPythonChecks(projectDir: string): DetectedChecks {
  const has = (name: string): boolean => existsSync(path.join(projectDir, name));
  const read = (name: string): string => {
    try {
      return readFileSync(path.join(projectDir, name), 'utf8');
    } catch {
      return '';
    }
  };
  const pyproject = read('pyproject.toml');
  const requirements = REQUIREMENT_FILES.filter(has);
  const isPython = pyproject !== '' || has('setup.py') || has('setup.cfg') || has('Pipfile') || requirements.length > 0;
  const evidence = pytestEvidence(projectDir, has, read, pyproject, requirements);
  if (evidence === null) {
    return isPython ? { ...NOTHING_DETECTED, notes: ['A Python project without pytest configuration or a tests folder; no Python test command proposed.'] } : NOTHING_DETECTED;
  }

  const setup: CheckProposal[] = [];
  let runner = 'python3 -m pytest';
  if (has('uv.lock')) {
    setup.push({ value: 'uv sync', source: 'uv.lock (uv)' });
    runner = 'uv run pytest';
  } else if (has('poetry.lock') || /^\[tool\.poetry\]/m.test(pyproject)) {
    setup.push({ value: 'poetry install', source: has('poetry.lock') ? 'poetry.lock (Poetry)' : 'pyproject.toml [tool.poetry] (Poetry)' });
    runner = 'poetry run pytest';
  } else if (has('Pipfile')) {
    setup.push({ value: 'pipenv install --dev', source: has('Pipfile.lock') ? 'Pipfile.lock (Pipenv)' : 'Pipfile (Pipenv)' });
    runner = 'pipenv run pytest';
  } else if (requirements.length > 0) {
    for (const file of requirements) setup.push({ value: `python3 -m pip install -r ${file}`, source: `${file} (pip)` });
  } else if (pyproject !== '' || has('setup.py')) {
    setup.push({ value: 'python3 -m pip install -e .', source: `${pyproject !== '' ? 'pyproject.toml' : 'setup.py'} (pip, editable install)` });
  }
  return { setup, verify: [{ value: runner, source: `pytest (${evidence})` }], notes: [] };
}

/** Where pytest shows up, or null when nothing says the project uses it. */
function pytestEvidence(
  projectDir: string,
  has: (name: string) => boolean,
  read: (name: string) => string,
  pyproject: string,
  requirements: ReadonlyArray<string>,
): string | null {
  if (has('pytest.ini')) return 'pytest.ini';
  if (/^\[tool\.pytest/m.test(pyproject)) return 'pyproject.toml [tool.pytest]';
  if (/^\[tool:pytest\]/m.test(read('setup.cfg'))) return 'setup.cfg [tool:pytest]';
  if (/^\[pytest\]/m.test(read('tox.ini'))) return 'tox.ini [pytest]';
  if (has('conftest.py')) return 'conftest.py';
  const folder = TEST_FOLDERS.find((name) => containsPythonTests(path.join(projectDir, name), 2));
  if (folder !== undefined) return `${folder}/ folder`;
  const mentioning = requirements.find((file) => /^\s*pytest\b/m.test(read(file)));
  if (mentioning !== undefined) return `${mentioning} lists pytest`;
  if (/["']pytest\b/.test(pyproject)) return 'pyproject.toml lists pytest';
  return null;
}

/** Whether a folder holds test_*.py or *_test.py files, looking `depth` levels down. */
function containsPythonTests(folder: string, depth: number): boolean {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    if (entry.isFile() && /^(test_.*|.*_test)\.py$/.test(entry.name)) return true;
  }
  if (depth <= 1) return false;
  return entries.some((entry) => entry.isDirectory() && !entry.name.startsWith('.') && containsPythonTests(path.join(folder, entry.name), depth - 1));
}
