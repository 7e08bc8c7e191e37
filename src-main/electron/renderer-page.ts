import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The renderer's index page on disk: the only page allowed to talk to the host. */
export function rendererIndexPath(distDir: string): string {
  return join(distDir, 'renderer', 'index.html');
}

/**
 * Whether a frame's URL is the renderer's index page. Compares file paths, not URL strings:
 * Chromium and Node escape characters such as `[`, `^`, `|` and `%` differently, so a checkout or
 * install folder containing them made two URLs of the same file differ. Query and hash are ignored.
 */
export function isRendererPageUrl(url: string, distDir: string, platform: NodeJS.Platform = process.platform): boolean {
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:') return false;
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const expected = resolve(rendererIndexPath(distDir));
  // Windows paths are case-insensitive, and Chromium may report the drive letter in either case.
  return platform === 'win32' ? resolve(path).toLowerCase() === expected.toLowerCase() : resolve(path) === expected;
}
