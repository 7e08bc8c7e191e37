import { describe, expect, it } from 'vitest';
import { reviewText } from '../../../src-renderer/features/review/review-verdict';

describe('what the Review panel says about an attempt\'s review', () => {
  it('says review was off for a succeeded attempt without a verdict, never that the manager approved it', () => {
    expect(reviewText({ review: null, status: 'succeeded', backend: 'claude-cli' })).toBe('Review off: not reviewed by the manager');
    expect(reviewText({ review: 'approve', status: 'succeeded', backend: 'claude-cli' })).toBe('Manager’s verdict: approved');
  });

  it('says "not reviewed" for attempts that never reached a review (failed, running, driven in a terminal)', () => {
    expect(reviewText({ review: null, status: 'failed', backend: 'claude-cli' })).toBe('Manager’s verdict: not reviewed');
    expect(reviewText({ review: null, status: 'running', backend: 'claude-cli' })).toBe('Manager’s verdict: not reviewed');
    expect(reviewText({ review: null, status: 'succeeded', backend: 'terminal' })).toBe('Manager’s verdict: not reviewed');
  });

  it('names the other verdicts in words', () => {
    expect(reviewText({ review: 'request_changes', status: 'failed', backend: 'api' })).toBe('Manager’s verdict: changes requested');
    expect(reviewText({ review: 'fail', status: 'failed', backend: 'api' })).toBe('Manager’s verdict: failed');
    expect(reviewText({ review: 'block', status: 'succeeded', backend: 'api' })).toBe('Blocked: the work cannot be integrated until you step in');
  });
});
