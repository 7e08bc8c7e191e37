/** Settings of a project (being built). */
export function SettingsView({ project }: { readonly project: string }) {
  return (
    <section aria-label="Settings" className="panel">
      <p className="muted">Settings for {project} is not available yet.</p>
    </section>
  );
}
