/**
 * In-process rendezvous between the bench's activity adapters (worker side) and its lifecycle
 * drivers (client side). Activities `fire` a key when they run (e.g. the AI agent's greeting was
 * delivered, the CSAT survey was sent); drivers `wait` for it. Costs no server round trip, so the
 * bench can observe "the last effect has run" without polling Temporal.
 */
export class Rendezvous {
  private readonly fired = new Set<string>();
  private readonly waiters = new Map<string, Array<() => void>>();

  /** Marks `key` as happened and wakes its waiters. Firing twice is harmless (activities may retry). */
  fire(key: string): void {
    const waiting = this.waiters.get(key);
    if (waiting) {
      this.waiters.delete(key);
      for (const wake of waiting) wake();
      return;
    }
    this.fired.add(key);
  }

  /** Resolves once `key` has fired (at once if it already has); rejects after `timeoutMs`. */
  wait(key: string, timeoutMs: number): Promise<void> {
    if (this.fired.delete(key)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(key);
        if (list) {
          const i = list.indexOf(wake);
          if (i >= 0) list.splice(i, 1);
          if (list.length === 0) this.waiters.delete(key);
        }
        reject(new Error(`bench: "${key}" did not happen within ${timeoutMs} ms`));
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const list = this.waiters.get(key) ?? [];
      list.push(wake);
      this.waiters.set(key, list);
    });
  }
}
