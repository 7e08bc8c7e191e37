import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** tsx's loader, by absolute URL: the child runs in a temporary folder where 'tsx' would not resolve. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'run-engine.ts');

/** A running engine child process and what it printed. */
export interface EngineChild {
  readonly process: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  /** Resolves with the first printed line matching `predicate`, or the line that was already printed. */
  waitForLine(predicate: (line: string, all: ReadonlyArray<string>) => boolean): Promise<string>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  /** Lets the child start its run. */
  go(): void;
}

/** Spawns the engine fixture under node --import tsx (lease 1 s unless `leaseMs` is given). */
export function spawnEngine(databasePath: string, sideEffectLog: string, workers: number, durationMs: number, leaseMs?: number): EngineChild {
  const args = [databasePath, sideEffectLog, String(workers), String(durationMs), ...(leaseMs === undefined ? [] : [String(leaseMs)])];
  const child = spawn(process.execPath, ['--import', TSX_LOADER, FIXTURE, ...args], {
    cwd: path.dirname(databasePath),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ predicate: (line: string, all: ReadonlyArray<string>) => boolean; resolve: (line: string) => void }> = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (!waiter.predicate(line, lines)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
  return {
    process: child,
    lines,
    exited,
    waitForLine(predicate) {
      const seen = lines.find((line) => predicate(line, lines));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ predicate, resolve });
        void exited.then(({ code, signal, stderr: errors }) => reject(new Error(`engine child exited (${code ?? signal}) before the expected line; stderr: ${errors}`)));
      });
    },
    go() {
      child.stdin.write('go\n');
    },
  };
}

/** Parsed side-effect log: one entry per line. */
export function readSideEffects(file: string): ReadonlyArray<{ kind: 'start' | 'finish'; taskId: string; attemptId: string; pid: number }> {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [kind, taskId, attemptId, pid] = line.split(' ');
      return { kind: kind as 'start' | 'finish', taskId: taskId as string, attemptId: attemptId as string, pid: Number(pid) };
    });
}
