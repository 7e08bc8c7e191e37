import { useId, useRef, useState, type FormEvent } from 'react';
import type { Lesson } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useDeleteLesson, useLessons, useUpdateLesson } from './queries';

/**
 * The lessons later workers (and the manager when it plans) are told, each with where it came from;
 * the user edits or deletes them. Focus stays in the list: after a delete it moves to the heading.
 */
export function LessonList({ project }: { readonly project: string }) {
  const lessons = useLessons(project);
  const remove = useDeleteLesson(project);
  const heading = useRef<HTMLHeadingElement>(null);
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section aria-label="Lessons" className="panel insights-section">
      <h3 tabIndex={-1} ref={heading}>
        Lessons for later workers
      </h3>
      <p className="muted">Derived from problems that recurred; each worker's prompt carries the most relevant ones, and the manager sees them when it plans.</p>
      {lessons.isPending ? <p role="status">Loading lessons…</p> : null}
      {lessons.isError ? <ErrorMessage error={lessons.error} /> : null}
      {lessons.isSuccess && lessons.data.length === 0 ? <p className="empty">No lessons yet. They appear when the same problem recurs (a check failing twice, a file conflicting in two merges).</p> : null}
      {lessons.isSuccess && lessons.data.length > 0 ? (
        <ul aria-label="Lesson list" className="lesson-list">
          {lessons.data.map((lesson) => (
            <li key={lesson.id}>
              {editing === lesson.id ? (
                <LessonEditor project={project} lesson={lesson} onDone={() => setEditing(null)} />
              ) : (
                <>
                  <p className="lesson-text">{lesson.text}</p>
                  <p className="muted lesson-source">
                    Source: {lesson.source}
                    {lesson.edited ? ' · edited' : ''}
                  </p>
                  <div className="toolbar">
                    <button type="button" onClick={() => setEditing(lesson.id)} aria-label={`Edit lesson ${lesson.id}`}>
                      Edit
                    </button>
                    <button
                      type="button"
                      aria-label={`Delete lesson ${lesson.id}`}
                      aria-disabled={remove.isPending}
                      onClick={() => remove.isPending || remove.mutate(lesson.id, { onSuccess: () => heading.current?.focus() })}
                    >
                      Delete
                    </button>
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
      ) : null}
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </section>
  );
}

function LessonEditor({ project, lesson, onDone }: { readonly project: string; readonly lesson: Lesson; readonly onDone: () => void }) {
  const id = useId();
  const update = useUpdateLesson(project);
  const [text, setText] = useState(lesson.text);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (update.isPending) return;
    update.mutate({ id: lesson.id, text }, { onSuccess: onDone });
  };
  return (
    <form aria-label={`Edit lesson ${lesson.id}`} onSubmit={submit} onKeyDown={(event) => event.key === 'Escape' && onDone()}>
      <label htmlFor={id}>Lesson text</label>
      <textarea id={id} value={text} rows={3} maxLength={1_000} autoFocus onChange={(event) => setText(event.target.value)} />
      <div className="toolbar">
        <button type="submit" className="primary" aria-disabled={update.isPending || text.trim() === ''}>
          Save
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      {update.isError ? <ErrorMessage error={update.error} /> : null}
    </form>
  );
}
