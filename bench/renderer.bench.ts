/**
 * Renderer benchmark (issue 7): the Graph tab at 500 tasks (target: laid out and drawn in
 * under 1 s) and live log throughput (target: 2,000 lines/s sustained, renderer heap under
 * 200 MB), in Chromium against the built `co serve`. Prints figures; asserts nothing.
 * Run: npx tsx bench/renderer.bench.ts   (build first: npm run build)
 * Env: CO_BENCH_GRAPH_RUNS (default 5), CO_BENCH_LOG_SECONDS (default 20 per phase).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { chromium, type Browser, type CDPSession, type Page, type WebSocketRoute } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from '../test/support/chromium';
import { startServeProcess, type ServeProcess } from '../test/support/serve-process';
import { KEEP_NAMES_SHIM, RECORD_SOCKETS_SCRIPT, createLayeredTasks, generateLogsInPage, injectInPage, heapUsedMb, laneLineCount, newestRenderedLine, spread, timeGraphTab, type GraphTiming, type Spread } from './renderer-bench-support';

const repoRoot = join(import.meta.dirname, '..');
const TASKS = 500;
const GRAPH_RUNS = Number(process.env['CO_BENCH_GRAPH_RUNS'] ?? 5);
const LOG_SECONDS = Number(process.env['CO_BENCH_LOG_SECONDS'] ?? 20);
const MAX_SECONDS = Math.ceil(LOG_SECONDS / 2);
const ROUTE_SECONDS = Math.ceil(LOG_SECONDS / 2);
const TARGET_RATE = 2_000;
const SAMPLE_MS = 500;
const WATCHDOG_MS = 170_000;

/** What one log phase measured. */
interface LogPhase {
  readonly label: string;
  readonly seconds: number;
  readonly sentPerSecond: number;
  /** Lines drawn per second, from the first line sent to the last line drawn. */
  readonly drawnPerSecond: number;
  /** Time after sending stopped until the last line was drawn (NaN: not within 15 s). */
  readonly drainMs: number;
  readonly heapStartMb: number;
  readonly heapPeakMb: number;
  readonly heapEndMb: number;
  /** Round trips of `page.evaluate(() => 1)` every 500 ms while sending. */
  readonly roundTrip: Spread;
  /** In-page generation only: the longest a 50 ms timer fired late. */
  readonly maxTimerLateMs: number;
}

/** Sends log lines for one phase and says the last sequence number sent. */
type Driver = () => Promise<{ readonly lastSeq: number; readonly maxTimerLateMs: number }>;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Opens the project through the projects screen's path field and waits for its task table. */
async function openProject(page: Page, folder: string, taskCount: number): Promise<void> {
  await page.getByLabel('Project folder').fill(folder);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByRole('table', { name: 'Tasks' }).getByRole('row').nth(taskCount).waitFor();
}

async function measureGraph(page: Page, url: string, folder: string): Promise<GraphTiming[]> {
  const timings: GraphTiming[] = [];
  for (let run = 0; run < GRAPH_RUNS; run += 1) {
    if (run === 0) await page.goto(url);
    else await page.reload();
    await openProject(page, folder, TASKS);
    const timing = await timeGraphTab(page, TASKS);
    console.log(`  graph run ${run + 1}: first node ${timing.firstNode.toFixed(0)} ms, settled ${timing.settled.toFixed(0)} ms, ${timing.nodesInDom} nodes in the DOM`);
    timings.push(timing);
  }
  return timings;
}

/** Runs one driver while sampling a round trip and the heap every 500 ms, then waits for the last line to be drawn. */
async function logPhase(page: Page, cdp: CDPSession, label: string, firstSeq: number, drive: Driver): Promise<{ readonly phase: LogPhase; readonly nextSeq: number }> {
  const heapStartMb = await heapUsedMb(cdp);
  const renderedAtStart = await newestRenderedLine(page);
  const started = performance.now();
  let sending = true;
  let stopped = Number.NaN;
  const driving = drive().finally(() => {
    sending = false;
    stopped = performance.now();
  });
  const roundTrips: number[] = [];
  let heapPeakMb = heapStartMb;
  while (sending) {
    const tick = performance.now();
    await page.evaluate(() => 1);
    roundTrips.push(performance.now() - tick);
    heapPeakMb = Math.max(heapPeakMb, await heapUsedMb(cdp));
    await sleep(SAMPLE_MS - (performance.now() - tick));
  }
  const { lastSeq, maxTimerLateMs } = await driving;
  let rendered = await newestRenderedLine(page);
  while (rendered < lastSeq && performance.now() - stopped < 15_000) {
    await sleep(20);
    rendered = await newestRenderedLine(page);
  }
  const lastDrawn = performance.now();
  const heapEndMb = await heapUsedMb(cdp);
  const phase: LogPhase = {
    label,
    seconds: (stopped - started) / 1000,
    sentPerSecond: ((lastSeq - firstSeq) * 1000) / (stopped - started),
    drawnPerSecond: ((rendered - renderedAtStart) * 1000) / (lastDrawn - started),
    drainMs: rendered >= lastSeq ? lastDrawn - stopped : Number.NaN,
    heapStartMb,
    heapPeakMb: Math.max(heapPeakMb, heapEndMb),
    heapEndMb,
    roundTrip: spread(roundTrips),
    maxTimerLateMs,
  };
  console.log(`  ${label}: sent ${lastSeq - firstSeq} lines in ${phase.seconds.toFixed(1)} s, drawn up to line ${rendered}`);
  return { phase, nextSeq: lastSeq };
}

/** Pushes frames through Playwright's routeWebSocket: at `rate` lines/s, or (rate 0) in batches of 500 with a round trip between as back-pressure. */
function routeDriver(page: Page, push: (seq: number) => void, firstSeq: number, rate: number, seconds: number): Driver {
  return async () => {
    let seq = firstSeq;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      if (rate === 0) {
        for (let index = 0; index < 500; index += 1) push((seq += 1));
        await page.evaluate(() => 1);
      } else {
        const due = firstSeq + Math.floor((rate * (performance.now() - started)) / 1000);
        while (seq < due) push((seq += 1));
        await sleep(10);
      }
    }
    return { lastSeq: seq, maxTimerLateMs: Number.NaN };
  };
}

function runStartMessages(folder: string): string[] {
  const now = Date.now();
  const message = (event: string, payload: object): string => JSON.stringify({ type: 'event', event, payload: { project: folder, ...payload } });
  return [
    message('run.started', { run: { id: 'run-1', goal: null, status: 'running', owner: 'bench', maxWorkers: 1, taskIds: null, startedAt: now, finishedAt: null, summary: null } }),
    message('attempt.started', {
      attempt: {
        id: 'attempt-1', taskId: '1', runId: 'run-1', number: 1, status: 'running', backend: 'claude-cli', workerOwner: 'bench', sessionId: null,
        workingDirectory: folder, worktree: null, branch: null, commitBefore: null, commitAfter: null, exitCode: null, output: null, errorClass: null,
        errorMessage: null, usage: { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 }, costUsd: 0, review: null,
        startedAt: now, finishedAt: null,
      },
    }),
  ];
}

/** What the log phases of one injection path measured. */
interface LogResults {
  readonly phases: LogPhase[];
  readonly keptLines: number;
  readonly heapAfterGcMb: number;
}

/** Opens the Run tab, starts a fake run with one worker, runs a steady and a flat-out phase, then reads the buffer size and the heap after a GC. */
async function measureLogs(page: Page, url: string, folder: string, how: 'route' | 'in-page', seconds: { readonly steady: number; readonly max: number }, send: (messages: ReadonlyArray<string>) => Promise<void>): Promise<LogResults> {
  await page.goto(url);
  await openProject(page, folder, TASKS);
  await page.getByRole('tab', { name: 'Run' }).click();
  await page.getByRole('status', { name: 'Run state' }).waitFor();
  await send(runStartMessages(folder));
  await page.getByRole('list', { name: 'Worker lanes' }).getByText('running').waitFor();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const push = (seq: number): void =>
    void send([JSON.stringify({ type: 'event', event: 'attempt.log', payload: { project: folder, attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq, at: Date.now(), kind: 'assistant.text', text: `line ${seq}` } })]);
  const driver = (firstSeq: number, rate: number, phaseSeconds: number): Driver =>
    how === 'route' ? routeDriver(page, push, firstSeq, rate, phaseSeconds) : () => generateLogsInPage(page, { project: folder, firstSeq, rate, seconds: phaseSeconds });
  const steady = await logPhase(page, cdp, `${how}, ${TARGET_RATE.toLocaleString('en')}/s`, 0, driver(0, TARGET_RATE, seconds.steady));
  const max = await logPhase(page, cdp, `${how}, flat out`, steady.nextSeq, driver(steady.nextSeq, 0, seconds.max));
  const keptLines = await laneLineCount(page);
  await cdp.send('HeapProfiler.collectGarbage');
  const heapAfterGcMb = await heapUsedMb(cdp);
  await cdp.detach();
  return { phases: [steady.phase, max.phase], keptLines, heapAfterGcMb };
}

function printReport(graph: ReadonlyArray<GraphTiming>, logs: ReadonlyArray<LogResults>, startLoad: ReadonlyArray<number>): void {
  const ms = (value: number): string => (Number.isNaN(value) ? '–' : `${value.toFixed(0)} ms`);
  const first = spread(graph.map((timing) => timing.firstNode));
  const settled = spread(graph.map((timing) => timing.settled));
  console.log(`\nMachine: ${cpus().length} cores, load average at start ${startLoad.map((value) => value.toFixed(2)).join(' ')}, at end ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
  console.log(`\nGraph tab, ${TASKS} tasks, ${graph.length} runs (reload between)   min / median / max`);
  console.log(`  click → first node visible      ${ms(first.min)} / ${ms(first.median)} / ${ms(first.max)}`);
  console.log(`  click → layout and render done  ${ms(settled.min)} / ${ms(settled.median)} / ${ms(settled.max)}   target < 1,000 ms: ${settled.max < 1000 ? 'met' : settled.median < 1000 ? 'met on the median' : 'NOT met'}`);
  console.log('\nLive log (Run tab open, one worker)');
  console.log('  phase                 | secs | sent/s | drawn/s | drain    | heap start / peak / end   | round trip min/med/max   | timer late');
  for (const phase of logs.flatMap((result) => result.phases)) {
    const heap = `${phase.heapStartMb.toFixed(1)} / ${phase.heapPeakMb.toFixed(1)} / ${phase.heapEndMb.toFixed(1)} MB`;
    const trip = `${ms(phase.roundTrip.min)} / ${ms(phase.roundTrip.median)} / ${ms(phase.roundTrip.max)}`;
    const drain = Number.isNaN(phase.drainMs) ? '>15 s' : ms(phase.drainMs);
    console.log(`  ${phase.label.padEnd(21)} | ${phase.seconds.toFixed(1).padStart(4)} | ${phase.sentPerSecond.toFixed(0).padStart(6)} | ${phase.drawnPerSecond.toFixed(0).padStart(7)} | ${drain.padStart(8)} | ${heap.padEnd(25)} | ${trip.padEnd(24)} | ${ms(phase.maxTimerLateMs)}`);
  }
  for (const result of logs) console.log(`  ${result.phases[0]?.label.split(',')[0] ?? ''}: lines kept by the buffer for the attempt ${result.keptLines}; heap after a forced GC ${result.heapAfterGcMb.toFixed(1)} MB`);
  const inPage = logs[logs.length - 1]?.phases[0];
  const heapPeak = Math.max(...logs.flatMap((result) => result.phases.map((phase) => phase.heapPeakMb)));
  if (inPage !== undefined) {
    const sustained = inPage.drawnPerSecond >= TARGET_RATE * 0.95 && inPage.drainMs < 1000;
    console.log(`  target ${TARGET_RATE.toLocaleString('en')} lines/s sustained (${inPage.label}): ${sustained ? 'met' : 'NOT met'}; heap under 200 MB: ${heapPeak < 200 ? 'met' : 'NOT met'} (peak ${heapPeak.toFixed(1)} MB)`);
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(repoRoot, 'dist', 'renderer', 'index.html')) || !existsSync(join(repoRoot, 'dist', 'main', 'cli.mjs'))) {
    console.error('dist/renderer or dist/main/cli.mjs is missing: run `npm run build` first.');
    process.exitCode = 1;
    return;
  }
  const startLoad = loadavg();
  const folder = await mkdtemp(join(tmpdir(), 'co-bench-renderer-'));
  let serve: ServeProcess | undefined;
  let browser: Browser | undefined;
  const watchdog = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the benchmark took over ${WATCHDOG_MS / 1000} s; stopped`)), WATCHDOG_MS).unref());
  try {
    execFileSync('git', ['init', '-q'], { cwd: folder });
    serve = await startServeProcess();
    browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS] });
    const { url, token } = serve;
    const run = async (): Promise<void> => {
      if (browser === undefined) return;
      // Page 1: the graph, then log lines pushed through Playwright's routeWebSocket in front of the real host.
      const routed = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await routed.addInitScript(KEEP_NAMES_SHIM);
      let socket: WebSocketRoute | undefined;
      await routed.routeWebSocket(/\/rpc\?token=/, (route) => {
        route.connectToServer();
        socket = route;
      });
      await routed.goto(url);
      const creating = performance.now();
      await createLayeredTasks(routed, token, folder, TASKS);
      console.log(`Created ${TASKS} tasks in ${basename(folder)} in ${((performance.now() - creating) / 1000).toFixed(1)} s`);
      const graph = await measureGraph(routed, url, folder);
      console.log(`Log lines through routeWebSocket: ${ROUTE_SECONDS} s at ${TARGET_RATE}/s, then ${ROUTE_SECONDS} s flat out…`);
      const viaRoute = await measureLogs(routed, url, folder, 'route', { steady: ROUTE_SECONDS, max: ROUTE_SECONDS }, async (messages) => {
        for (const message of messages) socket?.send(message);
      });
      await routed.close();
      // Page 2: the same messages generated inside the page and dispatched to its real RPC socket.
      const direct = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await direct.addInitScript(KEEP_NAMES_SHIM);
      await direct.addInitScript(RECORD_SOCKETS_SCRIPT);
      console.log(`Log lines generated in the page: ${LOG_SECONDS} s at ${TARGET_RATE}/s, then ${MAX_SECONDS} s flat out…`);
      const inPage = await measureLogs(direct, url, folder, 'in-page', { steady: LOG_SECONDS, max: MAX_SECONDS }, (messages) => injectInPage(direct, messages));
      await direct.close();
      printReport(graph, [viaRoute, inPage], startLoad);
    };
    await Promise.race([run(), watchdog]);
  } finally {
    await browser?.close();
    await serve?.stop();
    // The host may still be writing .orchestrator/state.db for the open project when it stops; retry instead of racing it.
    await rm(folder, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  }
}

await main();
