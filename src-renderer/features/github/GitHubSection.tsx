import { useId, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useGitHubTokenChange, useGitHubTokenStatus } from './queries';

const SOURCE_TEXT: Readonly<Record<string, string>> = {
  GITHUB_TOKEN: 'from GITHUB_TOKEN in the environment',
  GH_TOKEN: 'from GH_TOKEN in the environment',
  keychain: 'from the keychain',
  'gh auth token': 'from the GitHub CLI (gh auth token)',
  none: 'not set',
};

/** Settings → GitHub: where the token comes from (masked), and saving it to or removing it from the OS keychain. */
export function GitHubSection() {
  const status = useGitHubTokenStatus();
  const change = useGitHubTokenChange();
  const [value, setValue] = useState('');
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (change.isPending || value.trim() === '') return;
    change.mutate(
      { value: value.trim() },
      {
        onSuccess: () => {
          setValue('');
          input.current?.focus();
        },
      },
    );
  };
  return (
    <section className="settings-keys panel" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`}>GitHub</h3>
      <p className="muted">
        Import issues as tasks and open pull requests for runs. The token is looked for in GITHUB_TOKEN, GH_TOKEN, the keychain, then the GitHub CLI; it needs the
        repo scope (fine-grained: Issues read, Contents and Pull requests read and write).
      </p>
      <form className="settings-secret" onSubmit={submit}>
        <label htmlFor={id}>GitHub token</label>
        <p className="settings-secret-status" id={`${id}-status`} role="status" aria-label="GitHub token status">
          {status.data === undefined ? 'Checking…' : (SOURCE_TEXT[status.data.source] ?? status.data.source)}
          {status.data?.masked === undefined || status.data.masked === null ? null : <span className="path"> {status.data.masked}</span>}
          {status.data === undefined ? null : <span className="muted"> · API {status.data.apiUrl}</span>}
        </p>
        <div className="row">
          <input
            id={id}
            ref={input}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="ghp_… or github_pat_…"
            value={value}
            aria-describedby={`${id}-status`}
            onChange={(event) => setValue(event.target.value)}
          />
          <button type="submit" disabled={value.trim() === ''} aria-disabled={change.isPending}>
            Save GitHub token to keychain
          </button>
          <button type="button" className="danger" disabled={status.data?.source !== 'keychain'} aria-disabled={change.isPending} onClick={() => change.mutate({ value: null })}>
            Remove GitHub token
          </button>
        </div>
        {status.isError ? <ErrorMessage error={status.error} /> : null}
        {change.isError ? <ErrorMessage error={change.error} /> : null}
      </form>
    </section>
  );
}
