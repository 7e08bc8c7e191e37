import type { EngineEventBus } from '../engine/engine-events';

/** Prints one line per task change (and, verbose, per worker log line) for non-TTY output; returns a stop function. */
export function attachLineLog(bus: EngineEventBus, titleOf: (taskId: string) => string, verbose: boolean): () => void {
  const stamp = (): string => new Date().toISOString().slice(11, 19);
  const offs = [
    bus.on('task.changed', (event) => {
      if (event.previousStatus === event.status) return;
      const reason = event.reason === null ? '' : ` (${event.reason})`;
      console.log(`[${stamp()}] task ${event.taskId} ${titleOf(event.taskId)}: ${event.status}${reason}`);
    }),
    bus.on('pool.paused', (event) => console.log(`[${stamp()}] paused until ${new Date(event.until).toISOString().slice(11, 19)}: ${event.reason}`)),
    bus.on('pool.resumed', () => console.log(`[${stamp()}] resumed`)),
  ];
  if (verbose) {
    offs.push(bus.on('attempt.log', (event) => console.log(`[${stamp()}]   ${event.taskId} ${event.kind}: ${event.text.replace(/\s+/g, ' ').slice(0, 300)}`)));
  }
  return () => {
    for (const off of offs) off();
  };
}
