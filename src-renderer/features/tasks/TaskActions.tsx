import { useId, useState } from 'react';
import { LEASED_STATUSES, type TaskStatus } from '../../../src-shared/domain/task-status';
import type { Task } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { statusLabel } from './filters';
import { useCancelTask, useDeleteTask, useSetTaskStatus } from './queries';

/** Statuses the host lets a user set; the others belong to the scheduler. */
const USER_STATUSES: ReadonlyArray<TaskStatus> = ['pending', 'deferred', 'cancelled', 'done'];

type DeleteStep = 'idle' | 'confirm' | 'refused';

/** Set status (with an optional reason) and delete, with the dependency refusal and "delete anyway". */
export function TaskActions({ project, task, dependents, onDeleted }: { readonly project: string; readonly task: Task; readonly dependents: ReadonlyArray<string>; readonly onDeleted: () => void }) {
  const id = useId();
  const [status, setStatus] = useState<TaskStatus>(USER_STATUSES.includes(task.status) ? task.status : 'pending');
  const [reason, setReason] = useState('');
  const [deleteStep, setDeleteStep] = useState<DeleteStep>('idle');
  const setTaskStatus = useSetTaskStatus(project);
  const remove = useDeleteTask(project);
  const cancel = useCancelTask(project);

  const applyStatus = () =>
    setTaskStatus.mutate({ id: task.id, status, ...(reason.trim() === '' ? {} : { reason: reason.trim() }) }, { onSuccess: () => setReason('') });
  const deleteTask = (force: boolean) =>
    remove.mutate(
      { id: task.id, force },
      { onSuccess: () => onDeleted(), onError: () => setDeleteStep(force ? 'confirm' : 'refused') },
    );

  return (
    <section className="actions" aria-label="Task actions">
      <h4>Status</h4>
      <div className="row wrap">
        <label htmlFor={`${id}-status`}>New status</label>
        <select id={`${id}-status`} value={status} onChange={(event) => setStatus(event.target.value as TaskStatus)}>
          {USER_STATUSES.map((value) => (
            <option key={value} value={value}>
              {statusLabel(value)}
            </option>
          ))}
        </select>
        <input aria-label="Reason (optional)" placeholder="Reason (optional)" value={reason} onChange={(event) => setReason(event.target.value)} />
        <button type="button" onClick={applyStatus} disabled={setTaskStatus.isPending}>
          Set status
        </button>
      </div>
      {setTaskStatus.isError ? <ErrorMessage error={setTaskStatus.error} /> : null}
      {LEASED_STATUSES.includes(task.status) ? (
        <button type="button" className="danger" disabled={cancel.isPending} onClick={() => cancel.mutate(task.id)}>
          Cancel running task
        </button>
      ) : null}
      {cancel.isError ? <ErrorMessage error={cancel.error} /> : null}

      <h4>Delete</h4>
      {deleteStep === 'idle' ? (
        <button type="button" className="danger" onClick={() => setDeleteStep('confirm')}>
          Delete task
        </button>
      ) : null}
      {deleteStep === 'confirm' ? (
        <div className="confirm" role="group" aria-label="Confirm delete">
          <p>
            Delete task {task.id} “{task.title}”? This cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => deleteTask(false)}>
              Confirm delete
            </button>
            <button type="button" onClick={() => setDeleteStep('idle')}>
              Keep task
            </button>
          </div>
        </div>
      ) : null}
      {deleteStep === 'refused' ? (
        <div className="confirm" role="group" aria-label="Delete refused">
          {remove.isError ? <ErrorMessage error={remove.error} /> : null}
          {dependents.length > 0 ? <p>Deleting anyway removes task {task.id} from the dependencies of {dependents.join(', ')}.</p> : null}
          <div className="row">
            <button type="button" className="danger" disabled={remove.isPending} onClick={() => deleteTask(true)}>
              Delete anyway
            </button>
            <button type="button" onClick={() => setDeleteStep('idle')}>
              Keep task
            </button>
          </div>
        </div>
      ) : null}
      {deleteStep === 'confirm' && remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </section>
  );
}
