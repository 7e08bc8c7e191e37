import type { z } from 'zod';
import type { setupCheckSchema } from '../../../src-shared/rpc/schemas/workspace';
import type { SecretStore } from '../../workspace/secret-store';
import * as shared from '../../runtime/setup-checks';

/** One line of the app's first-run check, exactly as `setup.check` returns it. */
export type SetupCheck = z.infer<typeof setupCheckSchema>;

/** Lowest Node version the app supports (package.json engines). */
export const MIN_NODE_VERSION = shared.MIN_NODE_VERSION;

/** What `setup.check` is asked about and with what. */
export interface AppSetupCheckOptions {
  /** The project folder, already resolved; without it only the machine-wide checks run. */
  readonly projectDir?: string;
  /** The host's environment (tests inject one). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The host's keychain store. */
  readonly secretStore: SecretStore;
}

/** `setup.check`: the shared setup checks mapped onto setupCheckSchema (the app opens projects itself, so no `co init` is asked for). */
export async function setupChecksForApp(options: AppSetupCheckOptions): Promise<SetupCheck[]> {
  const report = await shared.runSetupChecks({
    secretStore: options.secretStore,
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.projectDir === undefined ? {} : { projectDir: options.projectDir }),
  });
  return report.checks.map(toSetupCheck);
}

/** The contract's shape of one shared check (its id and `required` stay on the host). */
export function toSetupCheck(check: shared.SetupCheckResult): SetupCheck {
  return { name: check.name, ok: check.ok, detail: check.detail, fix: check.fix };
}
