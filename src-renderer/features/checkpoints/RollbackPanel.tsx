import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useTasks } from '../tasks/queries';
import { usePreviewRollback, useRollback, type CheckpointItem, type RollbackChoice } from './queries';
import { RollbackPreviewList } from './RollbackPreviewList';
import { RollbackResultView } from './RollbackResultView';

type Strategy = RollbackChoice['strategy'];

const STRATEGIES: ReadonlyArray<{ readonly value: Strategy; readonly label: string; readonly help: string }> = [
  { value: 'FULL', label: 'Full', help: 'Files and the whole task table go back to the checkpoint.' },
  { value: 'PARTIAL', label: 'Partial', help: 'Files go back; tasks finished since then go back to pending, the rest keep their state.' },
  {
    value: 'SELECTIVE',
    label: 'Selective',
    help: 'Only the chosen tasks’ own changes are undone (later edits to the same files are kept), and those tasks return to pending.',
  },
];

interface RollbackPanelProps {
  readonly project: string;
  readonly checkpoint: CheckpointItem;
  readonly onSelect: (id: string) => void;
  readonly onClose: () => void;
}

/**
 * Rolls back to one checkpoint: pick a strategy (and tasks for SELECTIVE), preview, confirm, see what happened.
 * Opening it moves focus to its heading and Escape closes it; the confirmation takes focus when it appears and
 * Escape or Cancel dismisses it, back on "Roll back". Pending buttons are aria-disabled, as disabled ones drop focus.
 */
export function RollbackPanel({ project, checkpoint, onSelect, onClose }: RollbackPanelProps) {
  const id = useId();
  const [strategy, setStrategy] = useState<Strategy>('FULL');
  const [taskIds, setTaskIds] = useState<ReadonlyArray<string>>([]);
  const [confirming, setConfirming] = useState(false);
  const preview = usePreviewRollback(project);
  const rollback = useRollback(project);
  const needsTasks = strategy === 'SELECTIVE' && taskIds.length === 0;
  const choice: RollbackChoice = strategy === 'SELECTIVE' ? { id: checkpoint.id, strategy, taskIds: [...taskIds] } : { id: checkpoint.id, strategy };
  const changeChoice = (update: () => void) => {
    update();
    preview.reset();
    setConfirming(false);
  };
  const heading = useRef<HTMLHeadingElement>(null);
  const rollBackButton = useRef<HTMLButtonElement>(null);
  const confirmGroup = useRef<HTMLDivElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const showConfirm = (on: boolean) => {
    flushSync(() => setConfirming(on));
    (on ? confirmGroup.current : rollBackButton.current)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented) return;
    event.preventDefault();
    if (confirming) showConfirm(false);
    else onClose();
  };
  const runPreview = () => {
    if (!preview.isPending) preview.mutate(choice);
  };
  const askToConfirm = () => {
    if (!rollback.isPending) showConfirm(true);
  };
  const confirmRollback = () => {
    if (rollback.isPending) return;
    rollback.mutate(choice, { onSettled: () => showConfirm(false), onSuccess: () => preview.reset() });
  };

  return (
    <aside className="panel detail cp-rollback" aria-labelledby={`${id}-heading`} onKeyDown={onKeyDown}>
      <header className="detail-head">
        <h3 id={`${id}-heading`} ref={heading} tabIndex={-1}>Roll back to “{checkpoint.description}”</h3>
        <button type="button" aria-label="Close rollback" onClick={onClose}>
          ×
        </button>
      </header>
      <p className="muted">
        {new Date(checkpoint.createdAt).toLocaleString()} · <span className="task-id">{checkpoint.id}</span>
      </p>
      <fieldset className="cp-strategies">
        <legend>Strategy</legend>
        {STRATEGIES.map((option) => (
          <label key={option.value} className="cp-strategy">
            <input
              type="radio"
              name={`${id}-strategy`}
              value={option.value}
              checked={strategy === option.value}
              aria-describedby={`${id}-${option.value}-help`}
              onChange={() => changeChoice(() => setStrategy(option.value))}
            />
            <span>
              <strong>{option.label}</strong> <span id={`${id}-${option.value}-help`} className="muted">{option.help}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {strategy === 'SELECTIVE' ? <TaskPicker project={project} selected={taskIds} onChange={(ids) => changeChoice(() => setTaskIds(ids))} /> : null}
      <div className="row">
        <button type="button" disabled={needsTasks} aria-disabled={preview.isPending} onClick={runPreview}>
          {preview.isPending ? 'Previewing…' : 'Preview'}
        </button>
        <button type="button" className="danger" ref={rollBackButton} disabled={needsTasks} aria-disabled={rollback.isPending} onClick={askToConfirm}>
          Roll back
        </button>
      </div>
      {preview.isError ? <ErrorMessage error={preview.error} /> : null}
      {preview.isSuccess ? <RollbackPreviewList preview={preview.data} /> : null}
      {confirming ? (
        <div className="confirm" role="group" aria-label="Confirm rollback" aria-describedby={`${id}-confirm`} tabIndex={-1} ref={confirmGroup}>
          <p id={`${id}-confirm`}>
            Roll back ({strategy.toLowerCase()}) to “{checkpoint.description}”? Files on disk change; a safety checkpoint of the current state is made first so you can undo it.
          </p>
          <div className="row">
            <button type="button" className="danger" aria-disabled={rollback.isPending} onClick={confirmRollback}>
              {rollback.isPending ? 'Rolling back…' : 'Confirm roll back'}
            </button>
            <button type="button" onClick={() => showConfirm(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {rollback.isError ? <ErrorMessage error={rollback.error} /> : null}
      {rollback.isSuccess ? <RollbackResultView project={project} result={rollback.data} onSelectUndo={() => onSelect(rollback.data.safetyCheckpointId)} /> : null}
    </aside>
  );
}

function TaskPicker({ project, selected, onChange }: { readonly project: string; readonly selected: ReadonlyArray<string>; readonly onChange: (ids: ReadonlyArray<string>) => void }) {
  const tasks = useTasks(project);
  const toggle = (task: Task, checked: boolean) => onChange(checked ? [...selected, task.id] : selected.filter((taskId) => taskId !== task.id));
  return (
    <fieldset className="cp-tasks">
      <legend>Tasks to undo</legend>
      {tasks.isPending ? <p role="status">Loading tasks…</p> : null}
      {tasks.isError ? <ErrorMessage error={tasks.error} /> : null}
      {tasks.isSuccess && tasks.data.length === 0 ? <p className="muted">This project has no tasks.</p> : null}
      {tasks.data?.map((task) => (
        <label key={task.id} className="cp-task">
          <input type="checkbox" checked={selected.includes(task.id)} onChange={(event) => toggle(task, event.target.checked)} />
          <span className="task-id">{task.id}</span> {task.title} <span className={`status status-${task.status}`}>{task.status}</span>
        </label>
      ))}
      {selected.length === 0 ? <p className="muted">Choose at least one task.</p> : null}
    </fieldset>
  );
}
