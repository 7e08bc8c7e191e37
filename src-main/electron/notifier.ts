import { Notification, type BrowserWindow } from 'electron';
import type { DesktopNotifier } from '../notify/desktop-notifier';
import { sendToWindow } from './send-to-window';

/**
 * OS notifications through Electron; clicking one brings forward the window of the project it is
 * about, at its task. Each notification is kept referenced until it is clicked, closed or fails:
 * one left to the garbage collector loses its click handler, and the click then does nothing.
 */
export function electronNotifier(windowFor: (project: string | undefined) => BrowserWindow | undefined): DesktopNotifier {
  const live = new Set<Notification>();
  return {
    notify: (notification) => {
      if (!Notification.isSupported()) return;
      const shown = new Notification({
        title: notification.title,
        body: notification.body,
        urgency: notification.urgency === 'attention' ? 'critical' : 'normal',
      });
      live.add(shown);
      const forget = (): void => {
        live.delete(shown);
      };
      shown.on('close', forget);
      shown.on('failed', forget);
      shown.on('click', () => {
        forget();
        const target = windowFor(notification.project);
        if (target === undefined || target.isDestroyed()) return;
        if (target.isMinimized()) target.restore();
        target.focus();
        if (notification.project !== undefined) sendToWindow(target, 'ui.openProject', { path: notification.project });
        if (notification.taskId !== undefined) sendToWindow(target, 'ui.focusTask', { project: notification.project ?? null, taskId: notification.taskId });
      });
      shown.show();
    },
  };
}
