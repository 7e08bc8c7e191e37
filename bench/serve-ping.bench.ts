/**
 * Does the host answer a ping while it is busy? (issue 18). Prints figures; nothing is asserted.
 * Run: npm run bench:ping
 *
 * The app host (the same code `co serve` runs) behind its WebSocket, one client subscribed to its
 * events as the browser is, and a pinger in another process (test/support/pinger.mjs) sending
 * `app.ping` every 5 ms. Each scenario reports the ping round trips measured while it ran:
 *  1. a 10 MB log burst: a worker (the Claude Code backend running a stand-in `claude` script)
 *     prints 10 MB of stream-json lines, each parsed, bounded, redacted, stored and pushed;
 *  2. a 1,000-task plan import (`prd.accept`);
 *  3. the diff of an attempt that created 5,000 files (`attempts.diff`).
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createClaudeCliBackend } from '../src-main/agents/claude-cli';
import type { WorkerBackend } from '../src-main/engine/worker-backend';
import { startWebHost } from '../src-main/host/web-host';
import { connectRpcClient } from '../test/support/rpc-client';
import { createTestHost } from '../test/support/test-host';

const root = join(import.meta.dirname, '..');
const folder = mkdtempSync(join(tmpdir(), 'co-bench-ping-'));

/** A stand-in for `claude`: prints `megabytes` of assistant lines of stream-json, then a result. */
function fakeClaude(megabytes: number): string {
  const script = join(folder, 'fake-claude.mjs');
  writeFileSync(
    script,
    `#!/usr/bin/env node
const text = 'The agent says: ' + 'lorem ipsum dolor sit amet '.repeat(180);
const line = JSON.stringify({ type: 'assistant', message: { id: 'm', model: 'claude', content: [{ type: 'text', text }], usage: { output_tokens: 1 } } }) + '\\n';
let written = 0;
const chunks = [];
while (written < ${megabytes} * 1024 * 1024) { chunks.push(line); written += line.length; }
process.stdout.write(chunks.join(''));
process.stdout.write(JSON.stringify({ type: 'result', subtype: 'success', is_error: false, result: 'Done.', total_cost_usd: 0.01, usage: { input_tokens: 10, output_tokens: 10 } }) + '\\n');
`,
  );
  chmodSync(script, 0o755);
  return script;
}

/** A backend that creates `count` files in the attempt's folder (the git lifecycle then commits them). */
function fileWriter(count: number): WorkerBackend {
  return {
    name: 'bench-files',
    runAttempt: async (input) => {
      await mkdir(join(input.workingDirectory, 'generated'), { recursive: true });
      for (let index = 0; index < count; index += 1) await writeFile(join(input.workingDirectory, 'generated', `file-${index}.ts`), `export const value${index} = ${index};\n`);
      return { status: 'succeeded', output: 'wrote files', filesModified: [], filesCreated: [], discoveries: [], usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0 };
    },
  };
}

function gitRepo(name: string): string {
  const dir = join(folder, name);
  execFileSync('mkdir', ['-p', dir]);
  const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@localhost');
  git('config', 'user.name', 'bench');
  writeFileSync(join(dir, 'README.md'), '# bench\n');
  writeFileSync(join(dir, 'orchestrator_config.json'), JSON.stringify({ monitoring: { checkpoint_before_run: false }, execution: { max_retries: 0 } }));
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  return dir;
}

function summary(latencies: ReadonlyArray<number>): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
  return `${sorted.length} pings: median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms`;
}

async function scenario(name: string, backend: WorkerBackend | undefined, project: string, work: (call: Awaited<ReturnType<typeof connectRpcClient>>['client']) => Promise<unknown>): Promise<void> {
  const host = createTestHost(folder, { userData: `user-data-${name.replace(/\W+/g, '-')}`, ...(backend === undefined ? {} : { backend }) });
  const web = await startWebHost({ server: host.server, events: host.events, onClientGone: (client) => host.clientGone(client) });
  const { client, socket } = await connectRpcClient(web);
  let events = 0;
  client.subscribe('attempt.log', () => (events += 1));
  await client.invoke('projects.open', { path: project });
  const pinger = spawn(process.execPath, [join(root, 'test', 'support', 'pinger.mjs'), `ws://127.0.0.1:${web.port}/rpc?token=${web.token}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise((resolve) => pinger.stderr.once('data', resolve));
  try {
    setPriority(pinger.pid ?? 0, -10);
    setPriority(process.pid, -10);
  } catch {
    // Not root: measure at normal priority.
  }
  let output = '';
  pinger.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise((resolve) => pinger.once('exit', resolve));
  const started = performance.now();
  await work(client);
  const elapsed = performance.now() - started;
  pinger.stdin.end();
  await done;
  const { latencies } = JSON.parse(output) as { latencies: number[] };
  console.log(`${name.padEnd(34)} ${elapsed.toFixed(0).padStart(6)} ms; ${summary(latencies)}${events > 0 ? `; ${events} log lines pushed` : ''}`);
  socket.close();
  await web.close();
  await host.close();
}

try {
  const logs = gitRepo('logs');
  const claude = fakeClaude(10);
  await scenario('10 MB log burst', createClaudeCliBackend({ claudePath: claude, skipLoginShell: true, inheritEnv: true }), logs, async (client) => {
    await client.invoke('tasks.create', { project: logs, task: { title: 'Talk a lot' } });
    const finished = new Promise<void>((resolve) => client.subscribe('run.finished', () => resolve()));
    await client.invoke('runs.start', { project: logs });
    await finished;
  });

  const plan = gitRepo('plan');
  const tasks = Array.from({ length: 1_000 }, (_, index) => ({
    id: String(index + 1),
    title: `Task ${index + 1}`,
    description: `Do part ${index + 1} of the plan. `.repeat(10),
    dependencies: index === 0 ? [] : [String(Math.max(1, index - (index % 7)))],
    acceptanceCriteria: ['it works', 'tests pass'],
  }));
  await scenario('1,000-task plan import', undefined, plan, (client) => client.invoke('prd.accept', { project: plan, tasks }));

  const diff = gitRepo('diff');
  const diffBackend = fileWriter(5_000);
  let attemptId = '';
  await scenario('diff of 5,000 files', diffBackend, diff, async (client) => {
    await client.invoke('tasks.create', { project: diff, task: { title: 'Write 5,000 files' } });
    const finished = new Promise<void>((resolve) => client.subscribe('run.finished', () => resolve()));
    await client.invoke('runs.start', { project: diff });
    await finished;
    attemptId = (await client.invoke('attempts.list', { project: diff, id: '1' }))[0]?.id ?? '';
  });
  await scenario('  (then attempts.diff alone)', diffBackend, diff, async (client) => {
    const result = await client.invoke('attempts.diff', { project: diff, attemptId });
    console.log(`    diff: ${result.files.length} files, patch ${(result.patch.length / 1e6).toFixed(2)} MB${result.truncated ? ' (cut)' : ''}`);
  });
} finally {
  rmSync(folder, { recursive: true, force: true });
}
