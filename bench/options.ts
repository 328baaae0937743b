// The benchmark's command line: `npm run bench -- --resources N --duration S --connections C [--database-url URL]`.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Resources in the synthetic database. */
  resources: number;
  /** Seconds of load per scenario. */
  duration: number;
  /** Concurrent autocannon connections. */
  connections: number;
  /**
   * A PostgreSQL database (with PostGIS) to run the same scenarios on, and the PostGIS nearby scenario;
   * its password is never written to the report (`redactedUrl`).
   */
  databaseUrl?: string;
}

export const defaultOptions: BenchOptions = { resources: 100_000, duration: 10, connections: 10 };

/** The bounds keep a typo from generating for hours or opening thousands of sockets. */
const bounds: Record<
  Exclude<keyof BenchOptions, 'databaseUrl'>,
  { min: number; max: number; unit: string }
> = {
  resources: { min: 1, max: 1_000_000, unit: 'resources in the synthetic database' },
  duration: { min: 1, max: 600, unit: 'seconds of load per scenario' },
  connections: { min: 1, max: 1_000, unit: 'concurrent connections' },
};

export const usage = `Usage: npm run bench -- [--resources N] [--duration S] [--connections C] [--database-url URL]

  --resources N    ${bounds.resources.unit}, ${bounds.resources.min}–${bounds.resources.max} (default ${defaultOptions.resources})
  --duration S     ${bounds.duration.unit}, ${bounds.duration.min}–${bounds.duration.max} (default ${defaultOptions.duration})
  --connections C  ${bounds.connections.unit}, ${bounds.connections.min}–${bounds.connections.max} (default ${defaultOptions.connections})
  --database-url URL  also on PostgreSQL: postgres://… of a database with PostGIS (or where it may be
                   created); the same dataset is imported into it once (kept for later runs, marked in its
                   bench_dataset table), the HTTP scenarios run against a server on it and the nearby
                   question is asked in PostGIS directly (its data tables are emptied when it holds another
                   dataset)
  --help           this text

The database for a given N is generated once into bench/results/ and reused by later runs.`;

export type ParsedOptions =
  | { ok: true; options: BenchOptions }
  | { ok: false; error: string }
  | { ok: 'help' };

export function parseOptions(argv: string[]): ParsedOptions {
  let values: Partial<Record<keyof BenchOptions | 'database-url', string>> & { help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        resources: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        'database-url': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
  if (values.help) return { ok: 'help' };
  const options: BenchOptions = { ...defaultOptions };
  const url = values['database-url'];
  if (url !== undefined) {
    if (!/^postgres(ql)?:\/\/./.test(url)) {
      return { ok: false, error: `--database-url must be a postgres:// or postgresql:// URL` };
    }
    options.databaseUrl = url;
  }
  for (const name of Object.keys(bounds) as (keyof typeof bounds)[]) {
    const text = values[name];
    if (text === undefined) continue;
    const { min, max } = bounds[name];
    // Digits only: Number() would accept '1e5', ' 10 ' or '0x10', which are more likely mistakes.
    const value = /^[0-9]+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      return { ok: false, error: `--${name} must be a whole number from ${min} to ${max}, got '${text}'` };
    }
    options[name] = value;
  }
  return { ok: true, options };
}
