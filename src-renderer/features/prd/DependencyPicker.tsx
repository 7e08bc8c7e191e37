import { useId, useState } from 'react';
import type { ProposedTask } from './plan-edit';

/** Up to this many other tasks, every one is offered as a checkbox; above it, the current dependencies and a search. */
export const LIST_ALL_UP_TO = 12;
/** Matches shown for a search. */
const MAX_MATCHES = 8;

interface DependencyPickerProps {
  readonly task: ProposedTask;
  readonly tasks: ReadonlyArray<ProposedTask>;
  readonly disabled: boolean;
  readonly onDependency: (id: string, dependencyId: string, on: boolean) => void;
}

/**
 * A task's dependencies in the plan preview. A small plan lists every other task as a checkbox; a large
 * one (150 tasks would mean 149 checkboxes a row, 22,000 in the table) shows the chosen dependencies as
 * checked boxes and a search that offers a few matching tasks by id or title, so each row stays small.
 */
export function DependencyPicker({ task, tasks, disabled, onDependency }: DependencyPickerProps) {
  const id = useId();
  const [query, setQuery] = useState('');
  const others = tasks.filter((other) => other.id !== task.id);
  const listAll = others.length <= LIST_ALL_UP_TO;
  const needle = query.trim().toLowerCase();
  const chosen = others.filter((other) => task.dependencies.includes(other.id));
  const offered = listAll
    ? others
    : [...chosen, ...(needle === '' ? [] : others.filter((other) => !task.dependencies.includes(other.id) && matches(other, needle)).slice(0, MAX_MATCHES))];
  return (
    <fieldset className="prd-deps" aria-label={`Dependencies of task ${task.id}`} disabled={disabled}>
      {others.length === 0 ? <span className="muted">No other tasks</span> : null}
      {offered.map((other) => (
        <label key={other.id} className="check" htmlFor={`${id}-${other.id}`}>
          <input
            id={`${id}-${other.id}`}
            type="checkbox"
            aria-label={`Task ${task.id} depends on task ${other.id}`}
            checked={task.dependencies.includes(other.id)}
            onChange={(event) => onDependency(task.id, other.id, event.target.checked)}
          />
          <span className="task-id">{other.id}</span> {other.title}
        </label>
      ))}
      {task.dependencies
        .filter((dependency) => !tasks.some((other) => other.id === dependency))
        .map((dependency) => (
          <span key={dependency} className="muted">
            existing task {dependency}
          </span>
        ))}
      {listAll ? null : (
        <input
          type="search"
          className="prd-dep-search"
          aria-label={`Find a task for task ${task.id} to depend on`}
          placeholder="Add a dependency: id or title"
          value={query}
          maxLength={200}
          onChange={(event) => setQuery(event.target.value)}
        />
      )}
      {!listAll && needle !== '' && offered.length === chosen.length ? <span className="muted">No other task matches “{query.trim()}”.</span> : null}
    </fieldset>
  );
}

function matches(task: ProposedTask, needle: string): boolean {
  return task.id.toLowerCase() === needle || task.id.toLowerCase().startsWith(`${needle}.`) || task.title.toLowerCase().includes(needle);
}
