import { describe, expect, it } from 'vitest';
import type { Task } from '../../../src-shared/domain/task';
import { cliBuilt, tempProject } from './cli-harness';

describe.skipIf(!cliBuilt)('co claim / renew / complete / fail (built CLI)', () => {
  it('an outside worker claims, renews and completes a task, fenced by its attempt id', async () => {
    const project = tempProject();
    try {
      expect((await project.co(['init'])).status).toBe(0);
      expect((await project.co(['add', 'First'])).status).toBe(0);
      expect((await project.co(['add', 'Second'])).status).toBe(0);

      const claimed = await project.coJson<Task>(['claim', '--worker', 'my-script']);
      expect(claimed).toMatchObject({ id: '1', status: 'in_progress', leaseOwner: 'my-script' });
      const attempt = claimed.currentAttemptId as string;
      expect(attempt).toMatch(/^[0-9a-f-]{36}$/);

      const renewed = await project.coJson<Task>(['renew', '1', '--attempt', attempt]);
      expect(renewed.leaseExpiresAt).toBeGreaterThanOrEqual(claimed.leaseExpiresAt as number);

      // A stale or wrong attempt id changes nothing and says why, in one line.
      const stale = await project.co(['complete', '1', '--attempt', 'not-my-attempt', '--output', 'late']);
      expect(stale.status).toBe(1);
      expect(stale.stderr).toBe('co: attempt not-my-attempt no longer holds task 1 (its lease expired or was taken back); claim a task again\n');
      expect((await project.co(['fail', '1', '--attempt', 'not-my-attempt', '--error', 'x'])).status).toBe(1);
      expect((await project.co(['renew', '1', '--attempt', 'not-my-attempt'])).status).toBe(1);
      expect((await project.co(['complete', '1'])).stderr).toContain("required option '--attempt <attemptId>' not specified");

      const done = await project.coJson<Task>(['complete', '1', '--attempt', attempt, '--output', 'built it', '--files-created', 'a.ts, b.ts']);
      expect(done).toMatchObject({ status: 'done', result: { output: 'built it', filesCreated: ['a.ts', 'b.ts'] } });

      const second = await project.coJson<Task>(['claim']);
      const failed = await project.coJson<Task>(['fail', second.id, '--attempt', second.currentAttemptId as string, '--error', 'tests do not pass']);
      expect(failed).toMatchObject({ id: '2', status: 'failed', statusReason: 'tests do not pass' });
      expect((await project.co(['claim'])).stdout).toBe('No task is ready.\n');
    } finally {
      project.cleanup();
    }
  });
});
