import { join } from 'node:path';
import type { WorkerBackend } from '../../src-main/engine/worker-backend';
import { createAppHost, type AppHost, type AppHostOptions } from '../../src-main/host/app-host';
import { openProjectRuntime } from '../../src-main/runtime/project-runtime';

/**
 * An app host for tests: its user data in `<folder>/<userData>`, its projects opened with no
 * environment and no keychain (so nothing of the developer's leaks in), and with `backend` for
 * the workers when given (the configured Claude Code backend otherwise).
 */
export function createTestHost(
  folder: string,
  options: { readonly backend?: WorkerBackend; readonly userData?: string } & Omit<Partial<AppHostOptions>, 'userDataDir' | 'openRuntime'> = {},
): AppHost {
  const { backend, userData = 'user-data', ...rest } = options;
  return createAppHost({
    version: 'test',
    ...rest,
    userDataDir: join(folder, userData),
    openRuntime: (runtimeOptions) => openProjectRuntime({ ...runtimeOptions, env: {}, secretStore: null, ...(backend === undefined ? {} : { backend }) }),
  });
}
