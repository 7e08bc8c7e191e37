import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { findPackageRoot, readAppVersion } from '../../host/package-root';
import { defaultUserDataDir } from '../../host/user-data';
import { CliError, parsePort } from '../cli-error';

/** How long `co serve` waits for a graceful close after SIGTERM/SIGINT before it exits anyway. */
const SHUTDOWN_GRACE_MS = 5_000;

/** `co serve`: the same host as the desktop app, behind a token-guarded WebSocket on loopback. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the app in a browser: renderer + RPC WebSocket on 127.0.0.1, guarded by a random token')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'loopback address to bind (127.0.0.1, ::1 or localhost)', '127.0.0.1')
    .action(async (options: { port: string; host: string }) => {
      const root = findPackageRoot();
      const staticDir = join(root, 'dist', 'renderer');
      if (!existsSync(join(staticDir, 'index.html'))) {
        throw new CliError(`The app's web interface is not built (no ${join(staticDir, 'index.html')}). Run \`npm run build\` first.`);
      }
      const { createAppHost } = await import('../../host/app-host');
      const { startWebHost } = await import('../../host/web-host');
      const host = createAppHost({
        userDataDir: defaultUserDataDir(),
        version: readAppVersion(root),
        log: (line) => console.error(line),
        appLabel: 'a browser session of `co serve`',
      });
      let web;
      try {
        web = await startWebHost({
          server: host.server,
          events: host.events,
          staticDir,
          host: options.host,
          port: parsePort(options.port),
          log: (line) => console.error(line),
          onClientGone: (client) => host.clientGone(client),
        });
      } catch (error) {
        await host.close();
        throw new CliError(error instanceof Error ? error.message : String(error));
      }
      console.log(`Claude Orchestrator is serving at ${web.url}`);
      console.log('Open that URL in a browser (the token in it is required). Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        const stop = (): void => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      // Closing gets a few seconds (a run stopping, a git call ending); then, or at a second signal, the process just ends.
      const deadline = setTimeout(() => {
        console.error(`co serve: still closing after ${SHUTDOWN_GRACE_MS / 1000} s; exiting now.`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      const now = (): never => process.exit(130);
      process.once('SIGINT', now);
      process.once('SIGTERM', now);
      await web.close();
      await host.close();
      clearTimeout(deadline);
    });
}
