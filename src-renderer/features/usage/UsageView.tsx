/** Usage of a project (being built). */
export function UsageView({ project }: { readonly project: string }) {
  return (
    <section aria-label="Usage" className="panel">
      <p className="muted">Usage for {project} is not available yet.</p>
    </section>
  );
}
