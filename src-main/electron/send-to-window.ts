import type { BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from './channels';

/**
 * Sends an event to a window's renderer. A window that closed (or whose renderer is gone) is
 * skipped: engine events arrive at any time, and a send to a destroyed window must never throw
 * into the code that emitted them.
 */
export function sendToWindow(window: BrowserWindow, event: string, payload: unknown): void {
  try {
    if (window.isDestroyed() || window.webContents.isDestroyed()) return;
    window.webContents.send(EVENT_CHANNEL, event, payload);
  } catch {
    // The window went away between the check and the send; nothing to deliver to.
  }
}
