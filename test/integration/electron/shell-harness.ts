import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; the built bundles live in dist/. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const registerHooks = join(dirname(fileURLToPath(import.meta.url)), 'stand-in', 'register.mjs');

/** What the stand-in recorded (see stand-in/electron.mjs, snapshot()). */
export interface ShellSnapshot {
  readonly windows: ReadonlyArray<{
    readonly id: number;
    readonly options: { readonly webPreferences?: Record<string, unknown> } & Record<string, unknown>;
    readonly loadedFile: string | null;
    readonly loadedUrl: string | null;
    readonly destroyed: boolean;
    readonly shown: boolean;
    readonly sent: ReadonlyArray<ReadonlyArray<unknown>>;
    readonly hasWindowOpenHandler: boolean;
  }>;
  readonly handled: ReadonlyArray<string>;
  readonly listened: ReadonlyArray<string>;
  readonly errorBoxes: ReadonlyArray<{ readonly title: string; readonly content: string }>;
  readonly menuSet: boolean;
  readonly permissionHandlerSet: boolean;
  readonly permissionCheckHandlerSet: boolean;
  readonly openedExternal: ReadonlyArray<string>;
  readonly singleInstanceLock: 'none' | 'held' | 'refused' | 'released';
  readonly appUserModelId: string | null;
  readonly notificationsShown: number;
  readonly liveNotifications: number;
}

interface Message {
  readonly type: string;
  readonly id?: number;
  readonly ok?: boolean;
  readonly result?: unknown;
  readonly message?: string;
  readonly code?: number;
  readonly snapshot?: ShellSnapshot;
}

/** A Node process running a script with `electron` redirected to the recording stand-in. */
export interface StandInProcess {
  /** Sends a command to the stand-in and waits for its answer. */
  command<T = unknown>(command: string, input?: Record<string, unknown>): Promise<T>;
  /** Waits for a message of this type (one already received counts). */
  next(type: string): Promise<Message>;
  /** Resolves with the exit code and the last snapshot once the shell called app.exit/app.quit. */
  readonly exited: Promise<{ readonly code: number; readonly snapshot: ShellSnapshot | undefined }>;
  /** stderr so far. */
  stderr(): string;
  kill(): void;
}

/** Options for one stand-in process. */
export interface LaunchOptions {
  /** The script to run; defaults to the built main bundle. */
  readonly script?: string;
  readonly args?: ReadonlyArray<string>;
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  readonly nodeOptions?: ReadonlyArray<string>;
}

/** The built main bundle, which the tests load as the packaged app would. */
export function builtMainBundle(root = repoRoot): string {
  const bundle = join(root, 'dist', 'main', 'electron-main.mjs');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first.`);
  return bundle;
}

/** Starts a script (by default the built main bundle) under Node with the stand-in `electron`. */
export function launchWithStandIn(options: LaunchOptions = {}): StandInProcess {
  const child: ChildProcess = fork(options.script ?? builtMainBundle(), [...(options.args ?? [])], {
    cwd: options.cwd ?? repoRoot,
    execArgv: [...(options.nodeOptions ?? []), '--import', registerHooks],
    // The shell reads the login shell's environment at start; /bin/sh keeps that quick (a developer's
    // bash profile can take seconds). Tests about it pass their own SHELL.
    env: { ...process.env, SHELL: '/bin/sh', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const received: Message[] = [];
  const waiters: Array<{ readonly type: string; readonly resolve: (message: Message) => void }> = [];
  const replies = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  child.on('message', (raw) => {
    const message = raw as Message;
    if (message.type === 'reply' && message.id !== undefined) {
      const pending = replies.get(message.id);
      replies.delete(message.id);
      if (message.ok === true) pending?.resolve(message.result);
      else pending?.reject(new Error(message.message ?? 'stand-in command failed'));
      return;
    }
    received.push(message);
    for (const waiter of waiters.filter((candidate) => candidate.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const exited = new Promise<{ code: number; snapshot: ShellSnapshot | undefined }>((resolve) => {
    child.on('exit', (code) => {
      const last = received.find((message) => message.type === 'exit');
      for (const pending of replies.values()) pending.reject(new Error(`the shell exited (code ${String(code)}) before answering; stderr:\n${stderr}`));
      resolve({ code: last?.code ?? code ?? -1, snapshot: last?.snapshot });
    });
  });
  return {
    command: <T>(command: string, input: Record<string, unknown> = {}): Promise<T> =>
      new Promise<T>((resolve, reject) => {
        const id = nextId++;
        replies.set(id, { resolve: (value) => resolve(value as T), reject });
        child.send({ id, command, input });
      }),
    next: (type) => {
      const already = received.find((message) => message.type === type);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ type, resolve }));
    },
    exited,
    stderr: () => stderr,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    },
  };
}
