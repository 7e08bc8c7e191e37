import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { flushSync } from 'react-dom';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useCheckpoints, useCreateCheckpoint, useDeleteCheckpoint, type CheckpointItem } from './queries';
import { RollbackPanel } from './RollbackPanel';
import { UndoRollback } from './UndoRollback';

/**
 * Checkpoints of a project: list, create, delete, and roll back to one with a preview first.
 * Closing the rollback panel returns focus to the "Roll back…" button of its checkpoint.
 */
export function CheckpointsView({ project }: { readonly project: string }) {
  const checkpoints = useCheckpoints(project);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = checkpoints.data?.find((checkpoint) => checkpoint.id === selectedId) ?? null;
  const listPanel = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Owned here, not by the table: deleting the last checkpoint unmounts the table before the callbacks run.
  const remove = useDeleteCheckpoint(project);
  const deleteCheckpoint = (id: string) => {
    if (remove.isPending) return;
    // The deleted row takes focus with it: move it to the list's heading.
    remove.mutate(id, {
      onSuccess: () => {
        if (id === selectedId) flushSync(() => setSelectedId(null));
        heading.current?.focus();
      },
    });
  };
  const closePanel = () => {
    flushSync(() => setSelectedId(null));
    [...(listPanel.current?.querySelectorAll<HTMLElement>('[data-rollback-to]') ?? [])].find((button) => button.dataset['rollbackTo'] === selectedId)?.focus();
  };

  // The newest checkpoint is a rollback's safety checkpoint: nothing has been checkpointed (no run started) since that rollback.
  const newest = checkpoints.data?.[0];
  const undoable = newest?.kind === 'rollback' && selected === null ? newest : null;

  return (
    <section aria-label="Checkpoints" className="cp-view">
      <CreateCheckpointForm project={project} />
      {undoable !== null ? (
        <section aria-label="Last rollback" className="panel cp-last-rollback">
          <p>
            The last rollback ({new Date(undoable.createdAt).toLocaleString()}) can be undone: files and tasks, tasks it removed included, go back to
            how they were just before it.
          </p>
          <UndoRollback key={undoable.id} project={project} safetyCheckpointId={undoable.id} />
        </section>
      ) : null}
      <div className={selected === null ? 'split' : 'split with-detail'}>
        <div className="panel" ref={listPanel}>
          <h3 className="cp-heading" tabIndex={-1} ref={heading}>
            Checkpoints
          </h3>
          {checkpoints.isPending ? <p role="status">Loading checkpoints…</p> : null}
          {checkpoints.isError ? <ErrorMessage error={checkpoints.error} /> : null}
          {checkpoints.isSuccess && checkpoints.data.length === 0 ? (
            <p className="empty">No checkpoints yet. Make one above; every run also makes one before it starts.</p>
          ) : null}
          {checkpoints.isSuccess && checkpoints.data.length > 0 ? (
            <CheckpointTable checkpoints={checkpoints.data} selectedId={selectedId} deleting={remove.isPending} onSelect={setSelectedId} onDelete={deleteCheckpoint} />
          ) : null}
          {remove.isError ? <ErrorMessage error={remove.error} /> : null}
        </div>
        {selected !== null ? <RollbackPanel key={selected.id} project={project} checkpoint={selected} onSelect={setSelectedId} onClose={closePanel} /> : null}
      </div>
    </section>
  );
}

function CreateCheckpointForm({ project }: { readonly project: string }) {
  const id = useId();
  const [description, setDescription] = useState('');
  const create = useCreateCheckpoint(project);
  const input = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (description.trim() === '' || create.isPending) return;
    // The button is disabled once the description is cleared: focus goes back to the description.
    create.mutate(description.trim(), {
      onSuccess: () => {
        setDescription('');
        input.current?.focus();
      },
    });
  };
  return (
    <form className="panel cp-create" onSubmit={submit} aria-label="Create a checkpoint">
      <div className="row">
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          ref={input}
          value={description}
          maxLength={500}
          placeholder="What this checkpoint is for"
          onChange={(event) => setDescription(event.target.value)}
        />
        <button type="submit" disabled={description.trim() === ''} aria-disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create checkpoint'}
        </button>
      </div>
      {create.isError ? <ErrorMessage error={create.error} /> : null}
      {create.isSuccess ? (
        <p role="status" className="muted">
          Checkpoint {create.data.id} created.
        </p>
      ) : null}
    </form>
  );
}

interface CheckpointTableProps {
  readonly checkpoints: ReadonlyArray<CheckpointItem>;
  readonly selectedId: string | null;
  readonly deleting: boolean;
  readonly onSelect: (id: string | null) => void;
  readonly onDelete: (id: string) => void;
}

function CheckpointTable({ checkpoints, selectedId, deleting, onSelect, onDelete }: CheckpointTableProps) {
  return (
    <table className="tasks-table cp-table" aria-label="Checkpoint list">
      <thead>
        <tr>
          <th scope="col">Created</th>
          <th scope="col">Description</th>
          <th scope="col">Kind</th>
          <th scope="col">Kept</th>
          <th scope="col">Id</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {checkpoints.map((checkpoint) => (
          <CheckpointRow
            key={checkpoint.id}
            checkpoint={checkpoint}
            selected={checkpoint.id === selectedId}
            deleting={deleting}
            onSelect={() => onSelect(checkpoint.id === selectedId ? null : checkpoint.id)}
            onDelete={() => onDelete(checkpoint.id)}
          />
        ))}
      </tbody>
    </table>
  );
}

interface CheckpointRowProps {
  readonly checkpoint: CheckpointItem;
  readonly selected: boolean;
  readonly deleting: boolean;
  readonly onSelect: () => void;
  readonly onDelete: () => void;
}

/** One checkpoint; "Delete" asks first, with focus on the question, and Escape or "Keep" goes back to "Delete". */
function CheckpointRow({ checkpoint, selected, deleting, onSelect, onDelete }: CheckpointRowProps) {
  const [confirming, setConfirming] = useState(false);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const question = useRef<HTMLSpanElement>(null);
  const confirm = (on: boolean) => {
    flushSync(() => setConfirming(on));
    (on ? question.current : deleteButton.current)?.focus();
  };
  const onQuestionKey = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    confirm(false);
  };
  return (
    <tr className={selected ? 'selected' : undefined}>
      <td>{new Date(checkpoint.createdAt).toLocaleString()}</td>
      <td>{checkpoint.description}</td>
      <td>
        <span className="badge">{checkpoint.kind}</span>
      </td>
      <td className="muted">{keptText(checkpoint.keptBecause)}</td>
      <td className="task-id">{checkpoint.id}</td>
      <td className="cp-actions">
        {confirming ? (
          <span role="group" aria-label={`Confirm deleting checkpoint ${checkpoint.description}`} className="row" tabIndex={-1} ref={question} onKeyDown={onQuestionKey}>
            <button type="button" className="danger" aria-disabled={deleting} onClick={onDelete}>
              Confirm delete
            </button>
            <button type="button" onClick={() => confirm(false)}>
              Keep
            </button>
          </span>
        ) : (
          <span className="row">
            <button type="button" aria-pressed={selected} data-rollback-to={checkpoint.id} onClick={onSelect}>
              Roll back…<span className="visually-hidden"> to {checkpoint.description}</span>
            </button>
            <button type="button" className="danger" ref={deleteButton} onClick={() => confirm(true)}>
              Delete<span className="visually-hidden"> checkpoint {checkpoint.description}</span>
            </button>
          </span>
        )}
      </td>
    </tr>
  );
}

/** Why retention (config: checkpoints.keep_last, keep_days) keeps a checkpoint, in a few words. */
function keptText(reasons: CheckpointItem['keptBecause']): string {
  if (reasons.includes('undo')) return 'undo of the last rollback';
  if (reasons.length === 0) return 'pruned at the next checkpoint';
  return reasons.includes('newest') ? 'newest' : 'recent';
}
