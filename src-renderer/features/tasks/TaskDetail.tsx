import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { Task } from '../../../src-shared/rpc/contract';
import { ReviewPanel } from '../review/ReviewPanel';
import { AttemptList } from './AttemptList';
import { DiscoveryList } from './DiscoveryList';
import { statusLabel } from './filters';
import { useDeleteTask, useUpdateTask } from './queries';
import { TaskActions } from './TaskActions';
import { TaskForm, type TaskFormValues } from './TaskForm';

interface TaskDetailProps {
  readonly project: string;
  readonly taskId: string;
  readonly tasks: ReadonlyArray<Task>;
  readonly onSelect: (taskId: string) => void;
  /** Closes the details; the list that opened them puts focus back on the task. */
  readonly onClose: () => void;
}

/**
 * Everything about one task: its text, dependencies, status, attempts and logs, with edit, status and delete actions.
 * Opening it moves focus to its heading; Escape anywhere in it closes it.
 */
export function TaskDetail({ project, taskId, tasks, onSelect, onClose }: TaskDetailProps) {
  const task = tasks.find((candidate) => candidate.id === taskId);
  const [editing, setEditing] = useState(false);
  const update = useUpdateTask(project);
  const remove = useDeleteTask(project);
  const headingId = `task-detail-${taskId}`;
  const heading = useRef<HTMLHeadingElement>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    onClose();
  };
  /** Leaves the edit form and puts focus back on Edit, which the form replaced. */
  const stopEditing = () => {
    flushSync(() => setEditing(false));
    editButton.current?.focus();
  };

  if (task === undefined) {
    return (
      <aside className="detail panel" aria-label={`Task ${taskId}`} onKeyDown={onKeyDown}>
        <p className="muted">Task {taskId} no longer exists.</p>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </aside>
    );
  }
  const dependents = tasks.filter((candidate) => candidate.dependencies.includes(task.id));
  const title = (id: string) => tasks.find((candidate) => candidate.id === id)?.title ?? 'unknown task';
  const save = (values: TaskFormValues) =>
    update.mutate(
      { id: task.id, patch: { title: values.title, description: values.description, priority: values.priority, dependencies: [...values.dependencies], acceptanceCriteria: [...values.acceptanceCriteria], expectsNoChanges: values.expectsNoChanges } },
      { onSuccess: stopEditing },
    );

  return (
    <aside className="detail panel" aria-labelledby={headingId} onKeyDown={onKeyDown}>
      <header className="detail-head">
        <h3 id={headingId} ref={heading} tabIndex={-1}>
          <span className="task-id">{task.id}</span> {task.title}
        </h3>
        <button type="button" aria-label="Close task details" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="row wrap">
        <span className={`status status-${task.status}`}>{statusLabel(task.status)}</span>
        <span className="badge">priority {task.priority}</span>
        <span className="muted">
          {task.attempts} attempt{task.attempts === 1 ? '' : 's'}
        </span>
      </p>
      {task.statusReason !== null ? (
        <p className="reason">
          <strong>Reason:</strong> {task.statusReason}
        </p>
      ) : null}
      {task.reviewFeedback !== null && task.reviewFeedback.trim() !== '' && task.status !== 'done' ? (
        <details className="feedback">
          <summary>Feedback for the next attempt (a failed check, a merge conflict or the review)</summary>
          <pre>{task.reviewFeedback}</pre>
        </details>
      ) : null}

      {editing ? (
        <TaskForm
          heading={`Edit task ${task.id}`}
          submitLabel="Save changes"
          initial={task}
          tasks={tasks}
          selfId={task.id}
          pending={update.isPending}
          error={update.error}
          onSubmit={save}
          onCancel={() => {
            update.reset();
            stopEditing();
          }}
        />
      ) : (
        <>
          <button type="button" ref={editButton} onClick={() => setEditing(true)}>
            Edit
          </button>
          <TextSection heading="Description" text={task.description} />
          <TextSection heading="Details" text={task.details} />
          <h4>Acceptance criteria</h4>
          {task.acceptanceCriteria.length === 0 ? (
            <p className="muted">None.</p>
          ) : (
            <ul>
              {task.acceptanceCriteria.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
          )}
          <TextSection heading="Test strategy" text={task.testStrategy} />
          <TaskLinks heading="Depends on" ids={task.dependencies} title={title} onSelect={onSelect} />
          <TaskLinks heading="Needed by" ids={dependents.map((dependent) => dependent.id)} title={title} onSelect={onSelect} />
        </>
      )}
      <TaskActions project={project} task={task} dependents={dependents.map((dependent) => dependent.id)} remove={remove} onDeleted={onClose} />
      <AttemptList project={project} taskId={task.id} />
      <DiscoveryList project={project} taskId={task.id} />
      <ReviewPanel project={project} task={task} />
    </aside>
  );
}

function TextSection({ heading, text }: { readonly heading: string; readonly text: string }) {
  return (
    <>
      <h4>{heading}</h4>
      {text.trim() === '' ? <p className="muted">None.</p> : <p className="prose">{text}</p>}
    </>
  );
}

function TaskLinks(props: { readonly heading: string; readonly ids: ReadonlyArray<string>; readonly title: (id: string) => string; readonly onSelect: (id: string) => void }) {
  return (
    <>
      <h4>{props.heading}</h4>
      {props.ids.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <ul aria-label={props.heading} className="links">
          {props.ids.map((id) => (
            <li key={id}>
              <button type="button" className="link" onClick={() => props.onSelect(id)}>
                {id} · {props.title(id)}
              </button>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
