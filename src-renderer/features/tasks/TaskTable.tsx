import type { KeyboardEvent } from 'react';
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

/** The task table: one focusable row per task; click, Enter or Space opens its details. */
export function TaskTable({ tasks, selectedId, onSelect }: TaskListProps) {
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
        {tasks.map((task) => (
          <tr
            key={task.id}
            data-task-id={task.id}
            tabIndex={0}
            aria-selected={task.id === selectedId}
            className={task.id === selectedId ? 'selected' : undefined}
            onClick={() => onSelect(task.id)}
            onKeyDown={onActivate(task.id, onSelect)}
          >
            <td className="task-id">{task.id}</td>
            <td>{task.title}</td>
            <td>
              <span className={`status status-${task.status}`}>{statusLabel(task.status)}</span>
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
