import { test as base } from '@playwright/test';
import { claudeTestEnv, makeTempDir, startFakeAnthropic, TEST_API_KEY, type FakeAnthropic } from '../support/fake-anthropic';
import { startServeProcess, type ServeProcess } from '../support/serve-process';

/** Each test file gets its own `co serve` with a fresh user-data folder. */
export const test = base.extend<object, { serve: ServeProcess }>({
  serve: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const serve = await startServeProcess();
      await use(serve);
      await serve.stop();
    },
    { scope: 'worker' },
  ],
});

/** A `co serve` whose manager and Claude Code workers talk to a fake Anthropic server. */
export interface AgentServe {
  readonly fake: FakeAnthropic;
  readonly serve: ServeProcess;
}

/**
 * A worker-scoped fixture of an {@link AgentServe}: the real Claude Code CLI gets an isolated
 * HOME (named by `homePrefix`) and no telemetry or updater (claudeTestEnv).
 */
export function agentServeFixture(homePrefix: string): [(args: object, use: (value: AgentServe) => Promise<void>) => Promise<void>, { scope: 'worker' }] {
  return [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use: (value: AgentServe) => Promise<void>) => {
      const fake = await startFakeAnthropic({ validApiKeys: [TEST_API_KEY] });
      const home = makeTempDir(homePrefix);
      const serve = await startServeProcess(claudeTestEnv(fake, home.path));
      await use({ fake, serve });
      await serve.stop();
      await fake.close();
      home.cleanup();
    },
    { scope: 'worker' },
  ];
}

export { expect } from '@playwright/test';
