import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { DesktopNotification, DesktopNotifier } from './desktop-notifier';

/** Where the command-line notifier looks and how it reports trouble (tests pass their own). */
export interface CommandNotifierOptions {
  readonly platform?: NodeJS.Platform;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Told once why notifications cannot be shown; they are then skipped quietly. */
  readonly log?: (line: string) => void;
}

/**
 * OS notifications for the command line (`co run`), where there is no Electron: `notify-send`
 * (libnotify) on Linux and the BSDs, `osascript` on macOS. Title and body travel as arguments,
 * never through a shell or a script's source, so no text in them can run as a command.
 * Where neither exists (Windows, a headless box) it says so once and shows nothing.
 */
export function commandNotifier(options: CommandNotifierOptions = {}): DesktopNotifier {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const command = platform === 'darwin' ? findOnPath('osascript', env) : platform === 'win32' ? null : findOnPath('notify-send', env);
  if (command === null) {
    let told = false;
    return {
      notify: () => {
        if (told) return;
        told = true;
        options.log?.(
          platform === 'win32'
            ? 'Desktop notifications from `co` are not available on Windows; the desktop app shows them.'
            : 'Desktop notifications need notify-send (Debian/Ubuntu: sudo apt install libnotify-bin), or set notifications.desktop to false; skipping them.',
        );
      },
    };
  }
  return {
    notify: (notification) => {
      const child = spawn(command, argumentsFor(platform, notification), { stdio: 'ignore', env: { ...env }, detached: false });
      // A missing notification daemon is not worth failing a run over.
      child.on('error', () => undefined);
      child.unref();
    },
  };
}

function argumentsFor(platform: NodeJS.Platform, notification: DesktopNotification): string[] {
  if (platform === 'darwin') {
    return ['-e', 'on run argv', '-e', 'display notification (item 2 of argv) with title (item 1 of argv)', '-e', 'end run', notification.title, notification.body];
  }
  return ['--app-name=Claude Orchestrator', `--urgency=${notification.urgency === 'attention' ? 'critical' : 'normal'}`, '--', notification.title, notification.body];
}

function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): string | null {
  for (const folder of (env['PATH'] ?? '').split(delimiter)) {
    if (folder === '') continue;
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return null;
}
