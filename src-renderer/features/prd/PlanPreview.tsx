import { useRef } from 'react';
import { flushSync } from 'react-dom';
import { DependencyPicker } from './DependencyPicker';
import type { PlanDraft, ProposedTask } from './plan-edit';

interface PlanPreviewProps {
  readonly draft: PlanDraft;
  readonly disabled: boolean;
  readonly onTitle: (id: string, title: string) => void;
  readonly onPriority: (id: string, priority: ProposedTask['priority']) => void;
  readonly onDependency: (id: string, dependencyId: string, on: boolean) => void;
  readonly onRemove: (id: string) => void;
}

/** The manager's proposed tasks as an editable table: title, priority, dependencies, remove. */
export function PlanPreview({ draft, disabled, onTitle, onPriority, onDependency, onRemove }: PlanPreviewProps) {
  const body = useRef<HTMLTableSectionElement>(null);
  // The removed row takes focus with it: move focus to the title of the row that took its place.
  const remove = (taskId: string) => {
    const index = draft.tasks.findIndex((task) => task.id === taskId);
    flushSync(() => onRemove(taskId));
    const titles = body.current?.querySelectorAll<HTMLInputElement>('.prd-title-cell input') ?? [];
    titles[Math.min(index, titles.length - 1)]?.focus();
  };
  return (
    <table className="prd-plan-table" aria-label="Proposed tasks">
      <thead>
        <tr>
          <th scope="col">ID</th>
          <th scope="col">Title</th>
          <th scope="col">Priority</th>
          <th scope="col">Depends on</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody ref={body}>
        {draft.tasks.map((task) => (
          <tr key={task.id}>
            <td className="task-id">{task.id}</td>
            <td className="prd-title-cell">
              <input
                type="text"
                aria-label={`Title of task ${task.id}`}
                value={task.title}
                maxLength={500}
                disabled={disabled}
                onChange={(event) => onTitle(task.id, event.target.value)}
                aria-invalid={task.title.trim() === ''}
              />
              {task.description === '' ? null : <p className="muted prd-description">{task.description}</p>}
            </td>
            <td>
              <select aria-label={`Priority of task ${task.id}`} value={task.priority} disabled={disabled} onChange={(event) => onPriority(task.id, event.target.value as ProposedTask['priority'])}>
                <option value="high">High</option>
                <option value="medium">Medium</option>
                <option value="low">Low</option>
              </select>
            </td>
            <td>
              <DependencyPicker task={task} tasks={draft.tasks} disabled={disabled} onDependency={onDependency} />
            </td>
            <td>
              <button type="button" aria-label={`Remove task ${task.id}`} disabled={disabled} onClick={() => remove(task.id)}>
                Remove
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
