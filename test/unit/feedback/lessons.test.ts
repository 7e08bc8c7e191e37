import { describe, expect, it } from 'vitest';
import type { FeedbackEntry, NewFeedback } from '../../../src-shared/domain/feedback';
import { deriveLessons, lessonsForPlanning, lessonsForTask, lessonsFrom } from '../../../src-main/feedback/lessons';
import { Store } from '../../../src-main/store/store';
import { temporaryDatabasePath } from '../engine/helpers';

function entry(id: number, fields: Partial<FeedbackEntry>): FeedbackEntry {
  return { id, runId: 'run-aaaaaaaa', taskId: '1', attemptId: `a${id}`, model: 'claude-sonnet-4-6', kind: 'check', cause: 'npm test', detail: 'AssertionError: x', files: [], errorClass: 'recoverable', createdAt: id, ...fields };
}

describe('lessons derived from recurring feedback', () => {
  it('a cause seen twice becomes one lesson citing its signals, tasks and runs; once is not enough', () => {
    expect(lessonsFrom([entry(1, {})])).toEqual([]);
    const lessons = lessonsFrom([entry(1, {}), entry(2, { taskId: '4', runId: 'run-bbbbbbbb', detail: 'AssertionError: x' }), entry(3, { kind: 'conflict', cause: 'merge conflict', files: ['src/app.ts'] })]);
    expect(lessons).toEqual([
      {
        key: 'check:npm test',
        text: 'The check `npm test` failed 2 times on earlier work (most often: AssertionError: x). Run `npm test` yourself and make it pass before you finish.',
        source: '2 failed checks · tasks 1, 4 · runs run-aaaa, run-bbbb',
        files: [],
        occurrences: 2,
      },
    ]);
  });

  it('conflicts teach per file; interrupted attempts teach nothing; the same attempt counts once', () => {
    const lessons = lessonsFrom([
      entry(1, { kind: 'conflict', cause: 'merge conflict', files: ['README.md', 'src/a.ts'] }),
      entry(2, { kind: 'conflict', cause: 'merge conflict', files: ['README.md'] }),
      entry(3, { kind: 'error', cause: 'interrupted' }),
      entry(4, { kind: 'error', cause: 'interrupted' }),
      entry(5, { kind: 'error', cause: 'recoverable: timed out after N s', detail: 'timed out after 60 s', attemptId: 'same' }),
      entry(6, { kind: 'error', cause: 'recoverable: timed out after N s', detail: 'timed out after 60 s', attemptId: 'same' }),
    ]);
    expect(lessons.map((lesson) => [lesson.key, lesson.files, lesson.occurrences])).toEqual([['conflict:README.md', ['README.md'], 2]]);
  });

  it('are stored once per key; an edited text is kept; a deleted lesson is never derived again', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      const add = (entries: ReadonlyArray<NewFeedback>) => store.write(() => store.feedback.insertMany(entries));
      const check = (attemptId: string): NewFeedback => ({ runId: null, taskId: null, attemptId: null, model: null, kind: 'check', cause: 'npm test', detail: `failed ${attemptId}`, files: [], errorClass: null, createdAt: 1 });
      add([check('1'), check('2')]);
      store.write(() => deriveLessons(store, 10));
      store.write(() => deriveLessons(store, 11));
      expect(store.lessons.list()).toHaveLength(1);
      const [lesson] = store.lessons.list();
      expect(lesson?.occurrences).toBe(2);

      store.write(() => store.lessons.updateText(lesson?.id ?? 0, 'Always run npm test.', 12));
      add([check('3')]);
      store.write(() => deriveLessons(store, 13));
      expect(store.lessons.list().map((item) => [item.text, item.occurrences, item.edited])).toEqual([['Always run npm test.', 3, true]]);

      store.write(() => store.lessons.delete(lesson?.id ?? 0, 14));
      add([check('4')]);
      store.write(() => deriveLessons(store, 15));
      expect(store.lessons.list()).toEqual([]);
      expect(lessonsForPlanning(store)).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('a task is offered lessons about its own files first, then project-wide ones, at most the limit', () => {
    const store = Store.open(temporaryDatabasePath());
    try {
      store.write(() => {
        store.lessons.upsertDerived({ key: 'check:npm test', text: 'check lesson', source: 's1', files: [], occurrences: 5 }, 1);
        store.lessons.upsertDerived({ key: 'conflict:src/app.ts', text: 'app lesson', source: 's2', files: ['src/app.ts'], occurrences: 2 }, 1);
        store.lessons.upsertDerived({ key: 'conflict:docs/x.md', text: 'docs lesson', source: 's3', files: ['docs/x.md'], occurrences: 9 }, 1);
      });
      expect(lessonsForTask(store, { contextFiles: ['src/'] }, 5).map((lesson) => lesson.text)).toEqual(['app lesson', 'check lesson', 'docs lesson']);
      expect(lessonsForTask(store, { contextFiles: [] }, 2).map((lesson) => lesson.text)).toEqual(['check lesson', 'docs lesson']);
      expect(lessonsForTask(store, { contextFiles: [] }, 0)).toEqual([]);
      expect(lessonsForPlanning(store)[0]).toBe('docs lesson (from s3)');
    } finally {
      store.close();
    }
  });
});
