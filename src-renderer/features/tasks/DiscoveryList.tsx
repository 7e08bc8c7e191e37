import { ErrorMessage } from '../../app/ErrorMessage';
import { useDiscoveries } from './queries';

/** What the workers found while doing this task, which later tasks are given as context. */
export function DiscoveryList({ project, taskId }: { readonly project: string; readonly taskId: string }) {
  const discoveries = useDiscoveries(project, taskId);
  return (
    <section aria-labelledby={`discoveries-${taskId}`}>
      <h4 id={`discoveries-${taskId}`}>Discoveries</h4>
      {discoveries.isPending ? <p role="status">Loading discoveries…</p> : null}
      {discoveries.isError ? <ErrorMessage error={discoveries.error} /> : null}
      {discoveries.isSuccess && discoveries.data.length === 0 ? <p className="muted">None yet. Workers note here what later tasks should know.</p> : null}
      {discoveries.isSuccess && discoveries.data.length > 0 ? (
        <ul aria-label="Discoveries" className="discoveries">
          {discoveries.data.map((discovery) => (
            <li key={discovery.id}>
              <strong>{discovery.summary}</strong>
              {discovery.details === null ? null : <p className="prose">{discovery.details}</p>}
              {discovery.tags.length + discovery.files.length === 0 ? null : (
                <p className="row wrap">
                  {discovery.tags.map((tag) => (
                    <span key={`tag-${tag}`} className="badge">
                      {tag}
                    </span>
                  ))}
                  {discovery.files.map((file) => (
                    <code key={`file-${file}`}>{file}</code>
                  ))}
                </p>
              )}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
