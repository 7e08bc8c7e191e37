import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { LEASED_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { statusLabel } from './filters';
import { useCancelTask, useSetTaskStatus, type useDeleteTask } from './queries';

/** Statuses the host lets a user set; the others belong to the scheduler. */
const USER_STATUSES: ReadonlyArray<TaskStatus> = ['pending', 'deferred', 'cancelled', 'done'];

type DeleteStep = 'idle' | 'confirm' | 'refused';

interface TaskActionsProps {
  readonly project: string;
  readonly task: Task;
  readonly dependents: ReadonlyArray<string>;
  /** Owned by TaskDetail: a deleted task unmounts these actions before the mutation's callbacks would run. */
  readonly remove: ReturnType<typeof useDeleteTask>;
  readonly onDeleted: () => void;
}

/**
 * Set status (with an optional reason) and delete, with the dependency refusal and "delete anyway".
 * Each delete step takes focus when it appears; Escape or "Keep task" goes back to "Delete task".
 * Pending buttons are aria-disabled rather than disabled, which would drop keyboard focus to the page.
 */
export function TaskActions({ project, task, dependents, remove, onDeleted }: TaskActionsProps) {
  const id = useId();
  const [status, setStatus] = useState<TaskStatus>(USER_STATUSES.includes(task.status) ? task.status : 'pending');
  const [reason, setReason] = useState('');
  const [deleteStep, setDeleteStep] = useState<DeleteStep>('idle');
  const setTaskStatus = useSetTaskStatus(project);
  const cancel = useCancelTask(project);
  const statusSelect = useRef<HTMLSelectElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const deleteStepGroup = useRef<HTMLDivElement>(null);

  /** Shows a delete step and moves focus to it (the step's group, or "Delete task" when back to idle). */
  const showDeleteStep = (step: DeleteStep) => {
    flushSync(() => setDeleteStep(step));
    (step === 'idle' ? deleteButton.current : deleteStepGroup.current)?.focus();
  };
  const onDeleteStepKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    showDeleteStep('idle');
  };

  const applyStatus = () => {
    if (setTaskStatus.isPending) return;
    setTaskStatus.mutate({ id: task.id, status, ...(reason.trim() === '' ? {} : { reason: reason.trim() }) }, { onSuccess: () => setReason('') });
  };
  const deleteTask = (force: boolean) => {
    if (remove.isPending) return;
    remove.mutate(
      { id: task.id, force },
      { onSuccess: () => onDeleted(), onError: () => showDeleteStep(force ? 'confirm' : 'refused') },
    );
  };
  // The cancel button goes away once the task is no longer leased: focus moves to the status picker.
  const cancelTask = () => {
    if (!cancel.isPending) cancel.mutate(task.id, { onSuccess: () => statusSelect.current?.focus() });
  };

  return (
    <section className="actions" aria-label="Task actions">
      <h4>Status</h4>
      <div className="row wrap">
        <label htmlFor={`${id}-status`}>New status</label>
        <select id={`${id}-status`} ref={statusSelect} value={status} onChange={(event) => setStatus(event.target.value as TaskStatus)}>
          {USER_STATUSES.map((value) => (
            <option key={value} value={value}>
              {statusLabel(value)}
            </option>
          ))}
        </select>
        <input aria-label="Reason (optional)" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <button type="button" onClick={applyStatus} aria-disabled={setTaskStatus.isPending}>
          Set status
        </button>
      </div>
      {setTaskStatus.isError ? <ErrorMessage error={setTaskStatus.error} /> : null}
      {LEASED_STATUSES.includes(task.status) ? (
        <button type="button" className="danger" aria-disabled={cancel.isPending} onClick={cancelTask}>
          Cancel running task
        </button>
      ) : null}
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}

      <h4>Delete</h4>
      {deleteStep === 'idle' ? (
        <button type="button" className="danger" ref={deleteButton} onClick={() => showDeleteStep('confirm')}>
          Delete task
        </button>
      ) : null}
      {deleteStep === 'confirm' ? (
        <div className="confirm" role="group" aria-label="Confirm delete" aria-describedby={`${id}-confirm`} tabIndex={-1} ref={deleteStepGroup} onKeyDown={onDeleteStepKey}>
          <p id={`${id}-confirm`}>
            Delete task {task.id} “{task.title}”? This cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" aria-disabled={remove.isPending} onClick={() => deleteTask(false)}>
              Confirm delete
            </button>
            <button type="button" onClick={() => showDeleteStep('idle')}>
              Keep task
            </button>
          </div>
        </div>
      ) : null}
      {deleteStep === 'refused' ? (
        <div className="confirm" role="group" aria-label="Delete refused" tabIndex={-1} ref={deleteStepGroup} onKeyDown={onDeleteStepKey}>
          {remove.isError ? <ErrorMessage error={remove.error} /> : null}
          {dependents.length > 0 ? <p>Deleting anyway removes task {task.id} from the dependencies of {dependents.join(', ')}.</p> : null}
          <div className="row">
            <button type="button" className="danger" aria-disabled={remove.isPending} onClick={() => deleteTask(true)}>
              Delete anyway
            </button>
            <button type="button" onClick={() => showDeleteStep('idle')}>
              Keep task
            </button>
          </div>
        </div>
      ) : null}
      {deleteStep === 'confirm' && remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </section>
  );
}
