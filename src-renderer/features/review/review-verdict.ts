import type { Attempt } from '../../../src-shared/rpc/contract';

/**
 * What the Review panel says about an attempt's review. An attempt that succeeded without a verdict
 * passed with review off (the pipeline records 'approve' only when the manager approved), so it says
 * so rather than claim an approval; a terminal attempt is reviewed by the run that resumes it.
 */
export function reviewText(attempt: Pick<Attempt, 'review' | 'status' | 'backend'>): string {
  switch (attempt.review) {
    case null:
      return attempt.status === 'succeeded' && attempt.backend !== 'terminal' ? 'Review off: not reviewed by the manager' : 'Manager’s verdict: not reviewed';
    case 'approve':
      return 'Manager’s verdict: approved';
    case 'request_changes':
      return 'Manager’s verdict: changes requested';
    case 'fail':
      return 'Manager’s verdict: failed';
    case 'block':
      return 'Blocked: the work cannot be integrated until you step in';
    default:
      return `Manager’s verdict: ${attempt.review}`;
  }
}
