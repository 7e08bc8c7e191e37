/**
 * Pieces of the renderer benchmark (bench/renderer.bench.ts) that run in the page or only
 * summarise figures: creating a 500-task plan through the host's RPC, timing the Graph tab,
 * reading the Run view's newest line and the renderer's heap.
 */
import type { CDPSession, Page } from '@playwright/test';

/** A figure series summarised as min / median / max. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Min, median and max of some samples (NaN for none). */
export function spread(samples: ReadonlyArray<number>): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return { min: sorted[0] ?? Number.NaN, median, max: sorted[sorted.length - 1] ?? Number.NaN };
}

/**
 * tsx compiles with esbuild's keepNames, which wraps named inner functions in `__name(...)`;
 * functions handed to `page.evaluate` then run in a page that has no `__name`. This defines it.
 */
export const KEEP_NAMES_SHIM = 'globalThis.__name ??= (target) => target;';

/** Creates `count` tasks in layers of 50, each depending on up to two of the layer above (as test/e2e/graph-large.spec.ts does). */
export async function createLayeredTasks(page: Page, token: string, project: string, count: number): Promise<void> {
  await page.evaluate(
    async ({ token, project, count }) => {
      const socket = new WebSocket(`ws://${location.host}/rpc?token=${encodeURIComponent(token)}`);
      await new Promise((resolve) => socket.addEventListener('open', resolve));
      const waiting = new Map<number, (ok: boolean) => void>();
      socket.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; id: number; ok: boolean };
        if (message.type === 'result') waiting.get(message.id)?.(message.ok);
      });
      const call = (id: number, method: string, input: unknown): Promise<boolean> =>
        new Promise<boolean>((resolve) => {
          waiting.set(id, resolve);
          socket.send(JSON.stringify({ type: 'invoke', id, method, input }));
        });
      await call(0, 'projects.open', { path: project });
      // A layer's tasks depend only on the layer above, so each layer is created in parallel.
      for (let layerStart = 0; layerStart < count; layerStart += 50) {
        const created = Array.from({ length: Math.min(50, count - layerStart) }, (_, offset) => {
          const index = layerStart + offset;
          const layer = Math.floor(index / 50);
          const dependencies = layer === 0 ? [] : [String((layer - 1) * 50 + 1 + ((index * 7) % 50)), String((layer - 1) * 50 + 1 + ((index * 13) % 50))];
          return call(index + 1, 'tasks.create', { project, task: { id: String(index + 1), title: `Task number ${index + 1}`, dependencies: [...new Set(dependencies)] } });
        });
        const results = await Promise.all(created);
        if (results.includes(false)) throw new Error(`creating a task of layer ${layerStart / 50} failed`);
      }
      socket.close();
    },
    { token, project, count },
  );
}

/** Times of one Graph tab opening, in ms from the click. */
export interface GraphTiming {
  /** The first `.react-flow__node` is laid out with a size and not hidden. */
  readonly firstNode: number;
  /** The legend ("N tasks · … critical path") is shown and the graph's DOM has stopped changing (the last change, not the quiet wait after it). */
  readonly settled: number;
  readonly nodesInDom: number;
}

/**
 * Clicks the Graph tab inside the page and times it there (no Playwright round trips in the
 * measured span): first visible node from a requestAnimationFrame poll, "settled" as the last
 * DOM mutation under the workspace before 300 ms of quiet once the legend names all tasks.
 */
export async function timeGraphTab(page: Page, taskCount: number): Promise<GraphTiming> {
  return page.evaluate(async (taskCount) => {
    const tab = [...document.querySelectorAll<HTMLElement>('[role="tab"]')].find((element) => element.textContent?.trim() === 'Graph');
    if (tab === undefined) throw new Error('no Graph tab');
    const started = performance.now();
    let lastMutation = started;
    const observer = new MutationObserver(() => {
      lastMutation = performance.now();
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    tab.click();
    let firstNode = Number.NaN;
    const legend = new RegExp(`^${taskCount} tasks · \\d+ dependencies`);
    const deadline = started + 30_000;
    for (;;) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      if (Number.isNaN(firstNode)) {
        const node = document.querySelector<HTMLElement>('.react-flow__node');
        if (node !== null && node.getBoundingClientRect().width > 0 && getComputedStyle(node).visibility !== 'hidden') firstNode = now - started;
      }
      const legendShown = [...document.querySelectorAll('.legend')].some((element) => legend.test(element.textContent ?? ''));
      if (!Number.isNaN(firstNode) && legendShown && now - lastMutation > 300) break;
      if (now > deadline) throw new Error('the graph did not settle within 30 s');
    }
    observer.disconnect();
    return { firstNode, settled: lastMutation - started, nodesInDom: document.querySelectorAll('.react-flow__node').length };
  }, taskCount);
}

/** The sequence number of the newest line the Run view's log has drawn ("line N"), 0 if none. */
export async function newestRenderedLine(page: Page): Promise<number> {
  return page.evaluate(() => {
    const texts = document.querySelectorAll('[role="log"] .log-line .log-text');
    let newest = 0;
    for (const text of texts) {
      const match = /^line (\d+)$/.exec(text.textContent ?? '');
      if (match !== null) newest = Math.max(newest, Number(match[1]));
    }
    return newest;
  });
}

/**
 * Records the page's `/rpc` WebSockets so `injectInPage` can hand them synthetic messages.
 * Used on a page without `routeWebSocket`, whose per-frame protocol round trip is slower than
 * the renderer (see the benchmark's notes).
 */
export const RECORD_SOCKETS_SCRIPT = `
  globalThis.__benchSockets = [];
  const Original = globalThis.WebSocket;
  globalThis.WebSocket = class extends Original {
    constructor(...args) { super(...args); if (String(args[0]).includes('/rpc')) globalThis.__benchSockets.push(this); }
  };
`;

/** Dispatches server messages (JSON texts) to the page's recorded RPC socket, as if the host had sent them. */
export async function injectInPage(page: Page, messages: ReadonlyArray<string>): Promise<void> {
  await page.evaluate((messages) => {
    const sockets = (globalThis as unknown as { __benchSockets: WebSocket[] }).__benchSockets;
    const socket = sockets[sockets.length - 1];
    if (socket === undefined) throw new Error('no RPC socket recorded');
    for (const data of messages) socket.dispatchEvent(new MessageEvent('message', { data }));
  }, messages);
}

/** What an in-page log generator did. */
export interface InPageGeneration {
  readonly lastSeq: number;
  readonly elapsedMs: number;
  /** Longest delay of a 50 ms timer beyond its due time while generating (main-thread blocking). */
  readonly maxTimerLateMs: number;
}

/**
 * Generates `attempt.log` messages inside the page for `seconds`: at `rate` lines/s from a
 * 10 ms interval, or (rate 0) in chunks of 250 per task as fast as the page takes them,
 * dispatched to the page's RPC socket, so the transport, store and Run view do all the work.
 */
export async function generateLogsInPage(page: Page, options: { readonly project: string; readonly firstSeq: number; readonly rate: number; readonly seconds: number }): Promise<InPageGeneration> {
  return page.evaluate(async ({ project, firstSeq, rate, seconds }) => {
    const sockets = (globalThis as unknown as { __benchSockets: WebSocket[] }).__benchSockets;
    const socket = sockets[sockets.length - 1];
    if (socket === undefined) throw new Error('no RPC socket recorded');
    let seq = firstSeq;
    const started = performance.now();
    const send = (): void => {
      seq += 1;
      const payload = { project, attemptId: 'attempt-1', taskId: '1', runId: 'run-1', seq, at: Date.now(), kind: 'assistant.text', text: `line ${seq}` };
      socket.dispatchEvent(new MessageEvent('message', { data: JSON.stringify({ type: 'event', event: 'attempt.log', payload }) }));
    };
    let maxTimerLateMs = 0;
    let watching = true;
    const watch = (): void => {
      const due = performance.now() + 50;
      setTimeout(() => {
        maxTimerLateMs = Math.max(maxTimerLateMs, performance.now() - due);
        if (watching) watch();
      }, 50);
    };
    watch();
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const now = performance.now();
        if (now - started >= seconds * 1000) {
          resolve();
          return;
        }
        if (rate > 0) {
          const due = firstSeq + Math.floor((rate * (now - started)) / 1000);
          while (seq < due) send();
          setTimeout(tick, 10);
        } else {
          for (let index = 0; index < 250; index += 1) send();
          setTimeout(tick, 0);
        }
      };
      tick();
    });
    watching = false;
    return { lastSeq: seq, elapsedMs: performance.now() - started, maxTimerLateMs };
  }, options);
}

/** Lines the worker lane says it keeps (the log buffer's size for that attempt). */
export async function laneLineCount(page: Page): Promise<number> {
  const text = await page.getByRole('list', { name: 'Worker lanes' }).innerText();
  const match = /(\d+) lines/.exec(text);
  return match === null ? Number.NaN : Number(match[1]);
}

/** The renderer's used JS heap in MB, from CDP Performance.getMetrics. */
export async function heapUsedMb(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
  return used / (1024 * 1024);
}
