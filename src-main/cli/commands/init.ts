import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { DEFAULT_CONFIG } from '../../../src-shared/config/config-schema';
import { Store } from '../../store/store';
import { cliAction } from '../cli-errors';
import { HOW_TO_ADD_CHECKS, offerChecks } from './checks-offer';
import { configFilePath, loadConfig, resolveWorkingDir } from '../project-context';

/** The .env template: where the key goes, never a key. */
export const ENV_TEMPLATE = `# Claude Orchestrator: secrets for this project. Keep this file private (mode 600) and out of git.
# Prefer the OS keychain (desktop app: Settings) or the ANTHROPIC_API_KEY environment variable.
# To use this file instead, uncomment the next line and paste your key after the "=".
# ANTHROPIC_API_KEY=
# SLACK_WEBHOOK_URL=
`;

/** `co init`: config, .env template, .gitignore entries and .orchestrator/ (idempotent; never overwrites). */
export function registerInitCommand(program: Command): void {
  program
    .command('init')
    .description('set up the working directory: orchestrator_config.json, .env template, .gitignore entries, .orchestrator/ (safe to re-run)')
    .option('--git', 'if the folder is not a git repository: git init, then commit every file as it is (except .env and .orchestrator/)')
    .option('-y, --yes', 'accept the proposed checks (setup, verify, copy) without asking')
    .option('--no-checks', 'do not propose checks')
    .action(
      cliAction(async (options: { git?: boolean; yes?: boolean; checks: boolean }, command: Command) => {
        const workingDir = resolveWorkingDir(command);
        const { file: configFile } = configFilePath(workingDir);
        // Validates an existing config (and the environment) before anything is written.
        const existing = loadConfig(workingDir, existsSync(configFile) ? process.env : { ...process.env, ORCHESTRATOR_CONFIG: undefined });
        const { ensureGitignored, ensureWorkspace, initGitRepository, isGitRepository, workspacePaths } = await import('../../workspace/layout');
        const paths = workspacePaths(workingDir);
        const report: string[] = [];
        if (!existsSync(configFile)) {
          await writeFile(configFile, `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`, { flag: 'wx' });
          report.push(`created ${path.relative(workingDir, configFile) || configFile} (defaults; edit to taste)`);
        } else {
          report.push(`kept ${existing.file ?? configFile} (valid)`);
        }
        if (existsSync(paths.envFile)) {
          const mode = statSync(paths.envFile).mode & 0o777;
          report.push(mode & 0o077 ? `kept .env (readable by others: mode ${mode.toString(8)}; run chmod 600 .env)` : 'kept .env');
        } else {
          await writeFile(paths.envFile, ENV_TEMPLATE, { flag: 'wx', mode: 0o600 });
          report.push('created .env template (mode 600, no key in it)');
        }
        // Asked for with --git: the flag is the user's consent to create a repository and commit their files.
        if (options.git === true && !(await isGitRepository(workingDir))) {
          const { commit } = await initGitRepository(workingDir, { userConsented: true });
          report.push(`created a git repository; first commit ${commit?.slice(0, 12) ?? '(none)'} holds the folder as it was`);
        }
        const ignored = await ensureGitignored(workingDir, ['.orchestrator/', '.env']);
        const workspace = await ensureWorkspace(workingDir);
        report.push(workspace.createdOrchestratorDir ? 'created .orchestrator/ (mode 700)' : 'kept .orchestrator/ (mode 700)');
        report.push(ignored || workspace.gitignoreUpdated ? 'added .orchestrator/ and .env to .gitignore' : '.gitignore already lists .orchestrator/ and .env');
        Store.open(paths.stateDb).close();
        report.push('project database ready (.orchestrator/state.db)');
        if (!workspace.isGitRepository) report.push('note: not a git repository; checkpoints and parallel worktrees need one (run `co init --git`)');
        console.log(`Initialised Claude Orchestrator in ${workingDir}`);
        for (const line of report) console.log(`  ${line}`);
        for (const line of await checksStep(workingDir, configFile, options)) console.log(`  ${line}`);
        console.log('Next: `co check`, then `co add "…"` or `co parse prd.md`.');
      }),
    );
}

/** Proposes the project's checks and writes those accepted (see checks-offer.ts); --no-checks skips it. */
async function checksStep(workingDir: string, configFile: string, options: { yes?: boolean; checks: boolean }): Promise<string[]> {
  if (!options.checks) return [`checks: skipped (--no-checks); to add them: ${HOW_TO_ADD_CHECKS}`];
  const { config } = loadConfig(workingDir);
  const terminal = process.stdin.isTTY && process.stdout.isTTY;
  const prompt = terminal ? createInterface({ input: process.stdin, output: process.stdout }) : null;
  try {
    return await offerChecks({
      workingDir,
      configFile,
      current: config.checks,
      acceptAll: options.yes === true,
      ask: prompt === null ? null : (question) => prompt.question(question),
      print: (line) => console.log(line),
    });
  } finally {
    prompt?.close();
  }
}
