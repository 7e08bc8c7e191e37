import type { Command } from 'commander';
import type { SetupCheckResult } from '../../runtime/setup-checks';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { resolveWorkingDir } from '../project-context';

/** `co check`: is everything in place to run? One line per check with how to fix it; exit 1 when a required check fails. */
export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check Node, git, the claude CLI, the project folder, the config, the API key and the OS keychain; exit 1 if anything needed is missing')
    .option('--json', 'print the checks as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const workingDir = resolveWorkingDir(command);
        // Loaded on demand: the checks pull in the Anthropic SDK and keytar.
        const { runSetupChecks } = await import('../../runtime/setup-checks');
        const report = await runSetupChecks({ projectDir: workingDir, requireInitialised: true });
        if (options.json) printJson({ ok: report.ok, workingDir, checks: report.checks });
        else for (const check of report.checks) console.log(formatCheckLine(check));
        if (report.ok) return;
        if (options.json) {
          process.exitCode = 1;
          return;
        }
        const failed = report.checks.filter((check) => !check.ok && check.required).length;
        throw new CliError(`${failed} required check(s) failed; see the ✗ lines above.`);
      }),
    );
}

/** One check for people: ✓ ok, ✗ failed and needed, ! failed but optional; the fix on the next line. */
export function formatCheckLine(check: SetupCheckResult): string {
  const mark = check.ok ? '✓' : check.required ? '✗' : '!';
  const head = `${mark} ${check.name.padEnd(12)} ${check.detail}`;
  return check.ok || check.fix === null ? head : `${head}\n  → ${check.fix}`;
}
