import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { useSqliteNativeBinding } from '../store/sqlite-binding';

/** File name of better-sqlite3's addon, as `scripts/build-electron-native.mjs` writes it. */
export const SQLITE_ADDON = 'better_sqlite3.node';

/**
 * Points better-sqlite3 at its Electron-ABI build: `resources/native/` in a packaged app
 * (electron-builder.yml `extraResources`), `dist/electron-native/` in development (`npm start`
 * builds it). The copy in node_modules stays built for Node, for `co` and the tests. Under plain
 * Node (the stand-in Electron of the tests) the node_modules build is the right one.
 */
export function useElectronSqliteBuild(options: { readonly isPackaged: boolean; readonly appRoot: string }): void {
  if (process.versions['electron'] === undefined) return;
  const file = options.isPackaged ? join(process.resourcesPath, 'native', SQLITE_ADDON) : join(options.appRoot, 'dist', 'electron-native', SQLITE_ADDON);
  if (!existsSync(file)) {
    throw new Error(
      options.isPackaged
        ? `This installation is incomplete: ${file} is missing. Reinstall Claude Orchestrator.`
        : `The Electron build of better-sqlite3 is missing (${file}). Run \`npm start\` (it builds it), or \`npm run build:electron-native\`.`,
    );
  }
  useSqliteNativeBinding(file);
}
