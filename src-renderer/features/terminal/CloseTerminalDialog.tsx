import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';
import type { TerminalSession } from './terminal-context';

type CloseResult = MethodOutput<'terminal.close'>;

/**
 * Asks what happens to the changes made in the terminal: sent through verify, review and merge
 * (a run of the task starts), or discarded. A modal <dialog>: focus stays inside, Escape cancels.
 */
export function CloseTerminalDialog({ project, session, onCancel, onClosed }: { readonly project: string; readonly session: TerminalSession; readonly onCancel: () => void; readonly onClosed: (message: string) => void }) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<'review' | 'discard' | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element !== null && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const close = (decision: 'review' | 'discard') => {
    setPending(decision);
    setError(null);
    rpc.invoke('terminal.close', { project, sessionId: session.id, decision }).then(
      (closed: CloseResult) => {
        void queryClient.invalidateQueries({ queryKey: taskKeys.attempts(project, session.taskId) });
        void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
        onClosed(closed.message);
      },
      (failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
        setPending(null);
      },
    );
  };

  return (
    <dialog
      ref={dialog}
      className="terminal-close-dialog"
      aria-labelledby="terminal-close-title"
      onCancel={(event) => {
        event.preventDefault();
        if (pending === null) onCancel();
      }}
    >
      <h3 id="terminal-close-title">Close the terminal</h3>
      <p>The program and everything it started will be stopped. What should happen to the changes made in this workspace?</p>
      {error !== null ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="primary" disabled={pending !== null} onClick={() => close('review')}>
          {pending === 'review' ? 'Sending…' : 'Send changes to review'}
        </button>
        <button type="button" disabled={pending !== null} onClick={() => close('discard')}>
          {pending === 'discard' ? 'Discarding…' : 'Discard changes'}
        </button>
        <button type="button" disabled={pending !== null} onClick={onCancel}>
          Keep it open
        </button>
      </div>
    </dialog>
  );
}
