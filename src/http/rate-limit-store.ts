// The rate limiter's counters: @fastify/rate-limit's own LocalStore, with each request told its own count.
// LocalStore hands every caller the same mutable object and the limiter reads it only after an await, so
// requests that arrive in the same tick (pipelined on one connection, or app.inject) all read the last count:
// a burst of 30 against a limit of 10 got 30 × 429 instead of 10 answers and 20 × 429. Only the answer is
// copied; counting, windows and the LRU of clients stay the library's.
import { createRequire } from 'node:module';
import type { FastifyRateLimitStore, RateLimitPluginOptions } from '@fastify/rate-limit';

type Result = { current: number; ttl: number };
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];
interface LibraryStore {
  incr(
    key: string,
    callback: (error: Error | null, result?: Result) => void,
    timeWindow: number,
    max: number,
  ): void;
  child(routeOptions: RouteOptions): LibraryStore;
}
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore') as new (
  continueExceeding?: boolean,
  exponentialBackoff?: boolean,
  cache?: number,
) => LibraryStore;

export class CountingStore implements FastifyRateLimitStore {
  private readonly local: LibraryStore;

  constructor(options: RateLimitPluginOptions | LibraryStore) {
    this.local =
      'incr' in options
        ? options
        : new LocalStore(options.continueExceeding, options.exponentialBackoff, options.cache);
  }

  incr(
    key: string,
    callback: (error: Error | null, result?: Result) => void,
    timeWindow: number,
    max: number,
  ): void {
    this.local.incr(
      key,
      (error, result) => callback(error, result && { current: result.current, ttl: result.ttl }),
      timeWindow,
      max,
    );
  }

  child(routeOptions: RouteOptions): FastifyRateLimitStore {
    return new CountingStore(this.local.child(routeOptions));
  }
}
