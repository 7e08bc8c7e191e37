import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isHeldByTerminal } from '../../../src-shared/domain/task-hold';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { Store } from '../../../src-main/store/store';
import { TerminalSessions, type TerminalProject, type TerminalSessionsOptions } from '../../../src-main/terminal/terminal-sessions';
import { PtyProcess } from '../../../src-main/terminal/pty-process';
import { git, makeRepo, writeFiles } from '../workspace/git-fixtures';

/** Output of every terminal, and the events seen, for a test to wait on. */
class Screen {
  readonly output = new Map<string, string>();
  readonly events: string[] = [];
  private readonly waiters = new Set<() => void>();

  readonly emit: TerminalSessionsOptions['emit'] = (event, payload) => {
    this.events.push(`${event} ${payload.sessionId}`);
    if (event === 'terminal.output') {
      const { sessionId, data } = payload as { sessionId: string; data: string };
      this.output.set(sessionId, (this.output.get(sessionId) ?? '') + data);
    }
    for (const wake of [...this.waiters]) wake();
  };

  /** Resolves with the session's output once it matches. */
  waitFor(sessionId: string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const match = (this.output.get(sessionId) ?? '').match(pattern);
        if (match === null) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out waiting for ${String(pattern)}; output so far: ${JSON.stringify((this.output.get(sessionId) ?? '').slice(-400))}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A git project with a store holding task 1 (ready again after a failed attempt whose work is on its branch). */
async function projectWithAttempt(): Promise<{ project: TerminalProject; store: Store; runs: string[][]; attemptId: string; attemptBranch: string }> {
  const repo = await makeRepo({ 'README.md': '# project\n' });
  cleanups.push(repo.cleanup);
  const base = git(repo.dir, 'rev-parse', 'HEAD').trim();
  const attemptBranch = 'orchestrator/task-1-attempt-1-aaaaaaaa';
  git(repo.dir, 'branch', attemptBranch, base);
  git(repo.dir, 'checkout', '-q', attemptBranch);
  await writeFiles(repo.dir, { 'agent.txt': 'written by the agent\n' });
  git(repo.dir, 'add', '-A');
  git(repo.dir, 'commit', '-q', '-m', 'agent work');
  const workCommit = git(repo.dir, 'rev-parse', 'HEAD').trim();
  git(repo.dir, 'checkout', '-q', 'main');
  await mkdir(path.join(repo.dir, '.orchestrator'), { recursive: true });
  const store = Store.open(path.join(repo.dir, '.orchestrator', 'state.db'));
  cleanups.push(() => store.close());
  const attemptId = 'attempt-1';
  store.write(() => {
    store.tasks.insert({ id: '1', parentId: null, title: 'Fix it', description: '', details: '', testStrategy: '', acceptanceCriteria: [], priority: 'high', status: 'ready', contextFiles: [], hints: [], sourceRef: null }, 1);
    store.attempts.insert({ id: attemptId, taskId: '1', runId: null, number: 1, backend: 'claude-cli', workerOwner: 'worker' }, 2);
    store.attempts.setWorkspace(attemptId, { branch: attemptBranch, commitBefore: base, workCommit });
    store.attempts.finish(attemptId, { status: 'failed', errorMessage: 'the check failed' }, 3);
  });
  const runs: string[][] = [];
  const project: TerminalProject = {
    projectDir: repo.dir,
    store,
    bus: new EngineEventBus(),
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: repo.dir, SHELL: '/bin/sh', PS1: '$ ' },
    claudeEnv: { ANTHROPIC_API_KEY: 'sk-ant-test-not-for-shells' },
    claudePath: () => Promise.reject(new Error('no claude in this test')),
    claudeArgs: [],
    commitMessage: (task) => `${task.title} (task ${task.id})\n`,
    startRun: (taskIds) => {
      runs.push([...taskIds]);
      return Promise.resolve(null);
    },
  };
  return { project, store, runs, attemptId, attemptBranch };
}

describe('PTY host', () => {
  it('runs a program in a pseudo-terminal: input reaches it, resize is seen, scrollback is bounded, kill ends its group', { timeout: 60_000 }, async () => {
    let output = '';
    let exited: { exitCode: number | null; signal: number | null } | undefined;
    const pty = new PtyProcess({
      file: '/bin/sh',
      args: [],
      cwd: process.cwd(),
      env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PS1: '$ ' },
      cols: 80,
      rows: 24,
      scrollbackChars: 2_000,
      onOutput: (data) => (output += data),
      onExit: (exit) => (exited = exit),
    });
    cleanups.push(() => pty.kill());
    const until = async (pattern: RegExp): Promise<RegExpMatchArray> => {
      for (let waited = 0; waited < 20_000; waited += 20) {
        const match = output.match(pattern);
        if (match !== null) return match;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error(`timed out waiting for ${String(pattern)}: ${JSON.stringify(output.slice(-300))}`);
    };
    pty.write('echo hi-$((40 + 2))\n');
    await until(/hi-42/);
    pty.resize(100, 30);
    pty.write('stty size\n');
    await until(/30 100/);
    pty.write('i=0; while [ $i -lt 300 ]; do echo line-$i-xxxxxxxxxxxxxxxxxxxx; i=$((i+1)); done; echo done-printing\n');
    await until(/done-printing\r?\n/);
    expect(pty.history.length).toBeLessThanOrEqual(2_000);
    expect(pty.history).toContain('line-299');
    expect(pty.history).not.toContain('hi-42');
    pty.write('sleep 300 & echo bg=$!\n');
    const background = Number((await until(/bg=(\d+)/))[1]);
    expect(isAlive(background)).toBe(true);
    await pty.kill();
    expect(exited).toBeDefined();
    expect(pty.hasExited).toBe(true);
    expect(await waitUntilGone(background)).toBe(true);
  });

  it('a shell on an attempt: the task is held from workers, the changes go to review as a resumable attempt, and its processes end', { timeout: 120_000 }, async () => {
    const { project, store, runs, attemptId, attemptBranch } = await projectWithAttempt();
    const screen = new Screen();
    const terminals = new TerminalSessions({ emit: screen.emit, holdMs: 30_000 });
    cleanups.push(() => terminals.closeAll());

    const session = await terminals.open(project, { attemptId, kind: 'shell', cols: 80, rows: 24 });
    expect(session.cwd).toContain(path.join('.orchestrator', 'pool', 'slot-'));
    expect(session.branch).toMatch(/^orchestrator\/task-1-attempt-2-/);
    // The slot holds the attempt's work, taken from its branch.
    terminals.write(project.projectDir, session.id, 'cat agent.txt; echo key=[$ANTHROPIC_API_KEY]\n');
    await screen.waitFor(session.id, /written by the agent/);
    // The project's API key is for Claude Code only, never a plain shell's environment.
    await screen.waitFor(session.id, /key=\[\]/);

    // While a person holds the task, no worker claims it, and no second terminal opens on it; the app shows it "In terminal".
    const now = Date.now();
    expect(isHeldByTerminal(store.tasks.get('1') ?? { status: 'ready', leaseOwner: null, leaseExpiresAt: null }, now)).toBe(true);
    expect(store.write(() => store.leases.claimNextReady('some-worker', 'attempt-x', now, now + 60_000, null))).toBeUndefined();
    await expect(terminals.open(project, { attemptId, kind: 'shell', cols: 80, rows: 24 })).rejects.toThrow(/already open in another terminal/);
    expect(terminals.list(project.projectDir).map((each) => each.id)).toEqual([session.id]);

    // A late client gets the output so far and the seq to continue from.
    const attached = terminals.attach(project.projectDir, session.id);
    expect(attached.data).toContain('written by the agent');
    expect(attached.seq).toBeGreaterThan(0);

    terminals.write(project.projectDir, session.id, 'echo by hand > by-hand.txt; sleep 300 & echo bg=$!\n');
    const background = Number((await screen.waitFor(session.id, /bg=(\d+)/))[1]);
    expect(isAlive(background)).toBe(true);

    const result = await terminals.close(project.projectDir, session.id, 'review');
    expect(result.outcome).toBe('queued-for-review');
    expect(result.message).toMatch(/A run is in progress, so task 1 waits/);
    expect(runs).toEqual([['1']]);
    expect(await waitUntilGone(background)).toBe(true);
    expect(screen.events).toContain(`terminal.closed ${session.id}`);

    // The person's work is an attempt the next run resumes at verify and review; the task is free again.
    const task = store.tasks.get('1');
    expect(task?.status).toBe('ready');
    expect(task?.leaseOwner).toBeNull();
    expect(isHeldByTerminal(task ?? { status: 'ready', leaseOwner: null, leaseExpiresAt: null }, Date.now())).toBe(false);
    expect(task?.resumeAttemptId).toBe(result.attemptId);
    const recorded = store.attempts.get(result.attemptId ?? '');
    expect(recorded).toMatchObject({ backend: 'terminal', status: 'succeeded', branch: session.branch, number: 2 });
    // The failed attempt's work was never merged, so the review covers it and the person's changes together.
    expect(recorded?.commitBefore).toBe(git(project.projectDir, 'rev-parse', `${attemptBranch}~1`).trim());
    expect(git(project.projectDir, 'show', `${recorded?.workCommit ?? ''}:by-hand.txt`)).toBe('by hand\n');
    expect(git(project.projectDir, 'show', `${recorded?.workCommit ?? ''}:agent.txt`)).toBe('written by the agent\n');
    // The next attempt is numbered after the person's.
    const claimed = store.write(() => store.leases.claimNextReady('some-worker', 'attempt-y', Date.now(), Date.now() + 60_000, null));
    expect(claimed).toMatchObject({ id: '1', attempts: 3 });
    expect(() => terminals.write(project.projectDir, session.id, 'x')).toThrow(/That terminal is closed/);
  });

  it('discarding leaves the task as it was and deletes the takeover branch', { timeout: 120_000 }, async () => {
    const { project, store, runs, attemptId } = await projectWithAttempt();
    const screen = new Screen();
    const terminals = new TerminalSessions({ emit: screen.emit });
    cleanups.push(() => terminals.closeAll());
    const session = await terminals.open(project, { attemptId, kind: 'shell', cols: 80, rows: 24 });
    terminals.write(project.projectDir, session.id, 'echo scratch > scratch.txt; git add -A; git commit -qm scratch; echo committed-$((1+1))\n');
    await screen.waitFor(session.id, /committed-2/);
    const result = await terminals.close(project.projectDir, session.id, 'discard');
    expect(result.outcome).toBe('discarded');
    expect(runs).toEqual([]);
    expect(store.tasks.get('1')).toMatchObject({ status: 'ready', leaseOwner: null, resumeAttemptId: null });
    expect(store.attempts.listForTask('1').map((each) => each.id)).toEqual([attemptId]);
    expect(git(project.projectDir, 'branch', '--list', session.branch).trim()).toBe('');
  });

  it('closing every terminal (the host shutting down) ends their processes, frees the task and the slot, and keeps the work on its branch', { timeout: 120_000 }, async () => {
    const { project, store, attemptId } = await projectWithAttempt();
    const screen = new Screen();
    const terminals = new TerminalSessions({ emit: screen.emit });
    const session = await terminals.open(project, { attemptId, kind: 'shell', cols: 80, rows: 24 });
    terminals.write(project.projectDir, session.id, 'echo unsaved > unsaved.txt; sleep 300 & echo bg=$!\n');
    const background = Number((await screen.waitFor(session.id, /bg=(\d+)/))[1]);
    await terminals.closeAll();
    expect(await waitUntilGone(background)).toBe(true);
    expect(terminals.list(project.projectDir)).toEqual([]);
    expect(store.tasks.get('1')).toMatchObject({ status: 'ready', leaseOwner: null });
    expect(existsSync(`${session.cwd}.lock`)).toBe(false);
    expect(git(project.projectDir, 'show', `${session.branch}:unsaved.txt`)).toBe('unsaved\n');
  });

  it('sending a merged attempt to review when nothing changed does nothing and leaves no branch behind', { timeout: 60_000 }, async () => {
    const { project, store, runs, attemptId } = await projectWithAttempt();
    store.write(() => store.db.prepare("UPDATE attempts SET status = 'succeeded' WHERE id = ?").run(attemptId));
    const terminals = new TerminalSessions({ emit: new Screen().emit });
    const session = await terminals.open(project, { attemptId, kind: 'shell', cols: 80, rows: 24 });
    const result = await terminals.close(project.projectDir, session.id, 'review');
    expect(result).toMatchObject({ outcome: 'unchanged', attemptId: null, runId: null });
    expect(result.message).toMatch(/Nothing changed in the terminal/);
    expect(runs).toEqual([]);
    expect(store.tasks.get('1')).toMatchObject({ status: 'ready', leaseOwner: null, resumeAttemptId: null });
    expect(git(project.projectDir, 'branch', '--list', session.branch).trim()).toBe('');
  });

  it('refuses to resume a Claude Code session an attempt never recorded, and frees the task', { timeout: 60_000 }, async () => {
    const { project, store, attemptId } = await projectWithAttempt();
    const terminals = new TerminalSessions({ emit: new Screen().emit });
    await expect(terminals.open(project, { attemptId, kind: 'claude', cols: 80, rows: 24 })).rejects.toThrow(/recorded no Claude Code session to resume.*Open a shell/);
    expect(store.tasks.get('1')?.leaseOwner).toBeNull();
  });
});
