import { useId, useRef, useState } from 'react';
import type { Attempt, Task } from '../../../src-shared/rpc/contract';
import { reviewText } from './review-verdict';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useAttempts } from '../tasks/queries';
import { DiffView } from './DiffView';
import { LineComments } from './LineComments';
import { useAddComment, useAttemptComments, useAttemptDiff, useReviewTask, type ReviewChoice } from './queries';

const REVIEWABLE: ReadonlyArray<Task['status']> = ['done', 'failed', 'review'];

/**
 * Review of a task: the latest attempt's diff, the manager's verdict, and the user's own approve / request changes / reject.
 * A verdict changes which buttons exist, so focus then moves to the Review heading rather than falling to the page.
 */
export function ReviewPanel({ project, task }: { readonly project: string; readonly task: Task }) {
  const attempts = useAttempts(project, task.id);
  const latest = attempts.data?.[attempts.data.length - 1];
  // An earlier attempt (with the comments sent from it) stays viewable; the latest is shown unless another is chosen.
  const [chosenId, setChosenId] = useState<string | null>(null);
  const shown = attempts.data?.find((attempt) => attempt.id === chosenId) ?? latest;
  const latestComments = useAttemptComments(project, latest?.id ?? '', latest !== undefined);
  const review = useReviewTask(project, task.id);
  const heading = useRef<HTMLHeadingElement>(null);
  const pickerId = useId();
  return (
    <section aria-label="Review" className="review-panel">
      <h4 ref={heading} tabIndex={-1}>
        Review
      </h4>
      {attempts.isPending ? <p role="status">Loading attempts…</p> : null}
      {attempts.isError ? <ErrorMessage error={attempts.error} /> : null}
      {attempts.isSuccess && latest === undefined ? <p className="muted">Nothing to review yet: no attempt has run.</p> : null}
      {attempts.data !== undefined && attempts.data.length > 1 ? (
        <p className="row wrap">
          <label htmlFor={pickerId}>Attempt</label>
          <select id={pickerId} value={shown?.id ?? ''} onChange={(event) => setChosenId(event.target.value)}>
            {attempts.data.map((attempt) => (
              <option key={attempt.id} value={attempt.id}>
                #{attempt.number}
                {attempt.id === latest?.id ? ' (latest)' : ''}
              </option>
            ))}
          </select>
        </p>
      ) : null}
      {shown !== undefined ? <AttemptReview key={shown.id} project={project} attempt={shown} /> : null}
      {task.reviewFeedback ? (
        <p className="reason review-feedback">
          <strong>Changes requested:</strong> {task.reviewFeedback}
        </p>
      ) : null}
      {REVIEWABLE.includes(task.status) ? (
        <ReviewActions task={task} review={review} lineComments={latestComments.data?.length ?? 0} onReviewed={() => heading.current?.focus()} />
      ) : null}
    </section>
  );
}

function AttemptReview({ project, attempt }: { readonly project: string; readonly attempt: Attempt }) {
  const diff = useAttemptDiff(project, attempt.id);
  const comments = useAttemptComments(project, attempt.id);
  const addComment = useAddComment(project, attempt.id);
  return (
    <>
      <p className="row wrap">
        <span>Attempt #{attempt.number}</span>
        <span className="badge">{attempt.status}</span>
        <strong className={`review-verdict review-verdict-${attempt.review ?? 'none'}`}>{reviewText(attempt)}</strong>
      </p>
      {diff.isPending ? <p role="status">Loading the diff…</p> : null}
      {diff.isError ? <ErrorMessage error={diff.error} /> : null}
      {diff.isSuccess ? (
        <>
          <p className="muted">
            {diff.data.files.length === 0
              ? 'This attempt changed no files.'
              : `${diff.data.files.length} file${diff.data.files.length === 1 ? '' : 's'} changed against ${diff.data.baseCommit.slice(0, 10)}.`}
          </p>
          {diff.data.truncated ? <p className="reason">The diff is too long and was cut; see the attempt’s branch for the rest.</p> : null}
          {diff.data.patch !== '' ? (
            <DiffView
              patch={diff.data.patch}
              label={`Diff of attempt ${attempt.number}`}
              commenting={{ comments: comments.data ?? [], add: (comment) => addComment.mutateAsync(comment) }}
            />
          ) : null}
        </>
      ) : null}
      {comments.isError ? <ErrorMessage error={comments.error} /> : null}
      {comments.data !== undefined && comments.data.length > 0 ? <LineComments project={project} attempt={attempt} comments={comments.data} /> : null}
    </>
  );
}

interface ReviewActionsProps {
  readonly task: Task;
  /** How many line comments the latest attempt has: "Request changes" sends them, so they are enough without feedback. */
  readonly lineComments: number;
  /** Owned by ReviewPanel: the actions may unmount when the task leaves review, and its callbacks must still run. */
  readonly review: ReturnType<typeof useReviewTask>;
  readonly onReviewed: () => void;
}

function ReviewActions({ task, review, lineComments, onReviewed }: ReviewActionsProps) {
  const id = useId();
  const [feedback, setFeedback] = useState('');
  const send = (verdict: ReviewChoice['verdict']) => {
    if (review.isPending) return;
    const choice: ReviewChoice = { verdict, ...(feedback.trim() === '' ? {} : { feedback: feedback.trim() }) };
    review.mutate(choice, {
      onSuccess: () => {
        setFeedback('');
        onReviewed();
      },
    });
  };
  return (
    <div className="review-actions" role="group" aria-label="Your verdict">
      <label htmlFor={`${id}-feedback`}>{lineComments > 0 ? `Feedback (sent with your ${lineComments} line comment${lineComments === 1 ? '' : 's'})` : 'Feedback (required to request changes)'}</label>
      <textarea id={`${id}-feedback`} rows={3} value={feedback} maxLength={20_000} onChange={(event) => setFeedback(event.target.value)} />
      <div className="row wrap">
        {task.status !== 'done' ? (
          <button type="button" className="primary" aria-disabled={review.isPending} onClick={() => send('approve')}>
            Approve
          </button>
        ) : null}
        <button type="button" disabled={feedback.trim() === '' && lineComments === 0} aria-disabled={review.isPending} onClick={() => send('request_changes')}>
          Request changes
        </button>
        {task.status !== 'failed' ? (
          <button type="button" className="danger" aria-disabled={review.isPending} onClick={() => send('reject')}>
            Reject
          </button>
        ) : null}
      </div>
      {review.isError ? <ErrorMessage error={review.error} /> : null}
    </div>
  );
}
