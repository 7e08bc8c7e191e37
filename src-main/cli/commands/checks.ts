import type { Command } from 'commander';
import { allowedToolsFor } from '../../../src-shared/config/allowed-tools';
import type { OrchestratorConfig } from '../../../src-shared/config/config-schema';
import { CliError } from '../cli-error';
import { cliAction } from '../cli-errors';
import { printJson } from '../output';
import { configFilePath, projectContext } from '../project-context';
import { describeCounts, formatProposals, HOW_TO_ADD_CHECKS } from './checks-offer';

interface ChecksOptions {
  readonly propose?: boolean;
  readonly write?: boolean;
  readonly run?: string;
  readonly json?: boolean;
}

/** `co checks`: shows the configured checks, proposes them from the project (and writes them), or runs them here to try them. */
export function registerChecksCommand(program: Command): void {
  program
    .command('checks')
    .description("show the project's checks (setup, copy, verify); --propose suggests them from the project's files, --run tries them here")
    .option('--propose', "propose checks from the project's files (package.json scripts, pytest, cargo, go, make, .env)")
    .option('--write', 'with --propose: add the proposals to orchestrator_config.json (existing entries are kept)')
    .option('--run <which>', 'run checks.verify or checks.setup in the project folder, with their output (verify|setup)')
    .option('--json', 'print as JSON')
    .action(
      cliAction(async (options: ChecksOptions, command: Command) => {
        if (options.write === true && options.propose !== true) throw new CliError('--write needs --propose (`co checks --propose --write`).');
        if (options.run !== undefined && options.propose === true) throw new CliError('use either --propose or --run, not both.');
        const context = projectContext(command);
        if (options.propose === true) return propose(context.workingDir, options);
        if (options.run !== undefined) return run(context.workingDir, context.config, options.run, options.json === true);
        show(context.workingDir, context.config, options.json === true);
      }),
    );
}

async function propose(workingDir: string, options: ChecksOptions): Promise<void> {
  const { addChecksToConfigFile, proposeChecks, proposedValues } = await import('../../project/checks');
  const proposals = await proposeChecks(workingDir);
  const added = options.write === true ? await addChecksToConfigFile(configFilePath(workingDir).file, proposedValues(proposals)) : null;
  if (options.json === true) {
    printJson({ ...proposals, ...(added === null ? {} : { added }) });
    return;
  }
  if (proposals.setup.length + proposals.verify.length + proposals.copy.length === 0) {
    console.log('No checks found to propose (no package.json scripts, pytest, cargo, go or make targets).');
    for (const note of proposals.notes) console.log(`  note: ${note}`);
    return;
  }
  for (const line of formatProposals(proposals)) console.log(line);
  if (added === null) console.log('Nothing written; `co checks --propose --write` adds these to orchestrator_config.json.');
  else console.log(`Added ${describeCounts(added)} to ${configFilePath(workingDir).file}.`);
}

function show(workingDir: string, config: OrchestratorConfig, json: boolean): void {
  const checks = config.checks;
  const allowedTools = allowedToolsFor(config);
  const allowedFrom = config.claude_cli.allowed_tools === undefined ? 'derived from checks.setup and checks.verify' : 'claude_cli.allowed_tools';
  if (json) {
    printJson({ workingDir, checks, allowedTools, allowedToolsSource: allowedFrom });
    return;
  }
  const list = (title: string, items: ReadonlyArray<string>): void => {
    console.log(`${title}:${items.length === 0 ? ' (none)' : ''}`);
    for (const item of items) console.log(`  ${item}`);
  };
  list('setup (each new workspace, before the agent)', checks.setup);
  list(`setup inputs${checks.setup_inputs.length === 0 ? ' (the lockfiles found)' : ''}`, checks.setup_inputs);
  list('copy (untracked files copied into each workspace, never committed)', checks.copy);
  list('verify (must pass before work is merged)', checks.verify);
  console.log(`timeout: ${checks.timeout} s per command; verify on merge: ${checks.verify_on_merge}`);
  list(`allowed tools for the agent (${allowedFrom})`, allowedTools);
  if (checks.setup.length + checks.verify.length + checks.copy.length === 0) console.log(`No checks configured; to add them: ${HOW_TO_ADD_CHECKS}.`);
}

async function run(workingDir: string, config: OrchestratorConfig, which: string, json: boolean): Promise<void> {
  if (which !== 'verify' && which !== 'setup') throw new CliError(`--run takes "verify" or "setup", not "${which}".`);
  const commands = config.checks[which];
  if (commands.length === 0) throw new CliError(`checks.${which} is empty; nothing to run (${HOW_TO_ADD_CHECKS}).`);
  const { describeCheckResult, runCheckCommands } = await import('../../project/checks');
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const result = await runCheckCommands(commands, {
      cwd: workingDir,
      timeoutMs: config.checks.timeout * 1000,
      signal: controller.signal,
      onCommandStart: (commandLine) => {
        if (!json) console.log(`▶ ${commandLine}`);
      },
      onOutput: (line, stream) => {
        if (json) return;
        if (stream === 'stderr') console.error(line);
        else console.log(line);
      },
    });
    if (json) printJson(result);
    else for (const entry of result.results) console.log(`${entry.passed ? '✓' : '✗'} ${describeCheckResult(entry)} (${(entry.durationMs / 1000).toFixed(1)} s)`);
    if (result.ok) return;
    if (json) {
      process.exitCode = 1;
      return;
    }
    throw new CliError(`checks.${which} failed: ${describeCheckResult(result.failed)}.`);
  } finally {
    process.off('SIGINT', interrupt);
  }
}
