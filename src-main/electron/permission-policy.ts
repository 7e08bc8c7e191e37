import { isRendererPageUrl } from './renderer-page';

/**
 * What the app's own page may use: reading the clipboard (the terminal dock's Ctrl+Shift+V) and
 * Chromium's sanitized clipboard write (its Ctrl+Shift+C). Nothing else — no camera, location,
 * notifications from the page (the shell shows those), external links (the shell opens them).
 */
const PAGE_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-read', 'clipboard-sanitized-write']);

/** Who asks for a permission, as Electron describes the requesting frame. */
export interface PermissionRequester {
  /** The last URL the requesting frame loaded (absent for checks not made on behalf of a document). */
  readonly requestingUrl?: string | undefined;
  readonly isMainFrame: boolean;
}

/**
 * Whether a permission request (or check) is granted: only a clipboard permission, only for the top
 * frame of the renderer's own page (the file-path comparison that guards the host's IPC); every
 * other permission, and any other page or frame, is refused.
 */
export function isPermissionGranted(permission: string, requester: PermissionRequester, distDir: string): boolean {
  if (!PAGE_PERMISSIONS.has(permission) || !requester.isMainFrame) return false;
  return requester.requestingUrl !== undefined && isRendererPageUrl(requester.requestingUrl, distDir);
}
