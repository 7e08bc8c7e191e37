import type { RunStatus } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useIntegrateKept } from './queries';

/**
 * Finished work that is not on the user's branch yet — kept on a run branch because the merge was
 * refused — with the reason and one button that brings it in. Never silent, never forgotten.
 */
export function KeptWork({ project, status }: { readonly project: string; readonly status: RunStatus }) {
  const integrate = useIntegrateKept(project);
  const kept = status.unintegrated.filter((integration) => integration.status === 'kept');
  if (kept.length === 0 && status.lastIntegration.length === 0) return null;
  return (
    <section className="kept-work" aria-label="Where the run's work is">
      {kept.length > 0 ? (
        <div className="banner" role="alert">
          {kept.map((integration) => (
            <p key={integration.runId}>
              Finished work is kept on branch <code>{integration.branch}</code>
              {integration.note !== null ? `: ${integration.note}` : ''}. The next run builds on it.
            </p>
          ))}
          <button type="button" className="primary" aria-disabled={integrate.isPending} onClick={() => integrate.isPending || integrate.mutate()}>
            {integrate.isPending ? 'Integrating…' : 'Integrate into my branch'}
          </button>
        </div>
      ) : null}
      {kept.length === 0 && status.lastIntegration.length > 0 && !status.running ? (
        <p className="muted" role="status">
          {status.lastIntegration.join(' ')}
        </p>
      ) : null}
      {integrate.isError ? <ErrorMessage error={integrate.error} /> : null}
      {integrate.isSuccess && integrate.data.lines.length > 0 ? <p role="status">{integrate.data.lines.join(' ')}</p> : null}
    </section>
  );
}
