/** Handler of one event. */
export type EventHandler<T> = (payload: T) => void;

/** Handler of every event, for forwarding (e.g. to RPC). */
export type AnyEventHandler<Events> = <K extends keyof Events & string>(name: K, payload: Events[K]) => void;

/**
 * A small synchronous typed event bus. A handler that throws is reported to `onHandlerError`
 * and never breaks the emitter or the other handlers.
 */
export class TypedEventBus<Events extends object> {
  private readonly handlers = new Map<keyof Events, Set<EventHandler<never>>>();
  private readonly anyHandlers = new Set<AnyEventHandler<Events>>();

  constructor(private readonly onHandlerError: (error: unknown, eventName: string) => void = defaultErrorReport) {}

  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends keyof Events & string>(name: K, handler: EventHandler<Events[K]>): () => void {
    let set = this.handlers.get(name);
    if (!set) {
      set = new Set();
      this.handlers.set(name, set);
    }
    set.add(handler as EventHandler<never>);
    return () => set.delete(handler as EventHandler<never>);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  onAny(handler: AnyEventHandler<Events>): () => void {
    this.anyHandlers.add(handler);
    return () => this.anyHandlers.delete(handler);
  }

  /** Resolves with the first payload of `name` for which `predicate` holds. */
  once<K extends keyof Events & string>(name: K, predicate: (payload: Events[K]) => boolean = () => true): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(name, (payload) => {
        if (!predicate(payload)) return;
        off();
        resolve(payload);
      });
    });
  }

  /** Delivers an event to its handlers, then to the catch-all handlers. */
  emit<K extends keyof Events & string>(name: K, payload: Events[K]): void {
    const set = this.handlers.get(name);
    if (set) {
      for (const handler of [...set]) {
        try {
          (handler as EventHandler<Events[K]>)(payload);
        } catch (error) {
          this.onHandlerError(error, name);
        }
      }
    }
    for (const handler of [...this.anyHandlers]) {
      try {
        handler(name, payload);
      } catch (error) {
        this.onHandlerError(error, name);
      }
    }
  }

  /** True when someone listens to `name` (lets emitters skip building costly payloads). */
  hasListeners(name: keyof Events & string): boolean {
    return (this.handlers.get(name)?.size ?? 0) > 0 || this.anyHandlers.size > 0;
  }
}

function defaultErrorReport(error: unknown, eventName: string): void {
  console.error(`event handler for ${eventName} failed:`, error);
}
