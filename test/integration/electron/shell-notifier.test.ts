import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithStandIn, repoRoot, type ShellSnapshot, type StandInProcess } from './shell-harness';

/**
 * The shell's notifier with the stand-in `electron`, under `--expose-gc`: a notification the
 * shell did not keep referenced would be collected, and its click would then do nothing.
 */
describe('the desktop notifier keeps notifications alive (stand-in Electron)', () => {
  let workDir: string;
  let driver: StandInProcess;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'co-shell-notify-'));
    await build({
      entryPoints: [join(repoRoot, 'src-main', 'electron', 'notifier.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['electron'],
      outfile: join(workDir, 'notifier.mjs'),
      logLevel: 'warning',
    });
    writeFileSync(
      join(workDir, 'driver.mjs'),
      [
        "import { addCommand } from 'electron';",
        "import { electronNotifier } from './notifier.mjs';",
        'const notifier = electronNotifier(() => undefined);',
        "addCommand('notify', ({ title }) => notifier.notify({ title, body: 'Task 3 needs you', urgency: 'attention' }));",
        "process.send({ type: 'driver-ready' });",
      ].join('\n'),
    );
    driver = launchWithStandIn({ script: join(workDir, 'driver.mjs'), cwd: workDir, nodeOptions: ['--expose-gc'] });
    await driver.next('driver-ready');
  }, 60_000);

  afterAll(() => {
    driver.kill();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('holds each notification through garbage collection until it is closed, clicked or fails', async () => {
    await driver.command('notify', { title: 'first' });
    await driver.command('notify', { title: 'second' });
    await driver.command('notify', { title: 'third' });
    expect((await driver.command<ShellSnapshot>('snapshot')).notificationsShown).toBe(3);
    expect(await driver.command('gc')).toBe(3);

    await driver.command('notificationEvent', { index: 0, event: 'close' });
    await driver.command('notificationEvent', { index: 1, event: 'click' });
    await driver.command('notificationEvent', { index: 2, event: 'failed' });
    expect(await driver.command('gc')).toBe(0);
  });
});
