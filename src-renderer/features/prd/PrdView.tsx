/** Plan from a PRD of a project (being built). */
export function PrdView({ project }: { readonly project: string }) {
  return (
    <section aria-label="Plan from a PRD" className="panel">
      <p className="muted">Plan from a PRD for {project} is not available yet.</p>
    </section>
  );
}
