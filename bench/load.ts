// Throughput and latency under load: autocannon against a running server, one scenario at a time.
import autocannon from 'autocannon';
import type { Outcome } from './in-process.js';
import type { PostgisId, Scenario, ScenarioId } from './scenarios.js';

export interface LoadSettings {
  /** Seconds of measured load. */
  duration: number;
  connections: number;
}

/** A scenario, or the baseline server's one route. */
export type LoadTarget = Omit<Scenario, 'id'> & { id: ScenarioId | 'baseline' };

export interface LoadResult {
  id: ScenarioId | 'baseline' | PostgisId;
  title: string;
  outcome: Outcome;
  requestsPerSecond: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
  /** p99 with the requests paced at `fixedRate` a second (null when that run had errors). */
  p99AtFixedRateMs?: number | null;
  /** Responses completed within the run, whatever their status. */
  responses: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Mean response size in bytes. */
  bytesPerResponse: number | null;
  /** The server's resident memory right after the scenario, to tell which one grew it. */
  serverRssAfterBytes?: number | null;
  note?: string;
}

/** Warm-up before each measurement, so that the first seconds of JIT compilation are not measured. */
const warmupSeconds = 2;
/** Seconds before autocannon counts a request as timed out (which fails the scenario). */
const timeoutSeconds = 30;

/** The fixed rate at which p99 is measured as well, besides the open-loop maximum. */
export const fixedRate = 200;

function run(url: string, paths: readonly string[], connections: number, duration: number, rate?: number) {
  return autocannon({
    url: `${url}${paths[0]}`,
    connections,
    duration,
    ...(rate ? { overallRate: rate } : {}),
    timeout: timeoutSeconds,
    requests: paths.map((path) => ({ method: 'GET', path })),
  });
}

/**
 * Probes each path once, warms up, then measures. A scenario fails on any non-2xx answer, connection
 * error or timeout; one whose route is still being written (404 with `skipIfMissing`) is skipped, and so
 * is one so slow in the process (`inProcessMs`) that a request queued behind the other connections would
 * time out: loading it would measure only timeouts and leave the server busy for minutes afterwards.
 */
export async function measureLoad(
  url: string,
  scenario: LoadTarget,
  settings: LoadSettings,
  options: {
    inProcessMs?: number | null;
    /** Resolves once the server has answered what the warm-up left queued. */
    waitForIdle?: () => Promise<unknown>;
  } = {},
): Promise<LoadResult> {
  const { inProcessMs = null, waitForIdle = async () => {} } = options;
  const empty = {
    id: scenario.id,
    title: scenario.title,
    requestsPerSecond: null,
    p50Ms: null,
    p99Ms: null,
    p99AtFixedRateMs: null,
    responses: 0,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    bytesPerResponse: null,
  };
  if (inProcessMs !== null && inProcessMs * settings.connections > timeoutSeconds * 1000) {
    return {
      ...empty,
      outcome: 'skipped',
      note: `not loaded: ${Math.round(inProcessMs)} ms a request in the process × ${settings.connections} connections exceeds the ${timeoutSeconds} s timeout`,
    };
  }
  // One probe finds a missing route; every path's answers are then checked by autocannon's counts.
  const path = scenario.paths[0] as string;
  const probe = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(timeoutSeconds * 1000) });
  await probe.arrayBuffer();
  if (probe.status === 404 && scenario.skipIfMissing) {
    return { ...empty, outcome: 'skipped', note: `${path} answers 404` };
  }
  if (probe.status < 200 || probe.status > 299) {
    return { ...empty, outcome: 'failed', note: `${path} answers ${probe.status}` };
  }
  await run(url, scenario.paths, settings.connections, Math.min(warmupSeconds, settings.duration));
  await waitForIdle();
  const result = await run(url, scenario.paths, settings.connections, settings.duration);
  await waitForIdle();
  // The same requests at a fixed 200 a second: the latency a client sees when the service is not saturated.
  const paced = await run(url, scenario.paths, settings.connections, settings.duration, fixedRate);
  const responses = result.requests.total;
  const non2xxByStatus = Object.entries(result.statusCodeStats)
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, { count }]) => `${count} × ${status}`);
  const problems = [
    result.non2xx > 0 ? `non-2xx: ${non2xxByStatus.join(', ')}` : '',
    result.errors > 0 ? `${result.errors} errors` : '',
    result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
    result['2xx'] === 0 ? 'no 2xx answer within the run' : '',
  ].filter(Boolean);
  return {
    ...empty,
    outcome: problems.length > 0 ? 'failed' : 'ok',
    // Completed over elapsed rather than autocannon's mean of per-second samples, which rounds a slow
    // route's 0.3 requests a second down to 0.
    requestsPerSecond: result.duration > 0 ? responses / result.duration : null,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    p99AtFixedRateMs: paced.non2xx === 0 && paced.errors === 0 ? paced.latency.p99 : null,
    responses,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    bytesPerResponse: responses > 0 ? Math.round(result.throughput.total / responses) : null,
    ...(problems.length > 0 ? { note: problems.join('; ') } : {}),
  };
}
