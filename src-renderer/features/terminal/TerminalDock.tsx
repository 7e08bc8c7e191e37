import { Suspense, lazy } from 'react';
import { useTerminals } from './terminal-context';

// xterm.js is loaded when a terminal first opens, not with the app.
const TerminalPanel = lazy(async () => ({ default: (await import('./TerminalPanel')).TerminalPanel }));

/** The bottom of the workspace: the open terminal, or what closing the last one did. */
export function TerminalDock({ project }: { readonly project: string }) {
  const terminals = useTerminals();
  if (terminals.session !== null) {
    return (
      <Suspense fallback={<p role="status">Loading the terminal…</p>}>
        <TerminalPanel key={terminals.session.id} project={project} session={terminals.session} onClosed={terminals.closed} />
      </Suspense>
    );
  }
  if (terminals.closedMessage === null) return null;
  return (
    <p className="terminal-closed" role="status">
      {terminals.closedMessage}{' '}
      <button type="button" onClick={terminals.dismissMessage}>
        Dismiss
      </button>
    </p>
  );
}
