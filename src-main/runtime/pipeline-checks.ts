import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChecksConfig } from '../../src-shared/config/config-schema';
import type { AttemptContext } from '../engine/lifecycle';
import type { CheckOutcome, CheckRunner, PipelineChecks } from '../pipeline/checks';
import { copyCheckFiles, runCheckCommands, setupFingerprint, type CheckEnd } from '../project/checks';
import { gitText } from '../workspace/git';

/** The config's `checks` section in the pipeline's terms. */
export function pipelineChecksOf(checks: ChecksConfig): PipelineChecks {
  return {
    setup: checks.setup,
    setupInputs: checks.setup_inputs,
    copy: checks.copy,
    verify: checks.verify,
    timeoutMs: checks.timeout * 1000,
    verifyOnMerge: checks.verify_on_merge,
  };
}

/** Runs check commands with the project's runner (own process group, watchdog, bounded and redacted output). */
export const projectCheckRunner: CheckRunner = async (commands, options): Promise<CheckOutcome> => {
  const result = await runCheckCommands(commands, {
    cwd: options.cwd,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    ...(options.onOutput === undefined ? {} : { onOutput: (line: string) => options.onOutput?.(line) }),
  });
  if (result.ok) return { ok: true };
  return { ok: false, command: result.failed.command, exit: describeEnd(result.failed.end), outputTail: result.failed.outputTail };
};

function describeEnd(end: CheckEnd): string {
  switch (end.kind) {
    case 'exit':
      return `exit code ${end.exitCode}`;
    case 'signal':
      return `killed by ${end.signal}`;
    case 'timeout':
      return `timed out after ${Math.round(end.timeoutMs / 1000)} s`;
    case 'aborted':
      return 'stopped';
    case 'spawn-error':
      return `could not start: ${end.message}`;
  }
}

/**
 * Makes a checkout ready for work or checks: copies `checks.copy` files in (returns them, so they
 * are never committed), and runs `checks.setup` when its inputs (the commands and the lockfiles)
 * changed since it last ran in that checkout — otherwise says why it was skipped. The fingerprint
 * is kept in the checkout's own git folder, so it lives exactly as long as the checkout.
 */
export function workspaceReadier(projectDir: string, checks: ChecksConfig, runChecks: CheckRunner) {
  return async (workspace: { readonly path: string; readonly created: boolean }, context: AttemptContext | null): Promise<ReadonlyArray<string>> => {
    const log = (text: string) => context?.log('setup', text);
    const copied = checks.copy.length === 0 ? [] : (await copyCheckFiles(projectDir, workspace.path, checks.copy)).copied;
    if (copied.length > 0) log(`Copied into the workspace (never committed): ${copied.join(', ')}`);
    if (checks.setup.length === 0) return copied;
    const marker = path.join(await gitText(workspace.path, ['rev-parse', '--absolute-git-dir']), 'orchestrator-setup');
    const fingerprint = await setupFingerprint(workspace.path, checks);
    const previous = workspace.created ? null : await readFile(marker, 'utf8').catch(() => null);
    if (previous === fingerprint) {
      log(`Setup skipped: ${checks.setup.join(' && ')} already ran here and its inputs have not changed.`);
      return copied;
    }
    log(`Setup: ${checks.setup.join(' && ')}${previous === null ? '' : ' (its inputs changed)'}`);
    const outcome = await runChecks(checks.setup, {
      cwd: workspace.path,
      timeoutMs: checks.timeout * 1000,
      signal: context?.signal ?? new AbortController().signal,
      onOutput: (line) => context?.log('setup', line),
    });
    if (!outcome.ok) throw new Error(`the setup command \`${outcome.command}\` failed (${outcome.exit}); its output ends with:\n${outcome.outputTail}`);
    await writeFile(marker, fingerprint);
    return copied;
  };
}
