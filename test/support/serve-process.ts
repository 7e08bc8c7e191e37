import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running `co serve` child process with its own user-data folder. */
export interface ServeProcess {
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly userDataDir: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const REPO_ROOT = join(import.meta.dirname, '..', '..');

/** Starts the built `co serve` and waits for the URL it prints. */
export async function startServeProcess(extraEnv: Readonly<Record<string, string>> = {}): Promise<ServeProcess> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'co-serve-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'co.js'), 'serve'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CO_USER_DATA: userDataDir, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /https?:\/\/\S+\?token=\S+/.exec(output);
      if (match !== null) resolve(match[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`co serve exited with ${String(code)} before printing its URL:\n${output}`)));
  });
  const parsed = new URL(url);
  return {
    url,
    origin: parsed.origin,
    token: parsed.searchParams.get('token') ?? '',
    userDataDir,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
