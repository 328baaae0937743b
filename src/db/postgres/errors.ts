// Which PostgreSQL failures mean "the database is not there" rather than "this request is wrong": those become
// `StoreUnavailable` (src/db/store.ts), which the one error handler answers with 503 `database-unavailable`,
// never a 500. A replica whose server restarts, fails over or is out of connections keeps answering problems
// a client can retry, and recovers on its own once the pool opens connections again.
import { StoreUnavailable } from '../store.js';

/**
 * SQLSTATEs of a server that is away or refuses work for now: class 08 (connection exception), 57P01
 * (admin shutdown: `pg_ctl stop -m fast`, a terminated backend), 57P02 (crash shutdown), 57P03 (cannot
 * connect now: starting up or shutting down), 53300 (too many connections).
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300']);

/** Node's socket errors when the server cannot be reached or the connection breaks. */
const socketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres' own messages for a connection lost or never had (it gives them no code): the pool's wait
 * for a connection (`connectionTimeoutMs`) and a connection that ended under a query.
 */
const lostMessages = [
  'timeout exceeded when trying to connect',
  'Connection terminated',
  'Client has encountered a connection error and is not queryable',
];

/** Whether `error`, or an error it wraps (drizzle's `DrizzleQueryError` keeps pg's as `cause`), is one of those. */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 5) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (code.startsWith('08') || unavailableStates.has(code) || socketCodes.has(code))
  )
    return true;
  if (lostMessages.some((message) => error.message.startsWith(message))) return true;
  // Connecting to a name with several addresses fails with one error per address.
  if (error instanceof AggregateError && error.errors.some((e) => isConnectionError(e, depth + 1)))
    return true;
  return isConnectionError(error.cause, depth + 1);
}

/** `StoreUnavailable` for a connection error (keeping it as the cause, for the log), anything else as it is. */
export function storeError(error: unknown): unknown {
  if (error instanceof StoreUnavailable || !isConnectionError(error)) return error;
  return new StoreUnavailable('the database does not answer', { cause: error });
}

function guardedIterator<T>(iterator: AsyncIterator<T> & AsyncIterable<T>): AsyncIterableIterator<T> {
  const step =
    (method: 'next' | 'return' | 'throw') =>
    async (...args: unknown[]): Promise<IteratorResult<T>> => {
      const call = iterator[method] as ((...a: unknown[]) => Promise<IteratorResult<T>>) | undefined;
      if (!call) return { done: true, value: undefined };
      try {
        return await call.apply(iterator, args);
      } catch (error) {
        throw storeError(error);
      }
    };
  const guarded: AsyncIterableIterator<T> = {
    next: step('next'),
    return: step('return'),
    throw: step('throw'),
    [Symbol.asyncIterator]: () => guarded,
  };
  return guarded;
}

/**
 * The same object, with every method's failure passed through `storeError`: promises (queries, transactions)
 * and async iterators (`resourcesAfter`). Synchronous results (`subscribe`, `onWithdrawal`) are left alone;
 * errors a caller's own callback throws (a `decide` refusing a change) are not connection errors and pass
 * through unchanged.
 */
export function withStoreErrors<T extends object>(target: T): T {
  return new Proxy(target, {
    get(object, property) {
      const value: unknown = Reflect.get(object, property, object);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        let result: unknown;
        try {
          result = value.apply(object, args);
        } catch (error) {
          throw storeError(error);
        }
        if (result instanceof Promise)
          return result.catch((error: unknown) => Promise.reject(storeError(error)));
        if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result)
          return guardedIterator(result as AsyncIterator<unknown> & AsyncIterable<unknown>);
        return result;
      };
    },
  });
}
