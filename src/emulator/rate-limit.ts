/** Token buckets per key: `rate` tokens per second, burst of `rate` (at least 1). */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; last: number }>();
  constructor(private readonly rate: number, private readonly clock: () => number = () => performance.now()) {}

  /** True when a request under `key` may pass now; false = throttle it. Always true when rate is 0. */
  take(key: string): boolean {
    if (this.rate <= 0) return true;
    const now = this.clock();
    const capacity = Math.max(1, this.rate);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, last: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.last) / 1000) * this.rate);
    bucket.last = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}
