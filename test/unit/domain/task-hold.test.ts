import { describe, expect, it } from 'vitest';
import { isHeldByTerminal, terminalHolder } from '../../../src-shared/domain/task-hold';

describe('a task held by a terminal', () => {
  const holder = terminalHolder('3f2a', 4242);
  it('is held while its lease names a terminal and is current', () => {
    expect(holder).toBe('terminal 3f2a (pid 4242)');
    expect(isHeldByTerminal({ status: 'done', leaseOwner: holder, leaseExpiresAt: 2_000 }, 1_000)).toBe(true);
    expect(isHeldByTerminal({ status: 'failed', leaseOwner: holder, leaseExpiresAt: 1_000 }, 1_000)).toBe(true);
  });

  it('is not held once the hold expired (nobody renewed it), nor by a worker, nor without a lease', () => {
    expect(isHeldByTerminal({ status: 'done', leaseOwner: holder, leaseExpiresAt: 999 }, 1_000)).toBe(false);
    expect(isHeldByTerminal({ status: 'in_progress', leaseOwner: 'host:1:abc', leaseExpiresAt: 2_000 }, 1_000)).toBe(false);
    expect(isHeldByTerminal({ status: 'review', leaseOwner: holder, leaseExpiresAt: 2_000 }, 1_000)).toBe(false);
    expect(isHeldByTerminal({ status: 'ready', leaseOwner: null, leaseExpiresAt: null }, 1_000)).toBe(false);
  });
});
