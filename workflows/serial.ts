/**
 * Runs async handler bodies one at a time, in arrival order, inside a workflow. Update handlers
 * that await activities would otherwise interleave; this keeps per-thread and per-conversation
 * processing strictly serial (DOMAIN.md §9 rule 7). Deterministic: plain promise chaining.
 */
export function serializer(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
}
