import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { MethodOutput } from '../../../src-shared/rpc/contract';
import { useRpc } from '../../rpc/RpcContext';
import { taskKeys } from '../tasks/queries';

/** A terminal session as the host describes it. */
export type TerminalSession = MethodOutput<'terminal.open'>;

interface TerminalState {
  /** The terminal shown in the dock, if any. */
  readonly session: TerminalSession | null;
  /** Why the last open failed, for the place that asked. */
  readonly openError: { readonly attemptId: string; readonly error: Error } | null;
  readonly opening: string | null;
  /** Opens a terminal on an attempt (its Claude Code session, or a shell) and shows it. */
  open(attemptId: string, kind: 'claude' | 'shell'): void;
  /** What closing the last terminal did with its changes, until dismissed. */
  readonly closedMessage: string | null;
  /** Stops showing the terminal (after it was closed on the host), keeping what closing said. */
  closed(message: string): void;
  dismissMessage(): void;
}

const TerminalContext = createContext<TerminalState | null>(null);

/** Initial size asked for before the panel has measured itself (fit resizes at once). */
const INITIAL_SIZE = { cols: 100, rows: 30 } as const;

/** Holds the project's open terminal; a reloaded page finds the terminals still open on the host and shows the first. */
export function TerminalProvider({ project, children }: { readonly project: string; readonly children: ReactNode }) {
  const rpc = useRpc();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<TerminalSession | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const [openError, setOpenError] = useState<TerminalState['openError']>(null);

  useEffect(() => {
    let cancelled = false;
    rpc.invoke('terminal.list', { project }).then(
      (open) => {
        if (!cancelled && open[0] !== undefined) setSession((current) => current ?? (open[0] as TerminalSession));
      },
      () => undefined,
    );
    const stop = rpc.subscribe('terminal.closed', (event) => {
      if (event.project !== project) return;
      setSession((current) => (current?.id === event.sessionId ? null : current));
      // Its hold on the task is gone ("In terminal" goes away); no task event says so.
      void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
    });
    return () => {
      cancelled = true;
      stop();
    };
  }, [rpc, queryClient, project]);

  const open = useCallback(
    (attemptId: string, kind: 'claude' | 'shell') => {
      setOpening(attemptId);
      setOpenError(null);
      rpc.invoke('terminal.open', { project, attemptId, kind, ...INITIAL_SIZE }).then(
        (opened) => {
          setClosedMessage(null);
          setSession(opened);
          setOpening(null);
          // The task is now held by the terminal ("In terminal" in the task list and graph).
          void queryClient.invalidateQueries({ queryKey: taskKeys.list(project) });
        },
        (error: unknown) => {
          setOpenError({ attemptId, error: error instanceof Error ? error : new Error(String(error)) });
          setOpening(null);
        },
      );
    },
    [rpc, queryClient, project],
  );
  const [closedMessage, setClosedMessage] = useState<string | null>(null);
  const closed = useCallback((message: string) => {
    setSession(null);
    setClosedMessage(message);
  }, []);
  const dismissMessage = useCallback(() => setClosedMessage(null), []);
  const value = useMemo(() => ({ session, opening, openError, open, closedMessage, closed, dismissMessage }), [session, opening, openError, open, closedMessage, closed, dismissMessage]);
  return <TerminalContext.Provider value={value}>{children}</TerminalContext.Provider>;
}

/** The project's terminal state; only valid under TerminalProvider. */
export function useTerminals(): TerminalState {
  const state = useContext(TerminalContext);
  if (state === null) throw new Error('useTerminals must be used inside <TerminalProvider>');
  return state;
}
