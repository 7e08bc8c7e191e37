import { readFileSync } from 'node:fs';
import type { AttemptInput, AttemptIO, AttemptLogEvent, Discovery, WorkerTaskContext } from '../../../src-main/engine/worker-backend';
import type { Usage } from '../../../src-shared/domain/usage';

/** A task context with sensible defaults for backend tests. */
export function makeTask(overrides: Partial<WorkerTaskContext> = {}): WorkerTaskContext {
  return {
    id: 'T1',
    title: 'Write the greeting',
    description: 'Create greeting.txt with a friendly greeting.',
    details: 'Use plain text.',
    acceptanceCriteria: ['greeting.txt exists', 'it says hello'],
    testStrategy: 'cat greeting.txt',
    contextFiles: ['README.md'],
    hints: ['Keep it short'],
    relevantDiscoveries: [{ summary: 'Files use LF line endings', tags: ['style'], files: ['README.md'] }],
    ...overrides,
  };
}

/** An attempt input for a working directory. */
export function makeInput(workingDirectory: string, overrides: Partial<AttemptInput> = {}): AttemptInput {
  return {
    attemptId: 'A1',
    runId: 'R1',
    task: makeTask(),
    workingDirectory,
    model: 'claude-sonnet-4-6',
    timeoutMs: 45_000,
    signal: new AbortController().signal,
    ...overrides,
  };
}

/** An AttemptIO that records everything it is told. */
export function recordingIO(): AttemptIO & {
  readonly logs: AttemptLogEvent[];
  readonly discoveries: Discovery[];
  readonly usages: Array<{ usage: Usage; costUsd: number }>;
  readonly rateLimits: Array<{ resetAt: Date; reason: string }>;
} {
  const logs: AttemptLogEvent[] = [];
  const discoveries: Discovery[] = [];
  const usages: Array<{ usage: Usage; costUsd: number }> = [];
  const rateLimits: Array<{ resetAt: Date; reason: string }> = [];
  return {
    logs,
    discoveries,
    usages,
    rateLimits,
    log: (event) => void logs.push(event),
    discovery: (discovery) => void discoveries.push(discovery),
    usage: (usage, costUsd) => void usages.push({ usage, costUsd }),
    rateLimited: (resetAt, reason) => void rateLimits.push({ resetAt, reason }),
  };
}

/** True while a process exists and is not a zombie (Linux /proc). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
