import { useId, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { TASK_STATUSES } from '../../../src-shared/domain/task-status';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { ImportIssuesPanel } from '../github/ImportIssuesPanel';
import { filterTasks, statusLabel, type StatusFilter } from './filters';
import { useCreateTask, useTasks } from './queries';
import { TaskDetail } from './TaskDetail';
import { TaskForm, type TaskFormValues } from './TaskForm';
import { TaskBoard, TaskTable } from './TaskTable';

interface TasksViewProps {
  readonly project: string;
  readonly selectedId: string | null;
  readonly onSelect: (taskId: string | null) => void;
}

/**
 * The Tasks tab: filter and search, table or board, add form and the selected task's details.
 * Closing the add form returns focus to "Add task"; closing the details returns it to the task's row
 * (or, when the task was deleted, to the row that took its place).
 */
export function TasksView({ project, selectedId, onSelect }: TasksViewProps) {
  const tasks = useTasks(project);
  const [status, setStatus] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [layout, setLayout] = useState<'table' | 'board'>('table');
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const importButton = useRef<HTMLButtonElement>(null);
  const create = useCreateTask(project);
  const id = useId();
  const all: ReadonlyArray<Task> = useMemo(() => tasks.data ?? [], [tasks.data]);
  const shown = useMemo(() => filterTasks(all, { status, search }), [all, status, search]);
  const addButton = useRef<HTMLButtonElement>(null);
  const listPane = useRef<HTMLDivElement>(null);

  const closeForm = () => {
    flushSync(() => setAdding(false));
    addButton.current?.focus();
  };
  const add = (values: TaskFormValues) =>
    create.mutate(
      { title: values.title, description: values.description, priority: values.priority, dependencies: [...values.dependencies], acceptanceCriteria: [...values.acceptanceCriteria], expectsNoChanges: values.expectsNoChanges },
      { onSuccess: closeForm },
    );
  const closeDetail = () => {
    const index = shown.findIndex((task) => task.id === selectedId);
    flushSync(() => onSelect(null));
    const items = [...(listPane.current?.querySelectorAll<HTMLElement>('[data-task-id]') ?? [])];
    const target = items.find((item) => item.dataset['taskId'] === selectedId) ?? items[Math.min(Math.max(index, 0), items.length - 1)] ?? addButton.current;
    target?.focus();
  };

  return (
    <div className="tasks-view">
      <div className="toolbar" role="toolbar" aria-label="Task list controls">
        <button type="button" className="primary" ref={addButton} onClick={() => setAdding(true)} disabled={adding}>
          Add task
        </button>
        <button type="button" ref={importButton} onClick={() => setImporting(true)} disabled={importing}>
          Import from GitHub
        </button>
        <label htmlFor={`${id}-status`}>Status</label>
        <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as StatusFilter)}>
          <option value="all">All statuses</option>
          {TASK_STATUSES.map((value) => (
            <option key={value} value={value}>
              {statusLabel(value)}
            </option>
          ))}
        </select>
        <input type="search" aria-label="Search tasks" placeholder="Search id, title, description…" value={search} onChange={(event) => setSearch(event.target.value)} />
        <div className="segmented" role="group" aria-label="Layout">
          <button type="button" aria-pressed={layout === 'table'} onClick={() => setLayout('table')}>
            Table
          </button>
          <button type="button" aria-pressed={layout === 'board'} onClick={() => setLayout('board')}>
            Board
          </button>
        </div>
      </div>

      {importing ? (
        <ImportIssuesPanel
          project={project}
          onClose={() => {
            flushSync(() => setImporting(false));
            importButton.current?.focus();
          }}
        />
      ) : null}

      {adding ? (
        <TaskForm
          heading="New task"
          submitLabel="Create task"
          tasks={all}
          pending={create.isPending}
          error={create.error}
          onSubmit={add}
          onCancel={() => {
            create.reset();
            closeForm();
          }}
        />
      ) : null}

      <div className={selectedId === null ? 'split' : 'split with-detail'}>
        <div className="list-pane" ref={listPane}>
          {tasks.isPending ? <p role="status">Loading tasks…</p> : null}
          {tasks.isError ? <ErrorMessage error={tasks.error} /> : null}
          {tasks.isSuccess && all.length === 0 ? <p className="empty">No tasks yet. Add one with “Add task”.</p> : null}
          {tasks.isSuccess && all.length > 0 && shown.length === 0 ? <p className="empty">No task matches the filter.</p> : null}
          {tasks.isSuccess && shown.length > 0 ? (
            <>
              <p className="muted count" role="status">
                {shown.length === all.length ? `${all.length} tasks` : `${shown.length} of ${all.length} tasks`}
              </p>
              {layout === 'table' ? (
                <TaskTable tasks={shown} selectedId={selectedId} onSelect={onSelect} />
              ) : (
                <TaskBoard tasks={shown} selectedId={selectedId} onSelect={onSelect} />
              )}
            </>
          ) : null}
        </div>
        {selectedId !== null && tasks.isSuccess ? (
          <TaskDetail key={selectedId} project={project} taskId={selectedId} tasks={all} onSelect={onSelect} onClose={closeDetail} />
        ) : null}
      </div>
    </div>
  );
}
