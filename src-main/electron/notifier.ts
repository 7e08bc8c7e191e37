import { Notification, type BrowserWindow } from 'electron';
import type { DesktopNotifier } from '../notify/desktop-notifier';
import { EVENT_CHANNEL } from './channels';

/** OS notifications through Electron; clicking one brings forward the window of the project it is about, at its task. */
export function electronNotifier(windowFor: (project: string | undefined) => BrowserWindow | undefined): DesktopNotifier {
  return {
    notify: (notification) => {
      if (!Notification.isSupported()) return;
      const shown = new Notification({
        title: notification.title,
        body: notification.body,
        urgency: notification.urgency === 'attention' ? 'critical' : 'normal',
      });
      shown.on('click', () => {
        const target = windowFor(notification.project);
        if (target === undefined) return;
        if (target.isMinimized()) target.restore();
        target.focus();
        if (notification.project !== undefined) target.webContents.send(EVENT_CHANNEL, 'ui.openProject', { path: notification.project });
        if (notification.taskId !== undefined) {
          target.webContents.send(EVENT_CHANNEL, 'ui.focusTask', { project: notification.project ?? null, taskId: notification.taskId });
        }
      });
      shown.show();
    },
  };
}
