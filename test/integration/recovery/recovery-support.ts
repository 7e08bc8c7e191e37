import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect, vi } from 'vitest';
import type { FakeAnthropic, FakeReply, RecordedRequest } from '../../support/fake-anthropic';
import { matchers, textReply } from '../../support/fake-anthropic';
import { repoRoot, type TempProject } from '../cli/cli-harness';
import { liveProcesses } from '../process/support';
import { git, requestText, writeFileTurn } from '../runtime/pipeline-support';

/** The lease every recovery test sets: far longer than any test, so a re-claim that waited for it would time the test out. */
export const LONG_LEASE_SECONDS = 900;

/** What the scripted agent does for a task: write its file now, or hang (busy) until it is killed. */
export type AgentMode = 'write' | 'hang';

/** The file task `id` writes, and its content. */
export function taskFile(id: string): { readonly name: string; readonly content: string } {
  return { name: `task-${id}.txt`, content: `work of task ${id}\n` };
}

/** The task a worker request is for ("Carry out task N:"), if any. */
export function taskOf(request: RecordedRequest): string | undefined {
  return /Carry out task (\d+):/.exec(requestText(request))?.[1];
}

/**
 * Scripts the fake API as a worker that writes `task-<id>.txt` for each task, unless `modeOf`
 * says the task hangs (its request is answered after ten minutes, so the agent stays busy).
 */
export function scriptFileWriters(fake: FakeAnthropic, modeOf: (taskId: string) => AgentMode): void {
  fake.script({
    match: matchers.hasTools,
    respond: (request): FakeReply | undefined => {
      const id = taskOf(request);
      if (id === undefined) return undefined;
      if (modeOf(id) === 'hang') return textReply('still working', { delayMs: 600_000 });
      const file = taskFile(id);
      return writeFileTurn(request, file.name, file.content);
    },
  });
}

/**
 * `co init` in a git project, with review and the final review off (no manager in these tests),
 * two workers, `LONG_LEASE_SECONDS` leases, then the tasks added (a title, or `co add` arguments) and everything committed.
 */
export async function initProject(project: TempProject, env: Readonly<Record<string, string>>, tasks: ReadonlyArray<string | ReadonlyArray<string>>): Promise<void> {
  const init = await project.co(['init'], { env });
  if (init.status !== 0) throw new Error(`co init failed: ${init.stderr}`);
  const configFile = path.join(project.dir, 'orchestrator_config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, Record<string, unknown>>;
  config['models'] = { ...config['models'], enable_opus_review: false, final_review: false };
  config['execution'] = { ...config['execution'], max_workers: 2, lease_duration: LONG_LEASE_SECONDS, retry_base_delay: 1, retry_max_delay: 1 };
  config['notifications'] = { ...config['notifications'], desktop: false };
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  for (const task of tasks) {
    const added = await project.co(['add', ...(typeof task === 'string' ? [task] : task)], { env });
    if (added.status !== 0) throw new Error(`co add failed: ${added.stderr}`);
  }
  git(project.dir, 'add', '-A');
  git(project.dir, 'commit', '-q', '-m', 'co init');
}

/** A `co` command running in the background, with its output so far. */
export interface BackgroundCo {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** Starts the built `co` with `args` in the project (same clean environment as `project.co`). */
export function startCo(project: TempProject, args: ReadonlyArray<string>, env: Readonly<Record<string, string>>): BackgroundCo {
  const base: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('ORCHESTRATOR_') || key === 'ANTHROPIC_API_KEY' || key === 'SLACK_WEBHOOK_URL') continue;
    base[key] = value;
  }
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'co.js'), ...args], {
    cwd: project.dir,
    env: { ...base, CO_USER_DATA: project.userData, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exited };
}

/**
 * `co run --workers 2` of a project whose tasks 1 and 2 finish while 3 and 4 hang (scriptFileWriters),
 * killed with SIGKILL once 1 and 2 are done and 3 and 4 are busy; resolves once the watchdog has taken
 * the killed run's agents down. `track` is told those agents before the kill, for a failed test's clean-up.
 */
export async function killCoRunWithTwoDoneTwoBusy(project: TempProject, env: Readonly<Record<string, string>>, track: (agents: ReadonlyArray<{ readonly group: number }>) => void): Promise<void> {
  const cli = startCo(project, ['run', '--workers', '2', '--no-progress'], env);
  await vi.waitFor(
    () => {
      const statuses = taskStatuses(project.dir);
      expect([statuses['1'], statuses['2']], cli.output()).toEqual(['done', 'done']);
      expect(runningAgentGroups(project.dir).map((agent) => agent.taskId).sort()).toEqual(['3', '4']);
    },
    { timeout: 180_000, interval: 250 },
  );
  const agents = runningAgentGroups(project.dir);
  track(agents);
  cli.child.kill('SIGKILL');
  expect((await cli.exited).signal).toBe('SIGKILL');
  await vi.waitFor(() => expect(liveAgentProcesses(agents)).toEqual([]), { timeout: 5_000, interval: 100 });
}

/** Rows of a read-only query on the project's database (empty before the database exists). */
export function queryProject<T>(projectDir: string, sql: string, ...params: ReadonlyArray<unknown>): T[] {
  const file = path.join(projectDir, '.orchestrator', 'state.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Each task's status, by id. */
export function taskStatuses(projectDir: string): Record<string, string> {
  const rows = queryProject<{ id: string; status: string }>(projectDir, 'SELECT id, status FROM tasks');
  return Object.fromEntries(rows.map((row) => [row.id, row.status]));
}

/** The process groups recorded for attempts still running (the agents a killed process leaves). */
export function runningAgentGroups(projectDir: string): Array<{ taskId: string; pid: number; group: number }> {
  return queryProject<{ taskId: string; pid: number; group: number }>(
    projectDir,
    "SELECT task_id AS taskId, process_pid AS pid, process_group AS \"group\" FROM attempts WHERE status = 'running' AND process_group IS NOT NULL",
  );
}

/** Live processes in any of the process groups (or with any of the pids). */
export function liveAgentProcesses(groups: ReadonlyArray<{ readonly pid: number; readonly group: number }>): string[] {
  const pids = new Set(groups.map((entry) => entry.pid));
  const pgids = new Set(groups.map((entry) => entry.group));
  return liveProcesses()
    .filter((listed) => pgids.has(listed.pgid) || pids.has(listed.pid))
    .map((listed) => `${listed.pid} ${listed.command}`);
}

/** Kills process groups left by a failed test (clean-up only; a passing test leaves none). */
export function killGroupsQuietly(groups: ReadonlyArray<{ readonly group: number }>): void {
  for (const { group } of groups) {
    try {
      process.kill(-group, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
}

/** How many commits on the current branch (merges excluded) changed `file`. */
export function commitsTouching(projectDir: string, file: string): number {
  const log = git(projectDir, 'log', '--no-merges', '--format=%H', '--', file);
  return log === '' ? 0 : log.split('\n').length;
}

/** Asserts helper: the files every task wrote, as the user's checkout has them (missing: null). */
export function taskFilesOnBranch(projectDir: string, ids: ReadonlyArray<string>): Record<string, string | null> {
  return Object.fromEntries(
    ids.map((id) => {
      const file = path.join(projectDir, taskFile(id).name);
      return [id, existsSync(file) ? readFileSync(file, 'utf8') : null];
    }),
  );
}

/**
 * Installs a git `reference-transaction` hook in the project that kills (SIGKILL) process `pid` the
 * moment a git command it started has moved a run's integration branch (`orchestrator/run-*`, not
 * its creation): the ref is on disk, and nothing after it in that process runs. This hits the window
 * between "merged into the run's branch" and "task recorded done" every time, without sleeps.
 */
export function killAfterRunBranchMoves(projectDir: string, pid: number): void {
  const hook = path.join(projectDir, '.git', 'hooks', 'reference-transaction');
  const script = [
    '#!/bin/sh',
    '# Test hook (recovery tests): kill -9 one process right after it moved its run\'s integration branch.',
    '[ "$1" = committed ] || { cat >/dev/null; exit 0; }',
    'moved=no',
    'while read -r old new ref; do',
    '  case "$ref" in refs/heads/orchestrator/run-*) case "$old" in *[!0]*) moved=yes ;; esac ;; esac',
    'done',
    '[ "$moved" = yes ] || exit 0',
    'process=$PPID',
    'while [ -n "$process" ] && [ "$process" -gt 1 ]; do',
    `  if [ "$process" = ${pid} ]; then kill -9 ${pid}; exit 0; fi`,
    "  process=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$process/status 2>/dev/null)",
    'done',
    'exit 0',
    '',
  ].join('\n');
  writeFileSync(hook, script, { mode: 0o755 });
}
