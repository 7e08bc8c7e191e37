import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestCommand, TestPurpose } from './test-command';
import { coverageFromSummaryJson, coverageFromText, testCountsFromText, type CoverageFigures, type TestCounts } from './test-report';

/** The last test or coverage run of a project, as `co test-status` shows it. */
export interface TestRunRecord {
  readonly version: 1;
  readonly purpose: TestPurpose;
  readonly command: string;
  readonly source: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly exitCode: number | null;
  readonly passed: boolean;
  readonly counts: TestCounts | null;
  readonly coverage: CoverageFigures | null;
}

/** Where the last run is recorded. */
export function testStatusFile(projectDir: string): string {
  return path.join(projectDir, '.orchestrator', 'test-status.json');
}

/**
 * Runs the test command in the project, echoing its output to `echo` as it comes, and
 * summarises it (exit code, test counts, coverage from the summary file or the text).
 */
export async function runTestCommand(
  projectDir: string,
  command: TestCommand,
  purpose: TestPurpose,
  echo: (chunk: string) => void,
): Promise<TestRunRecord> {
  const started = Date.now();
  let output = '';
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    const [program = '', ...args] = command.argv;
    const child = spawn(program, args, { cwd: projectDir, shell: command.shell, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: '0' } });
    const take = (chunk: string): void => {
      output += chunk;
      echo(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    child.once('error', (error) => reject(new Error(`could not start \`${command.argv.join(' ')}\`: ${error.message}`)));
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : null)));
  });
  const coverage = purpose === 'coverage' ? (readSummary(command.summaryFile, started) ?? coverageFromText(output)) : null;
  const counts = testCountsFromText(output);
  return {
    version: 1,
    purpose,
    command: command.argv.join(' '),
    source: command.source,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    exitCode,
    passed: exitCode === 0 && (counts === null || counts.failed === 0),
    counts,
    coverage,
  };
}

function readSummary(file: string | null, startedAt: number): CoverageFigures | null {
  if (file === null || !existsSync(file) || statSync(file).mtimeMs < startedAt - 1_000) return null;
  try {
    return coverageFromSummaryJson(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

/** Saves the record when the project has a workspace folder; returns whether it did. */
export async function saveTestRun(projectDir: string, record: TestRunRecord): Promise<boolean> {
  const file = testStatusFile(projectDir);
  if (!existsSync(path.dirname(file))) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`);
  await rename(temporary, file);
  return true;
}

/** The last recorded run, or null. */
export async function loadTestRun(projectDir: string): Promise<TestRunRecord | null> {
  try {
    const record = JSON.parse(await readFile(testStatusFile(projectDir), 'utf8')) as TestRunRecord;
    return record.version === 1 ? record : null;
  } catch {
    return null;
  }
}
