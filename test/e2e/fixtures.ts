import { test as base } from '@playwright/test';
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

export { expect } from '@playwright/test';
