import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useImportIssues, useListIssues } from './queries';

/**
 * "Import from GitHub" in the Tasks view: lists the repository's issues (origin's, or the one named),
 * the user picks some and imports them as tasks; issues imported before show their task and update it.
 */
export function ImportIssuesPanel({ project, onClose }: { readonly project: string; readonly onClose: () => void }) {
  const list = useListIssues(project);
  const importIssues = useImportIssues(project);
  const [repo, setRepo] = useState('');
  const [state, setState] = useState<'open' | 'closed' | 'all'>('open');
  const [picked, setPicked] = useState<ReadonlySet<number>>(new Set());
  const id = useId();
  const repoName = repo.trim() === '' ? undefined : repo.trim();
  const listIssues = (event: FormEvent) => {
    event.preventDefault();
    if (list.isPending) return;
    importIssues.reset();
    list.mutate({ state, ...(repoName === undefined ? {} : { repo: repoName }) }, { onSuccess: () => setPicked(new Set()) });
  };
  const toggle = (number: number) =>
    setPicked((current) => {
      const next = new Set(current);
      if (next.has(number)) next.delete(number);
      else next.add(number);
      return next;
    });
  const issues = list.data?.issues ?? [];
  const result = importIssues.data;
  return (
    <section className="panel github-import" aria-label="Import issues from GitHub">
      <h3>Import issues from GitHub</h3>
      <form className="row" onSubmit={listIssues}>
        <label htmlFor={`${id}-repo`}>Repository</label>
        <input id={`${id}-repo`} placeholder="owner/name (default: origin)" value={repo} onChange={(event) => setRepo(event.target.value)} />
        <label htmlFor={`${id}-state`}>Issues</label>
        <select id={`${id}-state`} value={state} onChange={(event) => setState(event.target.value as 'open' | 'closed' | 'all')}>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          <option value="all">All</option>
        </select>
        <button type="submit" aria-disabled={list.isPending}>
          List issues
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </form>
      {list.isPending ? <p role="status">Asking GitHub…</p> : null}
      {list.isError ? <ErrorMessage error={list.error} /> : null}
      {list.data === undefined ? null : (
        <>
          <p className="muted">
            {list.data.repository}: {issues.length} {issues.length === 1 ? 'issue' : 'issues'}
            {list.data.skippedPullRequests > 0 ? ` (${list.data.skippedPullRequests} pull requests skipped)` : ''}
          </p>
          <ul className="github-issue-list" aria-label="GitHub issues">
            {issues.map((issue) => (
              <li key={issue.number}>
                <label>
                  <input type="checkbox" checked={picked.has(issue.number)} onChange={() => toggle(issue.number)} />#{issue.number} {issue.title}
                  {issue.labels.length > 0 ? <span className="muted"> · {issue.labels.join(', ')}</span> : null}
                  {issue.importedAs === null ? null : <span className="muted"> · task {issue.importedAs}</span>}
                </label>
              </li>
            ))}
          </ul>
          <button
            type="button"
            className="primary"
            disabled={picked.size === 0}
            aria-disabled={importIssues.isPending}
            onClick={() => {
              if (!importIssues.isPending) importIssues.mutate({ numbers: [...picked], ...(repoName === undefined ? {} : { repo: repoName }) });
            }}
          >
            Import {picked.size === 1 ? '1 issue' : `${picked.size} issues`}
          </button>
        </>
      )}
      {importIssues.isError ? <ErrorMessage error={importIssues.error} /> : null}
      {result === undefined ? null : (
        <p role="status" aria-label="Import result">
          Imported: {result.created.length} new {result.created.length === 1 ? 'task' : 'tasks'}
          {result.created.length > 0 ? ` (${result.created.map((entry) => `#${entry.issue} → task ${entry.taskId}`).join(', ')})` : ''}, {result.updated.length} updated, {result.unchanged.length} unchanged.
        </p>
      )}
    </section>
  );
}
