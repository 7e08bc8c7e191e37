import { useId, useMemo, useState, type FormEvent, type KeyboardEvent } from 'react';
import { PRIORITIES, type Priority } from '../../../src-shared/domain/priority';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { filterTasks, parseLines } from './filters';

/** What the task form collects. */
export interface TaskFormValues {
  readonly title: string;
  readonly description: string;
  readonly priority: Priority;
  readonly dependencies: ReadonlyArray<string>;
  readonly acceptanceCriteria: ReadonlyArray<string>;
  /** The task needs no file changes (verification only). */
  readonly expectsNoChanges: boolean;
}

interface TaskFormProps {
  readonly heading: string;
  readonly submitLabel: string;
  readonly initial?: TaskFormValues;
  /** Tasks that may be picked as dependencies (the task itself is left out). */
  readonly tasks: ReadonlyArray<Task>;
  readonly selfId?: string;
  readonly pending: boolean;
  readonly error: Error | null;
  readonly onSubmit: (values: TaskFormValues) => void;
  readonly onCancel: () => void;
}

const BLANK: TaskFormValues = { title: '', description: '', priority: 'medium', dependencies: [], acceptanceCriteria: [], expectsNoChanges: false };

/** Add or edit a task; keeps what was typed when the host refuses it. */
export function TaskForm({ heading, submitLabel, initial = BLANK, tasks, selfId, pending, error, onSubmit, onCancel }: TaskFormProps) {
  const [title, setTitle] = useState(initial.title);
  const [description, setDescription] = useState(initial.description);
  const [priority, setPriority] = useState<Priority>(initial.priority);
  const [dependencies, setDependencies] = useState<ReadonlyArray<string>>(initial.dependencies);
  const [acceptance, setAcceptance] = useState(initial.acceptanceCriteria.join('\n'));
  const [expectsNoChanges, setExpectsNoChanges] = useState(initial.expectsNoChanges);
  const [dependencySearch, setDependencySearch] = useState('');
  const id = useId();

  const options = useMemo(
    () => filterTasks(tasks.filter((task) => task.id !== selfId), { status: 'all', search: dependencySearch }),
    [tasks, selfId, dependencySearch],
  );
  const toggle = (taskId: string, checked: boolean) =>
    setDependencies((current) => (checked ? [...current, taskId] : current.filter((existing) => existing !== taskId)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    onSubmit({ title: title.trim(), description, priority, dependencies, acceptanceCriteria: parseLines(acceptance), expectsNoChanges });
  };

  // Escape leaves the form without saving, wherever focus is in it.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    onCancel();
  };

  return (
    <form className="task-form panel" aria-labelledby={`${id}-heading`} onSubmit={submit} onKeyDown={onKeyDown}>
      <h3 id={`${id}-heading`}>{heading}</h3>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} value={title} onChange={(event) => setTitle(event.target.value)} required autoFocus />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-priority`}>Priority</label>
        <select id={`${id}-priority`} value={priority} onChange={(event) => setPriority(event.target.value as Priority)}>
          {PRIORITIES.map((value) => (
            <option key={value} value={value}>
              {value}
            </option>
          ))}
        </select>
      </div>
      <fieldset className="field dependencies">
        <legend>Dependencies {dependencies.length > 0 ? <span className="muted">({dependencies.join(', ')})</span> : null}</legend>
        {tasks.length > 8 ? (
          <input aria-label="Filter dependencies" placeholder="Filter tasks…" value={dependencySearch} onChange={(event) => setDependencySearch(event.target.value)} />
        ) : null}
        {options.length === 0 ? <p className="muted">{tasks.length <= (selfId === undefined ? 0 : 1) ? 'No other tasks yet.' : 'No task matches.'}</p> : null}
        <div className="checklist">
          {options.map((task) => (
            <label key={task.id} className="check">
              <input type="checkbox" checked={dependencies.includes(task.id)} onChange={(event) => toggle(task.id, event.target.checked)} />
              <span className="task-id">{task.id}</span> {task.title}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-acceptance`}>Acceptance criteria (one per line)</label>
        <textarea id={`${id}-acceptance`} rows={3} value={acceptance} onChange={(event) => setAcceptance(event.target.value)} />
      </div>
      <label className="check">
        <input type="checkbox" checked={expectsNoChanges} onChange={(event) => setExpectsNoChanges(event.target.checked)} />
        Needs no file changes (a verification-only task; otherwise an attempt that changes nothing is not done)
      </label>
      {error !== null ? <ErrorMessage error={error} /> : null}
      <div className="row">
        {/* Pending is aria-disabled, not disabled: a disabled button drops keyboard focus to the page. */}
        <button type="submit" disabled={title.trim() === ''} aria-disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
