/** Shown when the page cannot reach any host. */
export function Unavailable({ reason }: { readonly reason: string }) {
  return (
    <div className="app">
      <header className="topbar">
        <h1>Claude Orchestrator</h1>
      </header>
      <main>
        <p role="alert" className="error">
          {reason}
        </p>
      </main>
    </div>
  );
}
