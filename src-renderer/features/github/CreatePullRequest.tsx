import { useId, useState } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useCreatePullRequest } from './queries';

/** "Create pull request" under a run's summary: pushes the run's work to a branch on origin, opens the pull request and shows its URL. */
export function CreatePullRequest({ project, runId }: { readonly project: string; readonly runId: string }) {
  const create = useCreatePullRequest(project);
  const [draft, setDraft] = useState(false);
  const [repo, setRepo] = useState('');
  const id = useId();
  const opened = create.data;
  return (
    <div role="group" aria-label="Pull request" className="toolbar">
      {opened?.url === null || opened === undefined ? (
        <>
          <label htmlFor={`${id}-repo`}>Repository</label>
          <input id={`${id}-repo`} placeholder="owner/name (default: origin)" value={repo} onChange={(event) => setRepo(event.target.value)} />
          <button type="button" aria-disabled={create.isPending} onClick={() => (create.isPending ? undefined : create.mutate({ runId, draft, ...(repo.trim() === '' ? {} : { repo: repo.trim() }) }))}>
            Create pull request
          </button>
          <input id={`${id}-draft`} type="checkbox" checked={draft} onChange={(event) => setDraft(event.target.checked)} />
          <label htmlFor={`${id}-draft`}>Draft</label>
        </>
      ) : null}
      {create.isPending ? <p role="status">Pushing the run's branch and opening the pull request…</p> : null}
      {opened?.url !== undefined && opened.url !== null ? (
        <p role="status" aria-label="Pull request opened">
          Opened pull request #{opened.number} ({opened.branch} → {opened.base}):{' '}
          <a href={opened.url} target="_blank" rel="noreferrer noopener">
            {opened.url}
          </a>
        </p>
      ) : null}
      {opened?.note !== undefined && opened.note !== null ? <p className="muted">{opened.note}</p> : null}
      {create.isError ? <ErrorMessage error={create.error} /> : null}
    </div>
  );
}
