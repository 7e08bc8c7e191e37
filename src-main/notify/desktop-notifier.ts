/** One OS notification; clicking it should bring the app forward at `taskId` when given. */
export interface DesktopNotification {
  readonly title: string;
  readonly body: string;
  readonly taskId?: string;
  /** The project folder the notification is about. */
  readonly project?: string;
  /** 'attention' for failures the user must look at; shown more prominently where the OS allows. */
  readonly urgency: 'normal' | 'attention';
}

/** Shows OS notifications. The Electron shell implements it with `Notification`; the CLI and tests use others. */
export interface DesktopNotifier {
  notify(notification: DesktopNotification): void;
}

/** A notifier that shows nothing (headless use, or notifications turned off). */
export const SILENT_NOTIFIER: DesktopNotifier = { notify: () => undefined };
