import { Notification, type BrowserWindow } from 'electron';
import type { DesktopNotifier } from '../notify/desktop-notifier';

/** OS notifications through Electron; clicking one brings the window forward (and tells the renderer which task). */
export function electronNotifier(window: () => BrowserWindow | undefined): DesktopNotifier {
  return {
    notify: (notification) => {
      if (!Notification.isSupported()) return;
      const shown = new Notification({
        title: notification.title,
        body: notification.body,
        urgency: notification.urgency === 'attention' ? 'critical' : 'normal',
      });
      shown.on('click', () => {
        const target = window();
        if (target === undefined) return;
        if (target.isMinimized()) target.restore();
        target.focus();
        if (notification.taskId !== undefined) target.webContents.send('orchestrator:focus-task', notification.taskId);
      });
      shown.show();
    },
  };
}
