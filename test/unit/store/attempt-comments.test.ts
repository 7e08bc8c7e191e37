import { describe, expect, it } from 'vitest';
import { formatLineComments, NewAttemptCommentSchema } from '../../../src-shared/domain/attempt-comment';
import { TaskService } from '../../../src-main/engine/task-service';
import { EngineEventBus } from '../../../src-main/engine/engine-events';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

describe('attempt comments (migration 7)', () => {
  it('keeps line comments per attempt, refuses a reversed range or an unknown attempt, and goes with its attempt', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const [task] = new TaskService(store, new EngineEventBus()).addTasks([{ title: 'Greeting' }]);
      const taskId = task?.id ?? '';
      store.write(() => store.attempts.insert({ id: 'a1', taskId, runId: null, number: 1, backend: 'claude-cli', workerOwner: 'me' }, 1));
      const first = store.write(() => store.attemptComments.insert({ attemptId: 'a1', file: 'src/hello.ts', startLine: 3, endLine: 4, code: 'a\nb', body: 'Name it greet.', createdAt: 2 }));
      store.write(() => store.attemptComments.insert({ attemptId: 'a1', file: 'README.md', startLine: 1, endLine: 1, code: '# Demo', body: 'Say what it does.', createdAt: 3 }));
      expect(store.attemptComments.listForAttempt('a1').map((comment) => [comment.file, comment.startLine, comment.endLine, comment.body])).toEqual([
        ['src/hello.ts', 3, 4, 'Name it greet.'],
        ['README.md', 1, 1, 'Say what it does.'],
      ]);
      expect(store.attemptComments.get(first.id)).toEqual(first);

      expect(() => store.write(() => store.attemptComments.insert({ attemptId: 'a1', file: 'x', startLine: 5, endLine: 4, code: '', body: 'b', createdAt: 4 }))).toThrow(/CHECK constraint/);
      expect(() => store.write(() => store.attemptComments.insert({ attemptId: 'nope', file: 'x', startLine: 1, endLine: 1, code: '', body: 'b', createdAt: 4 }))).toThrow(/FOREIGN KEY/);

      expect(store.write(() => store.attemptComments.delete(first.id))).toBe(true);
      expect(store.write(() => store.attemptComments.delete(first.id))).toBe(false);
      store.write(() => store.db.prepare('DELETE FROM attempts WHERE id = ?').run('a1'));
      expect(store.attemptComments.listForAttempt('a1')).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('formats comments as feedback: file and line order, each with its code and comment', () => {
    const text = formatLineComments([
      { file: 'src/b.ts', startLine: 9, endLine: 9, code: 'const x = 1;\n', body: 'Use a clearer name.' },
      { file: 'src/a.ts', startLine: 2, endLine: 4, code: 'one\n```\nthree', body: '  Drop the fence.  ' },
    ]);
    expect(text).toBe(
      [
        "Line comments on the previous attempt's diff (2; address each one):",
        '1. src/a.ts, lines 2-4:\n~~~~\none\n```\nthree\n~~~~\nComment: Drop the fence.',
        '2. src/b.ts, line 9:\n```\nconst x = 1;\n```\nComment: Use a clearer name.',
      ].join('\n\n'),
    );
  });

  it('checks a new comment: a range that ends before it starts, or no comment, is refused', () => {
    expect(NewAttemptCommentSchema.safeParse({ file: 'a', startLine: 4, endLine: 3, code: '', body: 'x' }).error?.issues[0]?.message).toBe('the range ends before it starts');
    expect(NewAttemptCommentSchema.safeParse({ file: 'a', startLine: 1, endLine: 1, code: '', body: '  ' }).error?.issues[0]?.message).toBe('Write a comment.');
  });
});
