import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { OrchestratorConfigSchema, type OrchestratorConfig } from '../../../src-shared/config/config-schema';
import { formatIssues } from '../../../src-shared/config/resolve-config';
import { RpcError } from '../../../src-shared/rpc/errors';
import { CONFIG_FILE_NAME } from '../../runtime/load-config';

/** What the Settings view edits: the file's validated content with defaults filled, the webhook left out. */
export interface ProjectConfigFile {
  readonly file: string;
  readonly exists: boolean;
  readonly config: OrchestratorConfig;
  /** A Slack webhook written in the file by hand (never returned to clients, only reported masked). */
  readonly slackWebhookInFile: string | null;
}

/** Where the keychain tells users to put the webhook instead of the file. */
const WEBHOOK_IN_KEYCHAIN =
  'A Slack webhook is a secret and is never written to orchestrator_config.json. Store it in the keychain instead (Settings → Keys, i.e. secrets.set "slack-webhook-url"), or set SLACK_WEBHOOK_URL.';

/**
 * Reads `<project>/orchestrator_config.json` without environment overrides (the form edits the
 * file, not the environment). No file means defaults; an invalid file is a failed_precondition naming the key.
 */
export async function readConfigFile(projectDir: string): Promise<ProjectConfigFile> {
  const file = join(projectDir, CONFIG_FILE_NAME);
  let text: string | null = null;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new RpcError('failed_precondition', `${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)}). Check its permissions.`);
    }
  }
  let content: unknown = {};
  if (text !== null) {
    try {
      content = JSON.parse(text);
    } catch (error) {
      throw new RpcError('failed_precondition', `${file}: not valid JSON (${(error as Error).message}). Fix the file or delete it to use the defaults.`);
    }
  }
  const parsed = OrchestratorConfigSchema.safeParse(content);
  if (!parsed.success) {
    const issues = formatIssues(parsed.error);
    throw new RpcError('failed_precondition', `${file}: ${issues.join('; ')}. Fix the file or delete it to use the defaults.`);
  }
  const webhook = parsed.data.notifications.slack_webhook_url ?? null;
  return { file, exists: text !== null, config: withoutWebhook(parsed.data), slackWebhookInFile: webhook };
}

/**
 * Validates a whole new config and writes it atomically (temp file + rename). Unknown keys are
 * dropped; a Slack webhook is refused (it belongs in the keychain); errors name each key.
 */
export async function writeConfigFile(projectDir: string, candidate: Readonly<Record<string, unknown>>): Promise<{ file: string; config: OrchestratorConfig }> {
  if (hasWebhook(candidate)) {
    throw new RpcError('invalid_input', WEBHOOK_IN_KEYCHAIN, [{ path: 'notifications.slack_webhook_url', message: 'store the Slack webhook in the keychain, not in the config file' }]);
  }
  const parsed = OrchestratorConfigSchema.safeParse(candidate);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
    throw new RpcError('invalid_input', `The settings were not saved: ${formatIssues(parsed.error).join('; ')}.`, issues);
  }
  const config = withoutWebhook(parsed.data);
  const file = join(projectDir, CONFIG_FILE_NAME);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(config, null, 2)}\n`, { encoding: 'utf8', mode: 0o644 });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new RpcError('failed_precondition', `Could not write ${file}: ${(error as Error).message}. Check the folder's permissions.`);
  }
  return { file, config };
}

function hasWebhook(candidate: Readonly<Record<string, unknown>>): boolean {
  const notifications = candidate['notifications'];
  return typeof notifications === 'object' && notifications !== null && 'slack_webhook_url' in notifications;
}

function withoutWebhook(config: OrchestratorConfig): OrchestratorConfig {
  const { slack_webhook_url: _dropped, ...notifications } = config.notifications;
  void _dropped;
  return { ...config, notifications };
}
