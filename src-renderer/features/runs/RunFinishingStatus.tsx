import { assertNever } from '../../../src-shared/domain/assert-never';
import type { RunFinishing } from '../../../src-shared/domain/run-finishing';

/**
 * What a run's finish stage is doing — merging into the user's branch, the final review, the summary —
 * said in place of the run's outcome, which is not known (nor its work on the user's branch) until the
 * stage has stored it.
 */
export function RunFinishingStatus({ finishing }: { readonly finishing: RunFinishing }) {
  return (
    <p className="banner" role="status" aria-label="Finishing the run">
      {finishingText(finishing)}
    </p>
  );
}

/** One line per step, in the user's words. */
export function finishingText({ step, branch }: RunFinishing): string {
  switch (step) {
    case 'merge':
      return `Merging the run's work into ${branch ?? 'your branch'}…`;
    case 'final-review':
      return "Final review: the manager checks the run's work against the goal and the acceptance criteria…";
    case 'summary':
      return "Writing the run's summary…";
    case 'done':
      return 'The run has finished.';
    default:
      return assertNever(step, 'finish step');
  }
}
