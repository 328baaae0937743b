// Typed configuration from the environment, validated once at start.
export interface Config {
  port: number;
  host: string;
  databasePath: string;
  /**
   * `postgres://…` (DATABASE_URL): the PostgreSQL database of every replica, instead of the SQLite file at
   * `databasePath`. Unset: SQLite.
   */
  databaseUrl?: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** The start-up message: `text` for a person, `json` for a log collector, `auto` text on a terminal only. */
  logFormat: 'auto' | 'json' | 'text';
  /** Load the curated dataset when the database holds no resources yet. */
  seedIfEmpty: boolean;
  /** Trust X-Forwarded-For from a proxy in front: `true`, a hop count, or addresses/CIDRs. */
  trustProxy: boolean | string | ((address: string, hop: number) => boolean);
  /**
   * The scheme, host and port (and path prefix, if any) clients reach the service at, for absolute links in
   * answers (api-info, the DCAT description, HSDS). Never taken from a request's Host header.
   */
  publicBaseUrl: string;
  /** Requests per client per minute: reads (GET and search) and writes. */
  rateLimitReads: number;
  rateLimitWrites: number;
  /** Largest accepted request body, in bytes. */
  bodyLimit: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  /** Event-loop lag beyond which requests get 503 + Retry-After instead of queueing; 0 turns it off. */
  maxEventLoopDelayMs: number;
  /** From this many resources on, the read model is built in a process of its own and saved for the next start. */
  readModelBuildProcessFrom: number;
  /** The most MB of coverage answers kept for the current read model; 0 keeps none. */
  coverageCacheMb: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function trustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^[0-9]+$/.test(raw)) {
    const hops = Number(raw);
    return (_address, hop) => hop < hops;
  }
  return raw;
}

/** PUBLIC_BASE_URL as given (an http(s) URL, no query or fragment), else the local address it listens at. */
function publicBaseUrl(raw: string | undefined, port: number): string {
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_BASE_URL must be an absolute http or https URL, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new Error(
      `PUBLIC_BASE_URL must be an http or https URL without query, fragment or user, got "${raw}"`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** DATABASE_URL as given when it is a postgres:// or postgresql:// URL; unset (SQLite) when empty. */
function databaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'postgres:' && url?.protocol !== 'postgresql:') {
    // The value is not repeated: it may hold a password.
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  return raw;
}

const logLevels = new Set<Config['logLevel']>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);
const logFormats = new Set<Config['logFormat']>(['auto', 'json', 'text']);

/** From this many resources on, the read model is built in a separate process (READ_MODEL_BUILD_PROCESS_FROM). */
export const defaultReadModelBuildProcessFrom = 20_000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer(env, 'PORT', 3000, 0, 65535);
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.has(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${[...logLevels].join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const url = databaseUrl(env.DATABASE_URL);
  const logFormat = (env.LOG_FORMAT || 'auto') as Config['logFormat'];
  if (!logFormats.has(logFormat)) {
    throw new Error(`LOG_FORMAT must be one of ${[...logFormats].join(', ')}, got "${env.LOG_FORMAT}"`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: env.DATABASE_PATH ?? './data/stodkartan.db',
    databaseUrl: url,
    logLevel,
    logFormat,
    seedIfEmpty: env.SEED_IF_EMPTY !== 'false',
    trustProxy: trustProxy(env.TRUST_PROXY),
    publicBaseUrl: publicBaseUrl(env.PUBLIC_BASE_URL, port),
    rateLimitReads: integer(env, 'RATE_LIMIT_READS', 1200, 1, 1_000_000),
    rateLimitWrites: integer(env, 'RATE_LIMIT_WRITES', 60, 1, 1_000_000),
    bodyLimit: integer(env, 'BODY_LIMIT', 262_144, 1024, 104_857_600),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 15_000, 1000, 600_000),
    keepAliveTimeoutMs: integer(env, 'KEEP_ALIVE_TIMEOUT_MS', 5000, 100, 600_000),
    maxEventLoopDelayMs: integer(env, 'MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000),
    readModelBuildProcessFrom: integer(
      env,
      'READ_MODEL_BUILD_PROCESS_FROM',
      defaultReadModelBuildProcessFrom,
      1,
      100_000_000,
    ),
    coverageCacheMb: integer(env, 'COVERAGE_CACHE_MB', 64, 0, 4096),
  };
}
