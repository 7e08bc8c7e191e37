import { isAbsolute, resolve } from 'node:path';

/**
 * The project folder named on the command line, if any: `claude-orchestrator ~/my-app` (packaged)
 * or `electron dist/main/electron-main.mjs ~/my-app` (development). Switches (`--foo`) are
 * Chromium's or Electron's, never ours. Relative paths are resolved against the launch folder.
 */
export function projectPathFromArgv(argv: ReadonlyArray<string>, workingDirectory: string, isPackaged: boolean): string | null {
  const args = argv.slice(isPackaged ? 1 : 2).filter((arg) => arg !== '' && !arg.startsWith('-'));
  const last = args.at(-1);
  if (last === undefined) return null;
  return isAbsolute(last) ? last : resolve(workingDirectory, last);
}
