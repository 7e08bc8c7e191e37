import type Database from 'better-sqlite3';

let nativeBinding: string | undefined;

/**
 * Makes every database this process opens load better-sqlite3's native addon from `path`. The
 * desktop app calls it once at start-up with its Electron-ABI build (kept in its own folder, so
 * `co`, the tests and the app never fight over one binary in node_modules); `co` never does.
 */
export function useSqliteNativeBinding(path: string): void {
  nativeBinding = path;
}

/** The options every `new Database(file, …)` passes: the Electron build when one was set. */
export function sqliteOpenOptions(): Database.Options {
  return nativeBinding === undefined ? {} : { nativeBinding };
}
