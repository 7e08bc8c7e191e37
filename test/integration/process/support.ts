import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

/** tsx's loader by absolute URL, so a fixture runs from any folder. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** A live (not zombie) process, as `ps` lists it. */
export interface ListedProcess {
  readonly pid: number;
  readonly pgid: number;
  readonly command: string;
}

/** Every live process (zombies excluded: they are dead, only not yet reaped). Works on Linux and macOS. */
export function liveProcesses(): ReadonlyArray<ListedProcess> {
  const table = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .flatMap((match) => (match && !(match[3] as string).startsWith('Z') ? [{ pid: Number(match[1]), pgid: Number(match[2]), command: match[4] as string }] : []));
}

/** Live processes of a process group. */
export function liveGroupMembers(pgid: number): ReadonlyArray<ListedProcess> {
  return liveProcesses().filter((listed) => listed.pgid === pgid);
}

/** A fixture child process run under tsx, with its printed lines. */
export interface FixtureChild {
  readonly process: ChildProcessWithoutNullStreams;
  /** Resolves with the first printed line matching `predicate`. */
  waitForLine(predicate: (line: string) => boolean): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

/** Starts `fixtures/<name>.ts` under node + tsx with the given arguments and environment. */
export function startFixture(name: string, args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env): FixtureChild {
  const file = path.join(import.meta.dirname, 'fixtures', `${name}.ts`);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, file, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<{ predicate: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(line)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    process: child,
    exited,
    stderr: () => stderr,
    waitForLine(predicate) {
      const seen = lines.find(predicate);
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal }) => reject(new Error(`fixture ${name} exited (${code ?? signal}) before the expected line; stderr: ${stderr}`)));
      });
    },
  };
}

/** Kills a process group, ignoring one that is gone (test clean-up). */
export function killGroupQuietly(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

/** Kills one process, ignoring one that is gone (test clean-up). */
export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}
