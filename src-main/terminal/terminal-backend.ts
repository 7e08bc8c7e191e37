/**
 * The backend name recorded on an attempt whose work a person made in a terminal (terminal takeover).
 * Its own file, so the pipeline can tell such attempts apart without loading node-pty.
 */
export const TERMINAL_BACKEND = 'terminal';
