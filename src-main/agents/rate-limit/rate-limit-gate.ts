/**
 * Holds back every request of the clients that share it until a time: the API said no request
 * can succeed before then (a 429, or a limit with nothing left). Pausing the pool only stops new
 * attempts; the gate also stops the attempts already running from sending their next request.
 */
export class RateLimitGate {
  private closedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Closes the gate until `until` (epoch ms); a later time extends the hold, an earlier one changes nothing. */
  holdUntil(until: number): void {
    if (until > this.closedUntil) this.closedUntil = until;
  }

  /** When the gate opens (epoch ms), or null when it is open now. */
  heldUntil(): number | null {
    return this.closedUntil > this.now() ? this.closedUntil : null;
  }

  /** Resolves once the gate is open (at once when it is); rejects with the signal's reason if it aborts first. */
  async waitUntilOpen(signal?: AbortSignal): Promise<void> {
    for (let until = this.heldUntil(); until !== null; until = this.heldUntil()) {
      await sleep(until - this.now(), signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal as AbortSignal));
    };
    // setTimeout fires at once above 2^31 - 1 ms; the loop in waitUntilOpen sleeps again for the rest.
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(Math.max(1, ms), 2 ** 31 - 1),
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The wait was aborted.', 'AbortError');
}
