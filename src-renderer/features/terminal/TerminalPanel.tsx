import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import { useRpc } from '../../rpc/RpcContext';
import { CloseTerminalDialog } from './CloseTerminalDialog';
import type { TerminalSession } from './terminal-context';

/** Lines xterm.js keeps above the screen (the host keeps its own bounded history for clients that attach late). */
export const TERMINAL_SCROLLBACK_LINES = 5_000;
/** Pasted text is sent in pieces no larger than one terminal.write allows. */
const WRITE_CHUNK_CHARS = 60_000;

/**
 * A terminal on an attempt's workspace: xterm.js fed by terminal.output events (after the history
 * the host kept, so nothing is shown twice), keystrokes sent with terminal.write, resized with its
 * panel (the fit addon; drag the panel's bottom edge). Ctrl+Shift+C copies the selection,
 * Ctrl+Shift+V pastes, Ctrl+Shift+X leaves the terminal for the buttons.
 */
export function TerminalPanel({ project, session, onClosed }: { readonly project: string; readonly session: TerminalSession; readonly onClosed: (message: string) => void }) {
  const rpc = useRpc();
  const host = useRef<HTMLDivElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const terminalRef = useRef<Terminal | null>(null);
  const [exited, setExited] = useState(session.exited);
  const [closing, setClosing] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = host.current;
    if (element === null) return;
    const terminal = new Terminal({ scrollback: TERMINAL_SCROLLBACK_LINES, cursorBlink: true, fontSize: 13, screenReaderMode: false });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(element);
    terminalRef.current = terminal;
    // One terminal.write at a time, the keys typed meanwhile sent together after it: the host answers
    // calls concurrently, so keystrokes sent each on its own could reach the program out of order.
    let pending = '';
    let writing = false;
    const flush = () => {
      if (writing || pending === '') return;
      const data = pending.slice(0, WRITE_CHUNK_CHARS);
      pending = pending.slice(data.length);
      writing = true;
      rpc
        .invoke('terminal.write', { project, sessionId: session.id, data })
        .catch((error: unknown) => setProblem(String(error instanceof Error ? error.message : error)))
        .finally(() => {
          writing = false;
          flush();
        });
    };
    const send = (data: string) => {
      pending += data;
      flush();
    };
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
      const key = event.key.toLowerCase();
      if (key === 'c') {
        const selection = terminal.getSelection();
        if (selection !== '') void navigator.clipboard?.writeText(selection).catch(() => undefined);
        return false;
      }
      if (key === 'v') {
        void navigator.clipboard?.readText().then((text) => terminal.paste(text), () => setProblem('The browser did not allow reading the clipboard; paste with the context menu or the keyboard shortcut your system uses.'));
        return false;
      }
      if (key === 'x') {
        closeButton.current?.focus();
        return false;
      }
      return true;
    });
    const typing = terminal.onData(send);
    const resizing = terminal.onResize(({ cols, rows }) => {
      rpc.invoke('terminal.resize', { project, sessionId: session.id, cols, rows }).catch(() => undefined);
    });

    // Output that arrives before the history is back is held, then only what the history lacks is shown.
    let seenSeq: number | null = null;
    const early: Array<{ seq: number; data: string }> = [];
    const stopOutput = rpc.subscribe('terminal.output', (event) => {
      if (event.project !== project || event.sessionId !== session.id) return;
      if (seenSeq === null) early.push(event);
      else if (event.seq > seenSeq) {
        seenSeq = event.seq;
        terminal.write(event.data);
      }
    });
    const stopExit = rpc.subscribe('terminal.exit', (event) => {
      if (event.project === project && event.sessionId === session.id) setExited({ exitCode: event.exitCode, signal: event.signal });
    });
    rpc.invoke('terminal.attach', { project, sessionId: session.id }).then(
      (history) => {
        terminal.write(history.data);
        seenSeq = history.seq;
        for (const event of early) {
          if (event.seq > seenSeq) {
            seenSeq = event.seq;
            terminal.write(event.data);
          }
        }
        early.length = 0;
        setExited(history.session.exited);
      },
      (error: unknown) => setProblem(String(error instanceof Error ? error.message : error)),
    );

    const refit = () => {
      try {
        fit.fit();
      } catch {
        // Not laid out yet.
      }
    };
    refit();
    const observer = new ResizeObserver(refit);
    observer.observe(element);
    terminal.focus();
    return () => {
      observer.disconnect();
      stopOutput();
      stopExit();
      typing.dispose();
      resizing.dispose();
      terminal.dispose();
      terminalRef.current = null;
    };
  }, [rpc, project, session.id]);

  const label = session.kind === 'claude' ? `Claude Code session of task ${session.taskId}` : `Shell in the workspace of task ${session.taskId}`;
  return (
    <section className="terminal-dock" aria-label={label}>
      <header className="terminal-head">
        <strong>{label}</strong>
        <span className="muted">
          {session.branch} · {exited === null ? 'running' : `ended (${exited.signal !== null ? `signal ${exited.signal}` : `exit ${exited.exitCode ?? '?'}`})`}
        </span>
        <span className="muted terminal-keys">Ctrl+Shift+C copy · Ctrl+Shift+V paste · Ctrl+Shift+X leave the terminal</span>
        <button type="button" onClick={() => terminalRef.current?.focus()}>
          Focus terminal
        </button>
        <button type="button" ref={closeButton} onClick={() => setClosing(true)}>
          Close terminal…
        </button>
      </header>
      {problem !== null ? (
        <p role="alert" className="error">
          {problem}
        </p>
      ) : null}
      <div className="terminal-screen" ref={host} data-testid="terminal-screen" />
      {closing ? <CloseTerminalDialog project={project} session={session} onCancel={() => setClosing(false)} onClosed={onClosed} /> : null}
    </section>
  );
}
