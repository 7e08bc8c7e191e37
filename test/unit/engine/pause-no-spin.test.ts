import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src-shared/config/resolve-config';
import { InProcessBackend } from '../../../src-main/engine/in-process-backend';
import { Orchestrator } from '../../../src-main/engine/orchestrator';
import { contextFilesConflict } from '../../../src-main/workspace/shared-folder';
import { GatedWork } from './gated-work';
import { temporaryFolder } from './helpers';

const fastRetries = resolveConfig({ execution: { max_retries: 2, retry_base_delay: 0.01, retry_max_delay: 0.04 } });

describe('a rate-limit pause with a retry falling due', () => {
  for (const [label, conflicts] of [
    ['in worktrees (no conflict rule)', undefined],
    ['in a shared folder (conflict rule)', contextFilesConflict],
  ] as const) {
    it(`waits for the end of the pause instead of spinning, then runs the retry — ${label}`, async () => {
      const work = new GatedWork().gate('a').script('a', { error: { errorClass: 'transient', message: '529 overloaded' } });
      const o = new Orchestrator({
        workingDirectory: temporaryFolder(),
        backend: new InProcessBackend(work.backendScript),
        config: fastRetries,
        pollMs: 100,
        maxWorkers: 1,
        conflicts,
      });
      o.addTasksBatch([{ id: 'a', title: 'a', contextFiles: ['x.ts'] }]);
      // Counts the scheduler loop's turns: each asks the store whether open work is left.
      let turns = 0;
      const countByStatus = o.store.tasks.countByStatus.bind(o.store.tasks);
      o.store.tasks.countByStatus = (...args: Parameters<typeof countByStatus>) => {
        turns += 1;
        return countByStatus(...args);
      };
      o.start();
      await work.started('a');
      const pauseEnds = Date.now() + 500;
      o.pausePool(new Date(pauseEnds), 'rate limited by the API (429)');
      const turnsBefore = turns;
      work.release('a'); // fails transiently: its retry falls due 10-40 ms later, inside the pause
      await work.started('a', 2);
      const retryStartedAt = Date.now();
      // About one turn per poll (500 / 100) plus a few for the failure and the retry; spinning made thousands.
      expect(turns - turnsBefore).toBeLessThan(30);
      expect(retryStartedAt).toBeGreaterThanOrEqual(pauseEnds - 5);
      expect((await o.waitForCompletion()).status).toBe('succeeded');
      expect(work.spansOf('a')).toHaveLength(2);
      await o.close();
    });
  }
});
