// Latency inside the process: the production app factory on the benchmark database, driven through
// app.inject one request at a time, each answer read to its last byte. No sockets and no competing load
// generator, so this is the time the routes themselves take (validation, the read model, serialisation),
// which the issue asks to keep under 2 ms.
import type { FastifyInstance } from 'fastify';
import type { Scenario, ScenarioId } from './scenarios.js';

export type Outcome = 'ok' | 'failed' | 'skipped';

export interface InProcessResult {
  id: ScenarioId;
  title: string;
  outcome: Outcome;
  /** Timed requests (warm-up excluded); fewer than asked when the time budget ran out. */
  samples: number;
  medianMs: number | null;
  p95Ms: number | null;
  note?: string;
}

export interface InProcessLimits {
  /** Timed requests per scenario. */
  samples: number;
  /** Untimed requests first, so that the JIT and SQLite's page cache are warm. */
  warmup: number;
  /** Wall-clock budget per scenario: a slow route ends early with fewer samples rather than stalling. */
  budgetMs: number;
  /** Timed requests taken even past the budget, so that a slow route still gets a median. */
  minimumSamples: number;
}

export const defaultInProcessLimits: InProcessLimits = {
  samples: 200,
  warmup: 10,
  budgetMs: 20_000,
  minimumSamples: 3,
};

/** The value below which `fraction` of the sorted values lie (nearest rank). */
export function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? null;
}

/**
 * Times one scenario. Bounded in count (1 + warmup + samples requests) and in time: warm-up stops at a
 * quarter of the budget, timing at the budget once `minimumSamples` are in.
 */
export async function measureInProcess(
  app: FastifyInstance,
  scenario: Scenario,
  limits: InProcessLimits = defaultInProcessLimits,
): Promise<InProcessResult> {
  const base = { id: scenario.id, title: scenario.title };
  const started = performance.now();
  const statuses = new Map<number, number>();
  const send = async (i: number) => {
    const url = scenario.paths[i % scenario.paths.length] as string;
    const sent = performance.now();
    // The body read as the bytes a socket would send (payloadAsStream), not copied twice and decoded into a
    // string as inject does by default: megabytes of decoding that are the harness's, not the route's.
    const response = await app.inject({ method: 'GET', url, payloadAsStream: true });
    for await (const _chunk of response.stream());
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    return { status: response.statusCode, ms: performance.now() - sent };
  };
  const elapsed = () => performance.now() - started;

  const probe = await send(0);
  if (probe.status === 404 && scenario.skipIfMissing) {
    return {
      ...base,
      outcome: 'skipped',
      samples: 0,
      medianMs: null,
      p95Ms: null,
      note: 'route answers 404',
    };
  }
  for (let i = 1; i < limits.warmup && elapsed() < limits.budgetMs / 4; i++) await send(i);
  const durations: number[] = [];
  for (
    let i = 0;
    i < limits.samples && (elapsed() < limits.budgetMs || durations.length < limits.minimumSamples);
    i++
  ) {
    durations.push((await send(i)).ms);
  }
  durations.sort((a, b) => a - b);
  const failures = [...statuses].filter(([status]) => status < 200 || status > 299);
  return {
    ...base,
    outcome: failures.length > 0 ? 'failed' : 'ok',
    samples: durations.length,
    medianMs: percentile(durations, 0.5),
    p95Ms: percentile(durations, 0.95),
    ...(failures.length > 0
      ? { note: `non-2xx answers: ${failures.map(([status, n]) => `${n}× ${status}`).join(', ')}` }
      : durations.length < limits.samples
        ? { note: `time budget of ${limits.budgetMs / 1000} s reached after ${durations.length} samples` }
        : {}),
  };
}
