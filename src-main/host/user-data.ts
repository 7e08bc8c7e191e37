import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user folder for the app database (recent projects, window state). The desktop
 * shell passes Electron's userData; the CLI uses CO_USER_DATA or the platform's usual place.
 */
export function defaultUserDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['CO_USER_DATA'];
  if (override !== undefined && override !== '') return override;
  const home = homedir();
  switch (platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Claude Orchestrator');
    case 'win32':
      return join(env['APPDATA'] ?? join(home, 'AppData', 'Roaming'), 'Claude Orchestrator');
    default:
      return join(env['XDG_CONFIG_HOME'] ?? join(home, '.config'), 'Claude Orchestrator');
  }
}
