import { useState, type KeyboardEvent } from 'react';
import { isHeldByTerminal } from '../../../src-shared/domain/task-hold';
import { InTerminalBadge } from './InTerminalBadge';
import type { Task } from '../../../src-shared/rpc/contract';
import { groupByStatus, statusLabel } from './filters';

interface TaskListProps {
  readonly tasks: ReadonlyArray<Task>;
  readonly selectedId: string | null;
  readonly onSelect: (taskId: string) => void;
}

/** Enter or Space on a focused row or card opens the task. */
function onActivate(taskId: string, onSelect: (taskId: string) => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    onSelect(taskId);
  };
}

/** Keys that move focus between rows, and how far. */
const ROW_STEPS: Readonly<Record<string, number>> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10, Home: -Infinity, End: Infinity };

/**
 * The task table: click, Enter or Space on a row opens its details. The rows are one Tab stop
 * (a roving tabindex), so 500 tasks do not mean 500 presses of Tab: arrow keys, Page Up/Down,
 * Home and End move between rows, and Tab leaves the table from the row last visited.
 */
export function TaskTable({ tasks, selectedId, onSelect }: TaskListProps) {
  const [visitedId, setVisitedId] = useState<string | null>(null);
  const has = (id: string | null): id is string => id !== null && tasks.some((task) => task.id === id);
  const tabStop = has(visitedId) ? visitedId : has(selectedId) ? selectedId : (tasks[0]?.id ?? null);

  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, index: number, taskId: string) => {
    const step = ROW_STEPS[event.key];
    if (step === undefined) {
      onActivate(taskId, onSelect)(event);
      return;
    }
    event.preventDefault();
    const target = Math.min(tasks.length - 1, Math.max(0, index + step));
    const row = event.currentTarget.parentElement?.children[target];
    if (row instanceof HTMLElement) row.focus();
  };

  return (
    <table className="tasks-table" aria-label="Tasks">
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">Title</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">Dependencies</th>
          <th scope="col">Attempts</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task, index) => (
          <tr
            key={task.id}
            data-task-id={task.id}
            tabIndex={task.id === tabStop ? 0 : -1}
            aria-selected={task.id === selectedId}
            className={task.id === selectedId ? 'selected' : undefined}
            onClick={() => onSelect(task.id)}
            onFocus={() => setVisitedId(task.id)}
            onKeyDown={(event) => onRowKey(event, index, task.id)}
          >
            <td className="task-id">{task.id}</td>
            <td>{task.title}</td>
            <td>
              <span className={`status status-${task.status}`}>{statusLabel(task.status)}</span>
              {isHeldByTerminal(task, Date.now()) ? <InTerminalBadge /> : null}
            </td>
            <td>{task.priority}</td>
            <td>{task.dependencies.length === 0 ? <span className="muted">—</span> : task.dependencies.join(', ')}</td>
            <td>{task.attempts}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The board: a column per status with the tasks in it; cards are buttons. */
export function TaskBoard({ tasks, selectedId, onSelect }: TaskListProps) {
  const columns = groupByStatus(tasks).filter((column) => column.tasks.length > 0 || ['pending', 'ready', 'in_progress', 'done'].includes(column.status));
  return (
    <div className="board" aria-label="Task board" role="region">
      {columns.map((column) => (
        <section key={column.status} className="board-column" aria-label={`${statusLabel(column.status)} (${column.tasks.length})`}>
          <h4>
            <span className={`status status-${column.status}`}>{statusLabel(column.status)}</span> <span className="muted">{column.tasks.length}</span>
          </h4>
          {column.tasks.map((task) => (
            <button
              type="button"
              key={task.id}
              data-task-id={task.id}
              className={`card${task.id === selectedId ? ' selected' : ''}`}
              aria-pressed={task.id === selectedId}
              onClick={() => onSelect(task.id)}
            >
              <span className="task-id">{task.id}</span> {task.title}
              {isHeldByTerminal(task, Date.now()) ? <InTerminalBadge /> : null}
              <span className="muted card-meta">
                {task.priority}
                {task.dependencies.length > 0 ? ` · needs ${task.dependencies.join(', ')}` : ''}
              </span>
            </button>
          ))}
        </section>
      ))}
    </div>
  );
}
