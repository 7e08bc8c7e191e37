import { ErrorMessage } from '../../app/ErrorMessage';
import { GitHubSection } from '../github/GitHubSection';
import { KeysSection } from './KeysSection';
import { useProjectConfig } from './queries';
import { SettingsForm } from './SettingsForm';
import { SetupSection } from './SetupSection';

/** Settings of a project: the config form, the keys in the keychain and the setup checklist. */
export function SettingsView({ project }: { readonly project: string }) {
  const config = useProjectConfig(project);
  return (
    <section aria-label="Settings" className="settings">
      {config.isPending ? <p className="muted" role="status">Loading settings…</p> : null}
      {config.isError ? <ErrorMessage error={config.error} /> : null}
      {config.data === undefined ? null : <SettingsForm key={config.data.file} project={project} file={config.data.file} config={config.data.config} />}
      <KeysSection project={project} />
      <GitHubSection />
      <SetupSection project={project} />
    </section>
  );
}
