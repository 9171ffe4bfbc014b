/** Keeps the `capacity` best items seen, in O(capacity) memory (a binary heap whose root is the worst kept). */
export class TopN<T> {
  private readonly heap: T[] = [];
  /** Items offered in total (kept or not). */
  seen = 0;

  /** `better(a, b)` is true when a ranks before b. */
  constructor(private readonly capacity: number, private readonly better: (a: T, b: T) => boolean) {}

  offer(item: T): void {
    this.seen++;
    const h = this.heap;
    if (h.length < this.capacity) {
      h.push(item);
      this.up(h.length - 1);
    } else if (this.capacity > 0 && this.better(item, h[0]!)) {
      h[0] = item;
      this.down(0);
    }
  }

  /** Best first. */
  sorted(): T[] {
    return [...this.heap].sort((a, b) => (this.better(a, b) ? -1 : this.better(b, a) ? 1 : 0));
  }

  // Heap order: parent is worse than (or equal to) children.
  private worse(i: number, j: number): boolean {
    return this.better(this.heap[j]!, this.heap[i]!);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(i, p)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.worse(l, m)) m = l;
      if (r < h.length && this.worse(r, m)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
