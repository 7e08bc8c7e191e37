import type { Handlers } from '../../../src-shared/rpc/server';
import { proposeChecks } from '../../project/checks/propose-checks';
import { SecretStore } from '../../workspace/secret-store';
import { resolveProjectFolder } from '../project-folder';
import type { ProjectSessions } from '../project-sessions';
import { readConfigFile, writeConfigFile } from './settings-config';
import { deleteSecret, secretsStatus, storeSecret, type HostEnvironment } from './settings-secrets';
import { setupChecksForApp } from './setup-checks';
import { readUsageSummary } from './usage-summary';

type SettingsHandlers = Pick<Handlers, 'usage.summary' | 'config.get' | 'config.update' | 'secrets.status' | 'secrets.set' | 'secrets.delete' | 'setup.check' | 'checks.propose'>;

/** What the host may decide about the settings methods (tests inject a private keychain and environment). */
export interface SettingsHandlerOptions {
  /** Makes the keychain store (default: service 'claude-orchestrator'); called once, on first use. */
  readonly secretStore?: () => SecretStore;
  /** Where environment keys are looked up (default process.env). */
  readonly env?: HostEnvironment;
  /** Told after a config file was written, e.g. to close the project's idle runtime so the next run reads it. */
  readonly afterConfigSaved?: (projectDir: string) => Promise<void> | void;
}

/** Handlers of usage, config, keychain secrets, the first-run check and the checks proposed from the project. */
export function settingsHandlers(sessions: ProjectSessions, options: SettingsHandlerOptions = {}): SettingsHandlers {
  let store: SecretStore | undefined;
  const secretStore = (): SecretStore => (store ??= options.secretStore?.() ?? new SecretStore());
  const env = (): HostEnvironment => options.env ?? process.env;

  return {
    'usage.summary': async ({ project }) => readUsageSummary((await sessions.get(project)).orchestrator.store.db),
    'config.get': async ({ project }) => {
      const { file, exists, config } = await readConfigFile((await resolveProjectFolder(project)).path);
      return { file, exists, config };
    },
    'config.update': async ({ project, config }) => {
      const folder = await resolveProjectFolder(project);
      const written = await writeConfigFile(folder.path, config);
      await options.afterConfigSaved?.(folder.path);
      return written;
    },
    'secrets.status': async ({ project }) => {
      const projectDir = project === undefined ? undefined : (await resolveProjectFolder(project)).path;
      const inFile = projectDir === undefined ? null : await readConfigFile(projectDir).then((read) => read.slackWebhookInFile, () => null);
      return secretsStatus({ store: secretStore(), env: env(), slackWebhookInFile: inFile, ...(projectDir === undefined ? {} : { projectDir }) });
    },
    'secrets.set': async ({ name, value }) => {
      await storeSecret(secretStore(), name, value);
      return { stored: true as const };
    },
    'secrets.delete': async ({ name }) => ({ deleted: await deleteSecret(secretStore(), name) }),
    'setup.check': async ({ project }) => {
      const projectDir = project === undefined ? undefined : (await resolveProjectFolder(project)).path;
      return setupChecksForApp({ env: env(), secretStore: secretStore(), ...(projectDir === undefined ? {} : { projectDir }) });
    },
    'checks.propose': async ({ project }) => proposeChecks((await resolveProjectFolder(project)).path),
  };
}
