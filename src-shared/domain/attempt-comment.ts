import { z } from 'zod';
import { MAX_PATH_CHARS } from './limits';

/** A user's comment on a line or range of lines of an attempt's diff (lines of the file after the change). */
export interface AttemptComment {
  readonly id: number;
  readonly attemptId: string;
  readonly file: string;
  readonly startLine: number;
  readonly endLine: number;
  /** The lines commented on, as the diff showed them. */
  readonly code: string;
  readonly body: string;
  readonly createdAt: number;
}

/** Zod schema of a stored comment as the host returns it. */
export const AttemptCommentSchema = z.object({
  id: z.number(),
  attemptId: z.string(),
  file: z.string(),
  startLine: z.number(),
  endLine: z.number(),
  code: z.string(),
  body: z.string(),
  createdAt: z.number(),
});

/** The most lines a comment's code keeps (a longer range is cut, saying so). */
export const MAX_COMMENT_CODE_CHARS = 8_000;

/** A new comment as the diff view sends it. */
export const NewAttemptCommentSchema = z
  .strictObject({
    file: z.string().min(1, 'name the file').max(MAX_PATH_CHARS),
    startLine: z.number().int().min(1, 'lines start at 1'),
    endLine: z.number().int().min(1, 'lines start at 1'),
    code: z.string().max(MAX_COMMENT_CODE_CHARS, `too long: the code of a comment has at most ${MAX_COMMENT_CODE_CHARS} characters`),
    body: z.string().trim().min(1, 'Write a comment.').max(10_000, 'too long: a comment has at most 10,000 characters'),
  })
  .refine((comment) => comment.endLine >= comment.startLine, { message: 'the range ends before it starts', path: ['endLine'] });

/** "line 12" or "lines 12-14". */
export function lineLabel(comment: Pick<AttemptComment, 'startLine' | 'endLine'>): string {
  return comment.startLine === comment.endLine ? `line ${comment.startLine}` : `lines ${comment.startLine}-${comment.endLine}`;
}

/**
 * The comments as feedback for the next attempt: each with its file, line(s), the code commented
 * on and the comment, in file and line order, so the worker can find and address every one.
 */
export function formatLineComments(comments: ReadonlyArray<Pick<AttemptComment, 'file' | 'startLine' | 'endLine' | 'code' | 'body'>>): string {
  const ordered = [...comments].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.startLine - b.startLine || a.endLine - b.endLine));
  const blocks = ordered.map((comment, index) => {
    const code = comment.code.trimEnd();
    const fence = code.includes('```') ? '~~~~' : '```';
    return [`${index + 1}. ${comment.file}, ${lineLabel(comment)}:`, ...(code === '' ? [] : [fence, code, fence]), `Comment: ${comment.body.trim()}`].join('\n');
  });
  return [`Line comments on the previous attempt's diff (${ordered.length}; address each one):`, ...blocks].join('\n\n');
}
