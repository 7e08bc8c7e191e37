/** Checkpoints of a project (being built). */
export function CheckpointsView({ project }: { readonly project: string }) {
  return (
    <section aria-label="Checkpoints" className="panel">
      <p className="muted">Checkpoints for {project} is not available yet.</p>
    </section>
  );
}
