import { isAbsolute, relative, resolve } from 'node:path';

/**
 * The project folder named on the command line, if any: `claude-orchestrator ~/my-app` (packaged)
 * or `electron . ~/my-app` (development). Switches (`--foo`) are Chromium's, Electron's or a test
 * driver's (Playwright puts `--inspect=0 --remote-debugging-port=0` before the app path), never
 * ours. In development the app's own path (`appPath`, its folder or a script inside it) is skipped
 * wherever it stands; packaged builds pass null. Relative paths are resolved against the launch folder.
 */
export function projectPathFromArgv(argv: ReadonlyArray<string>, workingDirectory: string, appPath: string | null): string | null {
  const args = argv.slice(1).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const appIndex = appPath === null ? -1 : args.findIndex((arg) => isAppArgument(resolve(workingDirectory, arg), resolve(appPath)));
  const candidates = appIndex < 0 ? args : args.filter((_arg, index) => index !== appIndex);
  const last = candidates.at(-1);
  if (last === undefined) return null;
  return isAbsolute(last) ? last : resolve(workingDirectory, last);
}

/** The app folder itself, or a script file inside it (`electron dist/main/electron-main.mjs`). */
function isAppArgument(path: string, appPath: string): boolean {
  if (path === appPath) return true;
  const inside = relative(appPath, path);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) && /\.(?:c|m)?js$/.test(path);
}
