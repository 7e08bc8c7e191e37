import { ApiWorkerBackend, type ApiWorkerOptions } from '../../../src-main/agents/api-worker';
import type { AttemptInput, AttemptIO, AttemptLogEvent, Discovery } from '../../../src-main/engine/worker-backend';
import { TEST_API_KEY, makeTempDir, startFakeAnthropic, type FakeAnthropic, type FakeAnthropicOptions } from '../../support/fake-anthropic';

/** A recording AttemptIO. */
export interface RecordingIO extends AttemptIO {
  readonly events: AttemptLogEvent[];
  readonly discoveries: Discovery[];
  readonly rateLimits: Array<{ resetAt: Date; reason: string }>;
}

/** An AttemptIO that keeps everything it is told; `onLog` sees each event as it arrives. */
export function recordingIO(onLog: (event: AttemptLogEvent) => void = () => undefined): RecordingIO {
  const events: AttemptLogEvent[] = [];
  const discoveries: Discovery[] = [];
  const rateLimits: Array<{ resetAt: Date; reason: string }> = [];
  return {
    events,
    discoveries,
    rateLimits,
    log: (event) => {
      events.push(event);
      onLog(event);
    },
    discovery: (discovery) => void discoveries.push(discovery),
    rateLimited: (resetAt, reason) => void rateLimits.push({ resetAt, reason }),
  };
}

/** Attempt input for a task in `workingDirectory`. */
export function attemptInput(workingDirectory: string, signal: AbortSignal, extra: Partial<AttemptInput> = {}): AttemptInput {
  return {
    attemptId: 'attempt-1',
    runId: 'run-1',
    workingDirectory,
    model: 'claude-sonnet-4-6',
    timeoutMs: 60_000,
    signal,
    task: {
      id: '3',
      title: 'Write the greeting',
      description: 'Create src/hello.txt.',
      details: '',
      acceptanceCriteria: ['src/hello.txt says two'],
      testStrategy: 'cat it',
      contextFiles: [],
      hints: [],
      relevantDiscoveries: [],
    },
    ...extra,
  };
}

/** A fake server, a backend pointed at it and a fresh workspace folder. */
export async function startWorker(
  options: Partial<ApiWorkerOptions> = {},
  fakeOptions: FakeAnthropicOptions = {},
): Promise<{ readonly fake: FakeAnthropic; readonly backend: ApiWorkerBackend; readonly workspace: string; readonly outside: string; readonly cleanup: () => Promise<void> }> {
  const fake = await startFakeAnthropic(fakeOptions);
  const workspace = makeTempDir('co-api-worker-');
  const outside = makeTempDir('co-api-outside-');
  const backend = new ApiWorkerBackend({
    apiKey: TEST_API_KEY,
    baseURL: fake.url,
    maxRetries: 2,
    streamRetry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    ...options,
  });
  return {
    fake,
    backend,
    workspace: workspace.path,
    outside: outside.path,
    cleanup: async () => {
      await fake.close();
      workspace.cleanup();
      outside.cleanup();
    },
  };
}
