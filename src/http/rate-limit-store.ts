// The rate limiter's counters: a fixed window per client, as @fastify/rate-limit's own LocalStore keeps,
// but each request is told its own count. LocalStore hands every caller the same mutable object and the
// limiter reads it only after an await, so requests arriving together all read the last count: a burst of
// 30 against a limit of 10 got 30 × 429 instead of 10 answers and 20 × 429.
import type { FastifyRateLimitStore } from '@fastify/rate-limit';

interface Window {
  count: number;
  startedAt: number;
}

export class CountingStore implements FastifyRateLimitStore {
  private readonly windows = new Map<string, Window>();

  /** `capacity`: clients remembered at once; the one seen longest ago is forgotten first. */
  constructor(
    _options?: unknown,
    private readonly capacity = 10_000,
  ) {}

  incr(
    key: string,
    callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
    timeWindow: number,
  ): void {
    const now = Date.now();
    const seen = this.windows.get(key);
    const window = seen && seen.startedAt + timeWindow > now ? seen : { count: 0, startedAt: now };
    window.count += 1;
    // Most recently seen last: Map keeps insertion order, so the first key is the one to forget.
    this.windows.delete(key);
    this.windows.set(key, window);
    if (this.windows.size > this.capacity) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    callback(null, { current: window.count, ttl: window.startedAt + timeWindow - now });
  }

  child(): FastifyRateLimitStore {
    return new CountingStore(undefined, this.capacity);
  }
}
