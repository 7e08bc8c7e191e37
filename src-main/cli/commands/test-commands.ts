import type { Command } from 'commander';
import { detectTestCommand, type TestCommand, type TestPurpose } from '../../project/test-command';
import type { CoverageFigures } from '../../project/test-report';
import { loadTestRun, runTestCommand, saveTestRun, type TestRunRecord } from '../../project/test-run';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext } from '../project-context';

interface RunOptions {
  readonly command?: string;
  readonly json?: boolean;
  readonly run?: boolean;
}

/** `co coverage` (run the project's tests with coverage, summarise) and `co test-status` (the last result, or --run). */
export function registerTestCommands(program: Command): void {
  program
    .command('coverage')
    .description("run the project's own tests with coverage (package.json scripts, vitest, jest, c8 or pytest) and summarise")
    .option('--command <command>', 'the command to run instead (a shell command line)')
    .option('--json', 'print the summary as JSON (the test output goes to stderr)')
    .action(cliAction(async (options: RunOptions, command: Command) => runAndReport(command, 'coverage', options)));

  program
    .command('test-status')
    .description('show the last recorded test or coverage run; --run runs the tests now')
    .option('--run', "run the project's tests now and record the result")
    .option('--command <command>', 'with --run: the command to run instead (a shell command line)')
    .option('--json', 'print the status as JSON')
    .action(
      cliAction(async (options: RunOptions, command: Command) => {
        if (options.run) return runAndReport(command, 'test', options);
        if (options.command !== undefined) throw new CliError('--command only applies with --run.');
        const context = projectContext(command);
        const record = await loadTestRun(context.workingDir);
        if (options.json) printJson(record);
        else if (record === null) console.log('No test run recorded yet. Run `co test-status --run` or `co coverage`.');
        else console.log(describeRun(record));
      }),
    );
}

async function runAndReport(command: Command, purpose: TestPurpose, options: RunOptions): Promise<void> {
  const context = projectContext(command);
  const testCommand = chooseCommand(context.workingDir, purpose, options.command);
  const echo = (chunk: string): void => {
    (options.json ? process.stderr : process.stdout).write(chunk);
  };
  const record = await runTestCommand(context.workingDir, testCommand, purpose, echo);
  const saved = await saveTestRun(context.workingDir, record);
  context.debug(saved ? 'recorded in .orchestrator/test-status.json' : 'not recorded (no .orchestrator/; run `co init`)');
  if (options.json) printJson(record);
  else console.log(`\n${describeRun(record)}`);
  if (!record.passed) {
    if (options.json) process.exitCode = 1;
    else throw new CliError(`the tests failed (\`${record.command}\` exited ${record.exitCode ?? 'on a signal'}); see the output above.`);
  }
}

function chooseCommand(workingDir: string, purpose: TestPurpose, given: string | undefined): TestCommand {
  if (given !== undefined) return { argv: [given], shell: true, source: '--command', summaryFile: null };
  let detected: TestCommand | null;
  try {
    detected = detectTestCommand(workingDir, purpose);
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
  if (detected !== null) return detected;
  throw new CliError(
    purpose === 'coverage'
      ? 'cannot tell how to run this project’s tests with coverage (no coverage script, no vitest/jest/c8 in package.json, no pytest config); pass --command "…".'
      : 'cannot tell how to run this project’s tests (no "test" script in package.json, no pytest config); pass --command "…".',
  );
}

function describeRun(record: TestRunRecord): string {
  const lines = [
    `${record.passed ? '✓' : '✗'} ${record.purpose === 'coverage' ? 'coverage run' : 'test run'} ${record.passed ? 'passed' : 'failed'} ` +
      `(exit ${record.exitCode ?? 'signal'}, ${(record.durationMs / 1000).toFixed(1)} s, ${record.startedAt})`,
    `  command: ${record.command} (${record.source})`,
  ];
  if (record.counts) lines.push(`  tests: ${record.counts.passed} passed, ${record.counts.failed} failed, ${record.counts.skipped} skipped`);
  if (record.purpose === 'coverage') lines.push(`  coverage: ${describeCoverage(record.coverage)}`);
  return lines.join('\n');
}

function describeCoverage(coverage: CoverageFigures | null): string {
  if (coverage === null) return 'no coverage figures found in the output or coverage/coverage-summary.json';
  const parts = (['lines', 'statements', 'functions', 'branches'] as const)
    .filter((key) => coverage[key] !== null)
    .map((key) => `${key} ${(coverage[key] ?? 0).toFixed(1)}%`);
  return parts.join(', ');
}
