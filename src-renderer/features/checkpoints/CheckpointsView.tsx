import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useCheckpoints, useCreateCheckpoint, useDeleteCheckpoint, type CheckpointItem } from './queries';
import { RollbackPanel } from './RollbackPanel';

/** Checkpoints of a project: list, create, delete, and roll back to one with a preview first. */
export function CheckpointsView({ project }: { readonly project: string }) {
  const checkpoints = useCheckpoints(project);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = checkpoints.data?.find((checkpoint) => checkpoint.id === selectedId) ?? null;

  return (
    <section aria-label="Checkpoints" className="cp-view">
      <CreateCheckpointForm project={project} />
      <div className={selected === null ? 'split' : 'split with-detail'}>
        <div className="panel">
          <h3 className="cp-heading">Checkpoints</h3>
          {checkpoints.isPending ? <p role="status">Loading checkpoints…</p> : null}
          {checkpoints.isError ? <ErrorMessage error={checkpoints.error} /> : null}
          {checkpoints.isSuccess && checkpoints.data.length === 0 ? (
            <p className="empty">No checkpoints yet. Make one above; every run also makes one before it starts.</p>
          ) : null}
          {checkpoints.isSuccess && checkpoints.data.length > 0 ? (
            <CheckpointTable project={project} checkpoints={checkpoints.data} selectedId={selectedId} onSelect={setSelectedId} />
          ) : null}
        </div>
        {selected !== null ? <RollbackPanel key={selected.id} project={project} checkpoint={selected} onSelect={setSelectedId} onClose={() => setSelectedId(null)} /> : null}
      </div>
    </section>
  );
}

function CreateCheckpointForm({ project }: { readonly project: string }) {
  const id = useId();
  const [description, setDescription] = useState('');
  const create = useCreateCheckpoint(project);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (description.trim() === '') return;
    create.mutate(description.trim(), { onSuccess: () => setDescription('') });
  };
  return (
    <form className="panel cp-create" onSubmit={submit} aria-label="Create a checkpoint">
      <div className="row">
        <label htmlFor={`${id}-description`}>Description</label>
        <input
          id={`${id}-description`}
          value={description}
          maxLength={500}
          placeholder="What this checkpoint is for"
          onChange={(event) => setDescription(event.target.value)}
        />
        <button type="submit" disabled={create.isPending || description.trim() === ''}>
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
  readonly project: string;
  readonly checkpoints: ReadonlyArray<CheckpointItem>;
  readonly selectedId: string | null;
  readonly onSelect: (id: string | null) => void;
}

function CheckpointTable({ project, checkpoints, selectedId, onSelect }: CheckpointTableProps) {
  const remove = useDeleteCheckpoint(project);
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <>
      <table className="tasks-table cp-table" aria-label="Checkpoint list">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Description</th>
            <th scope="col">Kind</th>
            <th scope="col">Id</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {checkpoints.map((checkpoint) => (
            <tr key={checkpoint.id} className={checkpoint.id === selectedId ? 'selected' : undefined}>
              <td>{new Date(checkpoint.createdAt).toLocaleString()}</td>
              <td>{checkpoint.description}</td>
              <td>
                <span className="badge">{checkpoint.kind}</span>
              </td>
              <td className="task-id">{checkpoint.id}</td>
              <td className="cp-actions">
                {confirming === checkpoint.id ? (
                  <span role="group" aria-label={`Confirm deleting checkpoint ${checkpoint.description}`} className="row">
                    <button
                      type="button"
                      className="danger"
                      disabled={remove.isPending}
                      onClick={() => remove.mutate(checkpoint.id, { onSuccess: () => (checkpoint.id === selectedId ? onSelect(null) : undefined) })}
                    >
                      Confirm delete
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <span className="row">
                    <button type="button" aria-pressed={checkpoint.id === selectedId} onClick={() => onSelect(checkpoint.id === selectedId ? null : checkpoint.id)}>
                      Roll back…<span className="visually-hidden"> to {checkpoint.description}</span>
                    </button>
                    <button type="button" className="danger" onClick={() => setConfirming(checkpoint.id)}>
                      Delete<span className="visually-hidden"> checkpoint {checkpoint.description}</span>
                    </button>
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </>
  );
}
