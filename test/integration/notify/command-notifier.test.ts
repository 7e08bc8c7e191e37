import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commandNotifier } from '../../../src-main/notify/command-notifier';

/**
 * notify-send needs a notification daemon on the session bus, which these machines lack; a
 * stand-in on PATH records the arguments it was started with, which is what we control.
 */
describe('commandNotifier: OS notifications for `co run`', () => {
  let folder: string;
  let recorded: string;
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), 'co-notify-'));
    recorded = join(folder, 'args.txt');
    const script = join(folder, 'notify-send');
    writeFileSync(script, `#!/bin/sh\nfor arg in "$@"; do printf '%s\\n' "$arg" >> "${recorded}"; done\n`);
    chmodSync(script, 0o755);
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  it('runs notify-send with the title and body as plain arguments, urgent for failures', async () => {
    const notifier = commandNotifier({ platform: 'linux', env: { PATH: folder } });
    notifier.notify({ title: 'Task 3 failed', body: 'Tests fail: "$(rm -rf ~)" `whoami`', urgency: 'attention' });
    await expect.poll(() => (existsSync(recorded) ? readFileSync(recorded, 'utf8') : ''), { timeout: 5_000 }).toContain('`whoami`');
    expect(readFileSync(recorded, 'utf8').trimEnd().split('\n')).toEqual(['--app-name=Claude Orchestrator', '--urgency=critical', '--', 'Task 3 failed', 'Tests fail: "$(rm -rf ~)" `whoami`']);
  });

  it('without notify-send it says once how to get it, and shows nothing', () => {
    const lines: string[] = [];
    const notifier = commandNotifier({ platform: 'linux', env: { PATH: join(folder, 'empty') }, log: (line) => lines.push(line) });
    notifier.notify({ title: 'Run finished', body: '3 done', urgency: 'normal' });
    notifier.notify({ title: 'Run finished', body: '3 done', urgency: 'normal' });
    expect(lines).toEqual(['Desktop notifications need notify-send (Debian/Ubuntu: sudo apt install libnotify-bin), or set notifications.desktop to false; skipping them.']);
  });
});
