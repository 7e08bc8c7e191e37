import type { Command } from 'commander';
import type { AuditFinding } from '../../workspace/audit';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { projectContext } from '../project-context';

const MARK: Readonly<Record<AuditFinding['severity'], string>> = { high: '✗ HIGH  ', medium: '! MEDIUM', low: '· LOW   ', info: '· INFO  ' };

/** `co security-audit`: file permissions, secrets in the tree, key source, environment; exit 1 on high findings. */
export function registerSecurityAuditCommand(program: Command): void {
  program
    .command('security-audit')
    .description('check permissions, hard-coded secrets, the API key source and the environment; exit 1 on high findings')
    .option('--json', 'print the audit as JSON')
    .action(
      cliAction(async (options: { readonly json?: boolean }, command: Command) => {
        const context = projectContext(command);
        // Loaded on demand: the audit pulls in the Anthropic SDK, which other commands need not pay for.
        const { runSecurityAudit } = await import('../../workspace/audit');
        const result = await runSecurityAudit({ projectDir: context.workingDir });
        const high = result.findings.filter((finding) => finding.severity === 'high');
        if (options.json) {
          printJson(result);
          if (high.length > 0) process.exitCode = 1;
          return;
        }
        console.log(`Security audit of ${result.projectDir}: ${result.secrets.filesScanned} files scanned`);
        console.log(`  API key: ${result.apiKey.source === 'none' ? 'not found' : `from ${result.apiKey.source} (${result.apiKey.masked ?? 'masked'})`}`);
        for (const finding of result.findings) {
          console.log(`${MARK[finding.severity]} ${finding.message}${finding.fix ? `\n           fix: ${finding.fix}` : ''}`);
        }
        if (result.findings.length === 0) console.log('✓ nothing to report');
        if (high.length > 0) throw new CliError(`${high.length} high-severity finding(s); fix them (see above) and run the audit again.`);
      }),
    );
}
