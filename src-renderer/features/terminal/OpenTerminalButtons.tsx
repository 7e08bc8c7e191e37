import type { Attempt } from '../../../src-shared/rpc/contract';
import { ErrorMessage } from '../../app/ErrorMessage';
import { useTerminals } from './terminal-context';

/**
 * "Open in terminal" (the attempt's Claude Code session, resumed) and "Open shell" for a finished
 * attempt; while the terminal is open no worker starts another attempt of the task.
 */
export function OpenTerminalButtons({ attempt }: { readonly attempt: Attempt }) {
  const terminals = useTerminals();
  if (attempt.status === 'running') return null;
  const busy = terminals.opening !== null || terminals.session !== null;
  const error = terminals.openError?.attemptId === attempt.id ? terminals.openError.error : null;
  return (
    <>
      <button
        type="button"
        disabled={busy || attempt.sessionId === null}
        title={attempt.sessionId === null ? 'This attempt recorded no Claude Code session to resume' : 'Resume its Claude Code session in its workspace'}
        onClick={() => terminals.open(attempt.id, 'claude')}
      >
        Open in terminal<span className="visually-hidden"> (attempt {attempt.number})</span>
      </button>
      <button type="button" disabled={busy} onClick={() => terminals.open(attempt.id, 'shell')}>
        Open shell<span className="visually-hidden"> (attempt {attempt.number})</span>
      </button>
      {terminals.opening === attempt.id ? <span role="status">Opening…</span> : null}
      {error !== null ? <ErrorMessage error={error} /> : null}
    </>
  );
}
