import { events, type EventName, type EventPayload } from './contract';

/** A listener that receives every pushed event, as transports need. */
export type AnyEventListener = (event: EventName, payload: unknown) => void;

/**
 * Where the host publishes pushed events. Payloads are checked against the contract so a
 * bug in the host shows up here, not as a confused renderer.
 */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  /** Publishes one event to every listener. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const checked = events[event].parse(payload);
    for (const listener of [...this.listeners]) listener(event, checked);
  }

  /** Receives every event until the returned function is called. */
  listen(listener: AnyEventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Number of listeners, for tests and diagnostics. */
  get listenerCount(): number {
    return this.listeners.size;
  }
}
