/**
 * Interleaves async iterables: at most `concurrency` of them run at a time (the next one starts when
 * one ends), each with at most one item in flight, and items are yielded in arrival order. An error
 * in any source ends the merge with that error after the others are closed.
 */
export async function* mergeBounded<T>(sources: ReadonlyArray<() => AsyncIterable<T>>, concurrency: number): AsyncGenerator<T> {
  const width = Math.max(1, Math.floor(concurrency));
  type Pending = { readonly iterator: AsyncIterator<T>; readonly next: Promise<{ pending: Pending; result: IteratorResult<T> }> };
  const active = new Set<Pending>();
  let started = 0;
  const pull = (iterator: AsyncIterator<T>): Pending => {
    const pending: Pending = {
      iterator,
      next: iterator.next().then((result) => ({ pending, result })),
    };
    // Handled here; the rejection is rethrown where it is awaited below.
    pending.next.catch(() => undefined);
    return pending;
  };
  const startNext = (): void => {
    while (active.size < width && started < sources.length) {
      const source = sources[started++] as () => AsyncIterable<T>;
      active.add(pull(source()[Symbol.asyncIterator]()));
    }
  };
  try {
    startNext();
    while (active.size > 0) {
      const { pending, result } = await Promise.race([...active].map((p) => p.next));
      active.delete(pending);
      if (result.done === true) {
        startNext();
        continue;
      }
      active.add(pull(pending.iterator));
      yield result.value;
    }
  } finally {
    await Promise.allSettled([...active].map((p) => p.iterator.return?.()));
  }
}
