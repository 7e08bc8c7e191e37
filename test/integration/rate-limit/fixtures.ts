import { vi } from 'vitest';
import { ApiWorkerBackend, type ApiWorkerOptions } from '../../../src-main/agents/api-worker';
import { buildProgram } from '../../../src-main/cli/program';
import type { EngineEvents } from '../../../src-main/engine/engine-events';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { DEFAULT_CONFIG, type OrchestratorConfig } from '../../../src-shared/config/config-schema';
import { TEST_API_KEY, makeTempDir, startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic';

/** Retries after a few tens of ms, so a test's waiting is the rate-limit pause, not the backoff. */
const FAST_RETRY_CONFIG: OrchestratorConfig = { ...DEFAULT_CONFIG, execution: { ...DEFAULT_CONFIG.execution, retry_base_delay: 0.02, retry_max_delay: 0.05 } };

/** A pool event with the time it was seen. */
export type PoolEvent =
  | { readonly name: 'pool.paused'; readonly at: number; readonly payload: EngineEvents['pool.paused'] }
  | { readonly name: 'pool.resumed'; readonly at: number };

/** A fake API, an Orchestrator on a fresh project folder running the API worker against it, and the pool events it emits. */
export interface RateLimitProject {
  readonly fake: FakeAnthropic;
  readonly orchestrator: Orchestrator;
  readonly folder: string;
  readonly poolEvents: PoolEvent[];
  cleanup(): Promise<void>;
}

/** Starts a project whose pool runs one API worker at a time by default (so a pause visibly holds back the next task). */
export async function startRateLimitProject(workerOptions: Partial<ApiWorkerOptions> = {}, { maxWorkers = 1 }: { readonly maxWorkers?: number } = {}): Promise<RateLimitProject> {
  const fake = await startFakeAnthropic();
  const folder = makeTempDir('co-rate-limit-');
  const backend = new ApiWorkerBackend({ apiKey: TEST_API_KEY, baseURL: fake.url, maxRetries: 0, ...workerOptions });
  const orchestrator = new Orchestrator({ workingDirectory: folder.path, config: FAST_RETRY_CONFIG, maxWorkers, pollMs: 20, backend });
  const poolEvents: PoolEvent[] = [];
  orchestrator.events.on('pool.paused', (payload) => void poolEvents.push({ name: 'pool.paused', at: Date.now(), payload }));
  orchestrator.events.on('pool.resumed', () => void poolEvents.push({ name: 'pool.resumed', at: Date.now() }));
  return {
    fake,
    orchestrator,
    folder: folder.path,
    poolEvents,
    cleanup: async () => {
      await orchestrator.close();
      await fake.close();
      folder.cleanup();
    },
  };
}

/** Runs `co <args>` in this process (its own database connection, like a second process) and returns what it printed. */
export async function runCo(args: ReadonlyArray<string>): Promise<string> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void lines.push(parts.map(String).join(' ')));
  try {
    await buildProgram().exitOverride().parseAsync([...args], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  return lines.join('\n');
}
