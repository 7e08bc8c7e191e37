import { ErrorMessage } from '../../app/ErrorMessage';
import { useSetupCheck } from './queries';

/** The first-run checklist: Node, claude CLI, git, API key, keychain and config, each ✓ or ✗ with how to fix it. */
export function SetupSection({ project }: { readonly project: string | null }) {
  const checks = useSetupCheck(project);
  const checkAgain = () => {
    if (!checks.isFetching) void checks.refetch();
  };
  const failing = checks.data?.filter((check) => !check.ok).length ?? 0;
  return (
    <section className="settings-setup panel" aria-labelledby="settings-setup-heading">
      <div className="settings-setup-head">
        <h3 id="settings-setup-heading">Setup</h3>
        {checks.data === undefined ? null : <span className={failing === 0 ? 'settings-ok' : 'error'}>{failing === 0 ? 'Everything is in place.' : `${failing} to fix`}</span>}
        {/* aria-disabled while checking: a disabled button would drop keyboard focus to the page. */}
        <button type="button" onClick={checkAgain} aria-disabled={checks.isFetching}>
          {checks.isFetching ? 'Checking…' : 'Check again'}
        </button>
      </div>
      {checks.isPending ? <p className="muted" role="status">Checking the claude CLI, git and keys…</p> : null}
      {checks.isError ? <ErrorMessage error={checks.error} /> : null}
      {checks.data === undefined ? null : (
        <ul className="settings-checks" aria-label="Setup checks">
          {checks.data.map((check) => (
            <li key={check.name} className={check.ok ? 'settings-check-ok' : 'settings-check-failed'}>
              <span className="settings-check-mark" aria-hidden="true">
                {check.ok ? '✓' : '✗'}
              </span>
              <div>
                <strong>{check.name}</strong> <span className="visually-hidden">{check.ok ? 'OK' : 'needs fixing'}</span>
                <span className="muted"> {check.detail}</span>
                {check.fix === null ? null : <p className="settings-fix">Fix: {check.fix}</p>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
