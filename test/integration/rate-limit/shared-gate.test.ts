import { afterEach, describe, expect, it } from 'vitest';
import { openProjectRuntime, type ProjectRuntime } from '../../../src-main/runtime/project-runtime';
import { TEST_API_KEY, makeTempDir, startFakeAnthropic, textReply, toolUseReply, type FakeAnthropic, type RecordedRequest, type RequestMatcher } from '../../support/fake-anthropic';
import { afterToolResult, forcedTool, managerReply, writeConfig } from '../runtime/pipeline-support';

const TASK = 'Write a.txt';
const PRD = '# Notes kit\n1. A notes file (notes.md) listing what the project does.';
const RETRY_AFTER_SECONDS = 3;
/** How long the fake takes to answer the worker's first turn: it is mid-run when the manager's 429 comes. */
const FIRST_TURN_DELAY_MS = 1500;

/** The manager's parse_prd requests (it forces the tool). */
const isParsePrd: RequestMatcher = (request) => forcedTool(request) === 'parse_prd';

/** The API worker's requests on the task (its first message names the task; the manager forces no tool). */
const isWorker: RequestMatcher = (request) => forcedTool(request) === undefined && JSON.stringify(request.body?.messages?.[0] ?? '').includes(TASK);

describe('one rate-limit gate per project runtime, shared by the manager and the API workers (real runtime, real SDK, fake API)', () => {
  let fake: FakeAnthropic | undefined;
  let project: ReturnType<typeof makeTempDir> | undefined;
  let runtime: ProjectRuntime | undefined;

  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
    await fake?.close();
    fake = undefined;
    project?.cleanup();
    project = undefined;
  });

  it("holds a running API worker's next request until the retry-after of a 429 the manager got", { timeout: 20_000 }, async () => {
    fake = await startFakeAnthropic({ validApiKeys: [TEST_API_KEY] });
    project = makeTempDir('co-shared-gate-');
    writeConfig(project.path, {
      models: { enable_opus_review: false },
      execution: { worker_backend: 'api', max_workers: 1, retry_base_delay: 0.02, retry_max_delay: 0.05 },
      monitoring: { checkpoint_before_run: false },
    });
    // The worker's first turn is a tool call answered slowly; its second ends the task.
    fake.script({ match: isWorker, replies: [toolUseReply('list_files', {}, { delayMs: FIRST_TURN_DELAY_MS }), textReply('a.txt is done.')] });
    fake.script({
      match: isParsePrd,
      replies: [
        managerReply('parse_prd', {
          tasks: [{ id: 1, title: 'Notes', description: 'Notes.', details: 'Write notes.md.', acceptance_criteria: ['notes.md exists'], test_strategy: 'Check the file.', priority: 'medium', dependencies: [] }],
        }),
      ],
    });
    // The manager's first request draws a 429; the SDK retries it (a fault does not consume the script reply).
    fake.failNext(1, { kind: 'rate_limit', retryAfterSeconds: RETRY_AFTER_SECONDS }, isParsePrd);
    runtime = await openProjectRuntime({ projectDir: project.path, env: { ANTHROPIC_API_KEY: TEST_API_KEY, ANTHROPIC_BASE_URL: fake.url }, secretStore: null });
    expect(runtime.config.execution.worker_backend).toBe('api');
    runtime.orchestrator.addTasksBatch([TASK]);

    const running = runtime.run();
    const firstTurn = await fake.waitForRequest(isWorker, 10_000);
    const plan = await runtime.manager().parsePrd(PRD);
    const run = await running;

    expect(run.status).toBe('succeeded');
    expect(plan.tasks.map((task) => task.title)).toEqual(['Notes']);
    const requests = fake.messageRequests();
    const managerRequests = requests.filter(isParsePrd);
    expect(managerRequests.map((request) => request.outcome)).toEqual(['fault:rate_limit', 'script']);
    const [limited, retried] = managerRequests as [RecordedRequest, RecordedRequest];
    const heldUntil = limited.receivedAt + RETRY_AFTER_SECONDS * 1000;
    // The 429 came while the worker's first turn was still being answered, so the worker would have sent its next request before the hold ended.
    expect(limited.receivedAt).toBeGreaterThan(firstTurn.receivedAt);
    expect(firstTurn.receivedAt + FIRST_TURN_DELAY_MS).toBeLessThan(heldUntil - 500);
    const workerRequests = requests.filter(isWorker);
    expect(workerRequests.map((request) => [request.outcome, afterToolResult(request)])).toEqual([
      ['script', false],
      ['script', true],
    ]);
    const nextTurn = workerRequests[1] as RecordedRequest;
    // The gate the manager's 429 closed held the worker's next request (and the manager's own retry) until the retry-after.
    expect(nextTurn.receivedAt).toBeGreaterThanOrEqual(heldUntil);
    expect(retried.receivedAt).toBeGreaterThanOrEqual(heldUntil);
    const attempts = runtime.orchestrator.listTasks().flatMap((task) => runtime?.orchestrator.store.attempts.listForTask(task.id) ?? []);
    expect(attempts.map((attempt) => attempt.status)).toEqual(['succeeded']);
  });
});
