// The PostGIS scenario under load: the nearby statement sent through a pg Pool the way autocannon sends HTTP
// requests (the same connections, warm-up, duration and fixed rate; every run bounded in time and in count),
// and one statement at a time, as the in-process table times the routes.
import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import { defaultInProcessLimits, type InProcessResult, percentile } from './in-process.js';
import { fixedRate, type LoadResult, type LoadSettings } from './load.js';
import { askNearby, type NearbyQuestion } from './postgis.js';
import type { PostgisId } from './scenarios.js';

export interface PostgisTarget {
  id: PostgisId;
  title: string;
  /** Asked in turn, as a scenario's paths are. */
  questions: NearbyQuestion[];
}

/** As load.ts: warm-up seconds before each measurement, and seconds after which a statement times out. */
const warmupSeconds = 2;
export const statementTimeoutMs = 30_000;
/** Statements a second no run exceeds, whatever the duration: the count bound. */
const maxPerSecond = 50_000;

interface Run {
  latencies: number[];
  errors: number;
  timeouts: number;
  bytes: number;
  seconds: number;
}

/**
 * `connections` workers, each sending its next statement when the last one answered (open loop, like
 * autocannon), or at `rate` a second over all of them; latency is from send to the answer, as autocannon
 * measures it.
 */
async function run(
  pool: pg.Pool,
  questions: readonly NearbyQuestion[],
  connections: number,
  duration: number,
  rate?: number,
): Promise<Run> {
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let bytes = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + duration * 1000;
  const maxCount = duration * maxPerSecond;
  const interval = rate ? (1000 * connections) / rate : 0;
  const worker = async (w: number) => {
    for (let k = 0; performance.now() < deadline && next < maxCount; k++) {
      if (interval > 0) {
        const due = started + (k + w / connections) * interval;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (performance.now() >= deadline) break;
      }
      const question = questions[next++ % questions.length] as NearbyQuestion;
      const sent = performance.now();
      try {
        const page = await askNearby(pool, question);
        latencies.push(performance.now() - sent);
        bytes += Buffer.byteLength(JSON.stringify(page));
      } catch (error) {
        // 57014: canceled by statement_timeout.
        if ((error as { code?: string }).code === '57014') timeouts += 1;
        else errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, w) => worker(w)));
  return { latencies, errors, timeouts, bytes, seconds: (performance.now() - started) / 1000 };
}

const sorted = (values: number[]) => [...values].sort((a, b) => a - b);

/** Warms up, measures open loop, then at the fixed rate: the columns of the HTTP scenarios' table. */
export async function measurePostgisLoad(
  pool: pg.Pool,
  target: PostgisTarget,
  settings: LoadSettings,
): Promise<LoadResult> {
  await run(pool, target.questions, settings.connections, Math.min(warmupSeconds, settings.duration));
  const result = await run(pool, target.questions, settings.connections, settings.duration);
  const paced = await run(pool, target.questions, settings.connections, settings.duration, fixedRate);
  const responses = result.latencies.length;
  const all = sorted(result.latencies);
  const problems = [
    result.errors > 0 ? `${result.errors} errors` : '',
    result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
    responses === 0 ? 'no answer within the run' : '',
  ].filter(Boolean);
  return {
    id: target.id,
    title: target.title,
    outcome: problems.length > 0 ? 'failed' : 'ok',
    requestsPerSecond: result.seconds > 0 ? responses / result.seconds : null,
    p50Ms: percentile(all, 0.5),
    p99Ms: percentile(all, 0.99),
    p99AtFixedRateMs:
      paced.errors === 0 && paced.timeouts === 0 ? percentile(sorted(paced.latencies), 0.99) : null,
    responses,
    non2xx: 0,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: responses > 0 ? Math.round(result.bytes / responses) : null,
    ...(problems.length > 0 ? { note: problems.join('; ') } : {}),
  };
}

/** One statement at a time, with the in-process table's warm-up, samples and budget. */
export async function measurePostgisOneByOne(
  pool: pg.Pool,
  target: PostgisTarget,
): Promise<Omit<InProcessResult, 'id'> & { id: PostgisId }> {
  const limits = defaultInProcessLimits;
  const started = performance.now();
  const ask = (i: number) => askNearby(pool, target.questions[i % target.questions.length] as NearbyQuestion);
  let i = 0;
  for (; i < limits.warmup && performance.now() - started < limits.budgetMs / 4; i++) await ask(i);
  const times: number[] = [];
  const timing = performance.now();
  while (
    times.length < limits.samples &&
    (times.length < limits.minimumSamples || performance.now() - timing < limits.budgetMs)
  ) {
    const sent = performance.now();
    await ask(i++);
    times.push(performance.now() - sent);
  }
  const all = sorted(times);
  return {
    id: target.id,
    title: target.title,
    outcome: 'ok',
    samples: times.length,
    medianMs: percentile(all, 0.5),
    p95Ms: percentile(all, 0.95),
  };
}
