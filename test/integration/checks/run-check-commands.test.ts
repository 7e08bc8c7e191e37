import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkFailureFeedback, describeCheckResult, runCheckCommands, type CheckOutputStream } from '../../../src-main/project/checks';
import { makeTempDir } from '../../support/fake-anthropic';
import { isAlive } from '../agents/support';

/** Waits until a process is gone (the kernel reaps it shortly after SIGKILL); fails after `ms`. */
async function waitUntilGone(pid: number, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still running`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('runCheckCommands (real processes)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    dir = makeTempDir('co-check-run-');
  });
  afterEach(() => dir.cleanup());

  it('runs passing commands in order in the folder, streaming their lines', async () => {
    const lines: Array<[string, CheckOutputStream]> = [];
    const result = await runCheckCommands(['echo one > first.txt && echo out', 'echo err >&2; cat first.txt'], {
      cwd: dir.path,
      timeoutMs: 30_000,
      onOutput: (line, stream) => lines.push([line, stream]),
    });
    expect(result.ok).toBe(true);
    expect(result.results.map((entry) => [entry.command, entry.passed, entry.end])).toEqual([
      ['echo one > first.txt && echo out', true, { kind: 'exit', exitCode: 0 }],
      ['echo err >&2; cat first.txt', true, { kind: 'exit', exitCode: 0 }],
    ]);
    // stdout and stderr are separate pipes: order holds within each stream.
    expect(lines.filter(([, stream]) => stream === 'stdout')).toEqual([
      ['out', 'stdout'],
      ['one', 'stdout'],
    ]);
    expect(lines.filter(([, stream]) => stream === 'stderr')).toEqual([['err', 'stderr']]);
  });

  it('stops at the first failing command, with its exit code and the redacted tail of its output', async () => {
    const result = await runCheckCommands(
      ['true', 'for i in $(seq 1 3000); do echo "line $i"; done; echo "key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789" >&2; exit 3', 'touch never-ran'],
      { cwd: dir.path, timeoutMs: 30_000 },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.results).toHaveLength(2);
    expect(result.failed.end).toEqual({ kind: 'exit', exitCode: 3 });
    expect(describeCheckResult(result.failed)).toMatch(/^`for i in .*` exited with code 3$/);
    expect(result.failed.outputTail.length).toBeLessThan(8_400);
    expect(result.failed.outputTail).toMatch(/^\[… earlier output omitted\]\n/);
    expect(result.failed.outputTail).toContain('line 3000');
    expect(result.failed.outputTail).not.toContain('line 1\n');
    expect(result.failed.outputTail).not.toContain('abcdefghijklmnopqrstuvwxyz0123456789');
    expect(checkFailureFeedback(result.failed)).toContain('exited with code 3. Make it pass.');
    expect(() => readFileSync(join(dir.path, 'never-ran'))).toThrow();
  });

  it('kills a command and the children it started when the timeout is reached', async () => {
    const result = await runCheckCommands(['sleep 300 & echo $! > sleep.pid; wait'], { cwd: dir.path, timeoutMs: 1_000, killGraceMs: 500 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.failed.end).toEqual({ kind: 'timeout', timeoutMs: 1_000 });
    expect(describeCheckResult(result.failed)).toBe('`sleep 300 & echo $! > sleep.pid; wait` timed out after 1 s');
    await waitUntilGone(Number(readFileSync(join(dir.path, 'sleep.pid'), 'utf8')));
  });

  it('stops on abort, killing the process group, and runs nothing when aborted before it starts', async () => {
    const controller = new AbortController();
    const running = runCheckCommands(['sleep 300 & echo $! > sleep.pid; echo started; wait', 'touch never-ran'], {
      cwd: dir.path,
      timeoutMs: 60_000,
      signal: controller.signal,
      onOutput: (line) => {
        if (line === 'started') controller.abort();
      },
    });
    const result = await running;
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.failed.end).toEqual({ kind: 'aborted' });
    await waitUntilGone(Number(readFileSync(join(dir.path, 'sleep.pid'), 'utf8')));
    expect(() => readFileSync(join(dir.path, 'never-ran'))).toThrow();

    const again = await runCheckCommands(['touch never-ran'], { cwd: dir.path, timeoutMs: 1_000, signal: controller.signal });
    expect(again.ok).toBe(false);
    expect(() => readFileSync(join(dir.path, 'never-ran'))).toThrow();
  });

  it('kills background jobs a passing command leaves behind', async () => {
    const result = await runCheckCommands(['sleep 300 > /dev/null 2>&1 & echo $! > sleep.pid'], { cwd: dir.path, timeoutMs: 30_000 });
    expect(result.ok).toBe(true);
    await waitUntilGone(Number(readFileSync(join(dir.path, 'sleep.pid'), 'utf8')));
  });

  it('bounds a 2 MB line without a newline', async () => {
    const lines: string[] = [];
    const result = await runCheckCommands(["head -c 2000000 /dev/zero | tr '\\0' a; echo; echo done; exit 1"], {
      cwd: dir.path,
      timeoutMs: 30_000,
      onOutput: (line) => lines.push(line),
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]!.length).toBeLessThan(4_200);
    expect(lines[0]).toMatch(/… \[1995904 more characters\]$/);
    expect(lines[1]).toBe('done');
    if (!result.ok) expect(result.failed.outputTail.length).toBeLessThan(8_400);
  });

  it('does not pass the orchestrator’s Anthropic key to the project’s commands, and says when the folder is missing', async () => {
    const previous = process.env['ANTHROPIC_API_KEY'];
    process.env['ANTHROPIC_API_KEY'] = 'sk-ant-api03-should-not-be-seen-0123456789';
    try {
      const lines: string[] = [];
      await runCheckCommands(['echo "key=${ANTHROPIC_API_KEY:-unset} ci=$CI extra=$EXTRA"'], { cwd: dir.path, timeoutMs: 30_000, env: { EXTRA: 'yes' }, onOutput: (line) => lines.push(line) });
      expect(lines).toEqual(['key=unset ci=true extra=yes']);
    } finally {
      if (previous === undefined) delete process.env['ANTHROPIC_API_KEY'];
      else process.env['ANTHROPIC_API_KEY'] = previous;
    }
    const missing = await runCheckCommands(['true'], { cwd: join(dir.path, 'nope'), timeoutMs: 1_000 });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(describeCheckResult(missing.failed)).toMatch(/could not start: the folder .*nope does not exist/);
  });
});
