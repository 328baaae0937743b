// Typed configuration from the environment, validated once at start.
export interface Config {
  port: number;
  host: string;
  databasePath: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Load the curated dataset when the database holds no resources yet. */
  seedIfEmpty: boolean;
}

const logLevels = new Set<Config['logLevel']>(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${env.PORT}"`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info') as Config['logLevel'];
  if (!logLevels.has(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${[...logLevels].join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    databasePath: env.DATABASE_PATH ?? './data/stodkartan.db',
    logLevel,
    seedIfEmpty: env.SEED_IF_EMPTY !== 'false',
  };
}
