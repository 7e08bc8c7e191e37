import type { AttemptComment } from '../../../src-shared/domain/attempt-comment';
import { lineLabel } from '../../../src-shared/domain/attempt-comment';
import type { Attempt } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useDeleteComment } from './queries';

/** An attempt's line comments (file, lines, the code, the comment), kept on it after they were sent; each can be deleted. */
export function LineComments({ project, attempt, comments }: { readonly project: string; readonly attempt: Attempt; readonly comments: ReadonlyArray<AttemptComment> }) {
  const remove = useDeleteComment(project, attempt.id);
  return (
    <>
      <ul className="line-comments" aria-label={`Line comments on attempt ${attempt.number}`}>
        {comments.map((comment) => (
          <li key={comment.id}>
            <p className="row wrap">
              <span className="path">
                {comment.file}, {lineLabel(comment)}
              </span>
              <button type="button" className="link" aria-label={`Delete the comment on ${comment.file} ${lineLabel(comment)}`} onClick={() => remove.mutate(comment.id)}>
                Delete
              </button>
            </p>
            {comment.code !== '' ? <pre className="line-comment-code">{comment.code}</pre> : null}
            <p>{comment.body}</p>
          </li>
        ))}
      </ul>
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </>
  );
}
