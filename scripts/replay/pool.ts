/** A tiny concurrency limiter (p-limit style) and a bounded-concurrency map. */

/** Runs at most `concurrency` functions at once; others wait in FIFO order. */
export type Pool = <T>(fn: () => Promise<T>) => Promise<T>;

/** Creates a {@link Pool}. @throws when `concurrency` is not a positive integer. */
export function createPool(concurrency: number): Pool {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  // A finishing call hands its slot straight to the oldest waiter, so the limit holds exactly.
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else active -= 1;
  };
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    else active += 1;
    try {
      return await fn();
    } finally {
      release();
    }
  };
}

/** `Promise.all(items.map(fn))` with at most `concurrency` calls in flight; results keep input order. */
export async function mapPool<T, R>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const pool = createPool(concurrency);
  return Promise.all(items.map((item, i) => pool(() => fn(item, i))));
}
