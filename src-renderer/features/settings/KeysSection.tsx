import { useId, useRef, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useDeleteSecret, useSecretsStatus, useSetSecret, type SecretName } from './queries';

const SOURCE_TEXT: Readonly<Record<string, string>> = {
  environment: 'from the environment',
  dotenv: 'from the project’s .env',
  keychain: 'from the keychain',
  config: 'from orchestrator_config.json (move it to the keychain)',
  none: 'not set',
};

/** API key and Slack webhook: where each comes from (masked), and saving to or removing from the OS keychain. */
export function KeysSection({ project }: { readonly project: string }) {
  const status = useSecretsStatus(project);
  return (
    <section className="settings-keys panel" aria-labelledby="settings-keys-heading">
      <h3 id="settings-keys-heading">Keys</h3>
      {status.isPending ? <p className="muted" role="status">Checking the keychain…</p> : null}
      {status.isError ? <ErrorMessage error={status.error} /> : null}
      {status.data === undefined ? null : (
        <>
          {status.data.keychainMessage === null ? null : (
            <p role="note" className="settings-keychain-note">
              {status.data.keychainMessage}
            </p>
          )}
          <SecretRow
            project={project}
            name="anthropic-api-key"
            label="Anthropic API key"
            placeholder="sk-ant-api03-…"
            source={status.data.apiKey.source}
            masked={status.data.apiKey.masked}
            keychainAvailable={status.data.keychainAvailable}
          />
          <SecretRow
            project={project}
            name="slack-webhook-url"
            label="Slack webhook URL"
            placeholder="https://hooks.slack.com/services/…"
            source={status.data.slackWebhook.source}
            masked={status.data.slackWebhook.masked}
            keychainAvailable={status.data.keychainAvailable}
          />
        </>
      )}
    </section>
  );
}

interface SecretRowProps {
  readonly project: string;
  readonly name: SecretName;
  readonly label: string;
  readonly placeholder: string;
  readonly source: string;
  readonly masked: string | null;
  readonly keychainAvailable: boolean;
}

function SecretRow({ project, name, label, placeholder, source, masked, keychainAvailable }: SecretRowProps) {
  const [value, setValue] = useState('');
  const save = useSetSecret(project);
  const remove = useDeleteSecret(project);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // Saving clears the field and removing may disable "Remove": either way focus goes back to the field, not the page.
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    remove.reset();
    save.mutate(
      { name, value },
      {
        onSuccess: () => {
          setValue('');
          input.current?.focus();
        },
      },
    );
  };
  const removeSecret = () => {
    if (remove.isPending) return;
    save.reset();
    remove.mutate(name, { onSuccess: () => input.current?.focus() });
  };
  return (
    <form className="settings-secret" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <p className="settings-secret-status" id={`${id}-status`}>
        {SOURCE_TEXT[source] ?? source}
        {masked === null ? null : <span className="path"> {masked}</span>}
      </p>
      <div className="row">
        <input
          id={id}
          ref={input}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          value={value}
          aria-describedby={`${id}-status`}
          onChange={(event) => setValue(event.target.value)}
        />
        <button type="submit" disabled={!keychainAvailable || value.trim() === ''} aria-disabled={save.isPending}>
          Save {label} to keychain
        </button>
        <button
          type="button"
          className="danger"
          disabled={!keychainAvailable || source !== 'keychain'}
          aria-disabled={remove.isPending}
          onClick={removeSecret}
        >
          Remove {label}
        </button>
      </div>
      {save.isSuccess ? <p role="status">Saved to the keychain. It is used from the next run.</p> : null}
      {remove.isSuccess ? <p role="status">{remove.data.deleted ? 'Removed from the keychain.' : 'There was nothing to remove.'}</p> : null}
      {save.isError ? <ErrorMessage error={save.error} /> : null}
      {remove.isError ? <ErrorMessage error={remove.error} /> : null}
    </form>
  );
}
