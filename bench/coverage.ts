// Times the coverage routes inside the process (app.inject, one request at a time) on a copy of a synthetic
// database, as `npm run bench` does but for coverage alone and with the cold and repeat costs apart
// (not part of `npm test`):
//   npx tsx bench/coverage.ts bench/results/synthetic-100000-v1.db [samples]
// Cold: every request asks for another date (`at`), so no answer can come from an earlier one: the cost of
// the first request after the read model changed. Repeat: the same request again. After a write: a write
// through the API, the coverage request right after it, then requests while the read model is rebuilt off
// the request path, and the first one after the rebuilt model is swapped in. Prints one JSON line per series
// with the load average when it ended.

import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { createToken } from '../src/auth/tokens.js';
import { sqliteReadModel } from '../src/read-model/plugin.js';
import { toInput } from '../src/resources/changes.js';
import { inProcessConfig } from './database.js';
import { percentile } from './in-process.js';

const source = process.argv[2];
const samples = Number(process.argv[3] ?? 30);
if (!source) {
  console.error('usage: npx tsx bench/coverage.ts DATABASE [samples]');
  process.exit(2);
}
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

const directory = mkdtempSync(join(tmpdir(), 'bench-coverage-'));
const path = join(directory, 'copy.db');
copyFileSync(source, path);
if (existsSync(`${source}-wal`)) copyFileSync(`${source}-wal`, `${path}-wal`);

const started = performance.now();
const app = await buildApp(inProcessConfig(path));
console.log(JSON.stringify({ built: Math.round(performance.now() - started), load: load() }));

/**
 * One request: wall-clock and CPU time (this process's, all threads: the collector's helpers too). With
 * `asBytes`, the body is read as the bytes sent (light-my-request's payloadAsStream) instead of being
 * copied twice and decoded into a string, as app.inject does by default and no socket does: several MB of
 * UTF-8 decoding that is the test harness's, not the route's.
 */
async function timed(url: string, asBytes = false): Promise<{ ms: number; cpuMs: number; bytes: number }> {
  const cpu = process.cpuUsage();
  const sent = performance.now();
  const response = await app.inject({ url, payloadAsStream: asBytes });
  let bytes = 0;
  if (asBytes) for await (const chunk of response.stream()) bytes += (chunk as Buffer).length;
  else bytes = response.rawPayload.length;
  const ms = performance.now() - sent;
  const used = process.cpuUsage(cpu);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode}`);
  return { ms, cpuMs: (used.user + used.system) / 1000, bytes };
}

const round = (ms: number | null) => (ms === null ? null : Math.round(ms * 10) / 10);

/**
 * `samples` requests, one at a time: wall-clock median, p95 and minimum, and the median CPU time, which a
 * busy machine distorts less than wall-clock time.
 */
/** COVERAGE_SERIES=TEXT runs only the series whose names hold TEXT (the write series run either way). */
const only = process.env.COVERAGE_SERIES;

async function series(name: string, urlOf: (i: number) => string, asBytes = false): Promise<void> {
  if (only && !name.includes(only)) return;
  const durations: number[] = [];
  const cpu: number[] = [];
  let bytes = 0;
  for (let i = 0; i < samples; i++) {
    const result = await timed(urlOf(i), asBytes);
    durations.push(result.ms);
    cpu.push(result.cpuMs);
    bytes = result.bytes;
  }
  durations.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      series: name,
      samples,
      medianMs: round(percentile(durations, 0.5)),
      p95Ms: round(percentile(durations, 0.95)),
      minMs: round(durations[0] ?? null),
      cpuMedianMs: round(percentile(cpu, 0.5)),
      bytes,
      load: load(),
    }),
  );
}

/**
 * With COVERAGE_PROFILE=FILE, a CPU profile of the county and national series alone (not the build) is
 * written to FILE (.cpuprofile, for Chrome DevTools or bench/profile-summary.ts).
 */
async function profiled(run: () => Promise<void>): Promise<void> {
  const file = process.env.COVERAGE_PROFILE;
  if (!file) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/** A different date for every request: day i after 2025-01-01. */
const dayAfter = (i: number) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);

try {
  const first = await timed('/v1/coverage?county=14');
  console.log(
    JSON.stringify({ series: 'county 14, very first request', ms: Math.round(first.ms), load: load() }),
  );
  // Untimed warm-up on other dates, so that the JIT has seen the code before the cold series.
  for (let i = 0; i < 5; i++) await timed(`/v1/coverage?county=14&at=${dayAfter(400 + i)}`);
  for (let i = 0; i < 5; i++) await timed(`/v1/coverage/national?at=${dayAfter(400 + i)}`);

  await profiled(async () => {
    await series(
      'county 14 cold (another date each time)',
      (i) => `/v1/coverage?county=14&at=${dayAfter(i)}`,
    );
    await series('county 14 repeat', () => '/v1/coverage?county=14');
    await series(
      'county 14 cold, body as bytes',
      (i) => `/v1/coverage?county=14&at=${dayAfter(100 + i)}`,
      true,
    );
    await series('county 14 repeat, body as bytes', () => '/v1/coverage?county=14', true);
    await series('county 06 cold', (i) => `/v1/coverage?county=06&at=${dayAfter(i)}`);
    await series('national cold (another date each time)', (i) => `/v1/coverage/national?at=${dayAfter(i)}`);
    await series('national repeat', () => '/v1/coverage/national');
  });
  await series('county 14 CSV cold', (i) => `/v1/coverage?county=14&format=csv&at=${dayAfter(i)}`);
  await series('county 14 CSV repeat', () => '/v1/coverage?county=14&format=csv');

  // After a write: one resource of county 14 renamed through the API.
  const token = await createToken(app.tokens, 'bench-coverage', { kind: 'admin' });
  const listed = await app.inject('/v1/resources?county=14&national=false&limit=1');
  const entry = (listed.json() as { items: { id: string }[] }).items[0];
  if (!entry) throw new Error('no resource in county 14');
  const current = await app.inject(`/v1/resources/${entry.id}`);
  const write = async (name: string) => {
    const written = await app.inject({
      method: 'PUT',
      url: `/v1/resources/${entry.id}`,
      headers: { authorization: `Bearer ${token}`, 'if-match': '*' },
      payload: { ...toInput(current.json()), name },
    });
    if (written.statusCode !== 200) throw new Error(`write: ${written.statusCode} ${written.body}`);
  };
  // Asked once before the write, so that what follows it measures the write, not an answer the series
  // above pushed out of the cache.
  await timed('/v1/coverage?county=14');
  await timed('/v1/coverage/national');
  await write('Bench coverage renamed');
  const afterWrite = await timed('/v1/coverage?county=14');
  const afterWriteNational = await timed('/v1/coverage/national');
  console.log(
    JSON.stringify({
      series: 'right after a write (before the rebuild)',
      countyMs: round(afterWrite.ms),
      countyCpuMs: round(afterWrite.cpuMs),
      nationalMs: round(afterWriteNational.ms),
      rebuilding: sqliteReadModel(app).rebuilding,
      load: load(),
    }),
  );
  // The overlay is folded into a new base a second after the write, off the request path.
  const during: number[] = [];
  const waitStarted = performance.now();
  while (!sqliteReadModel(app).rebuilding && performance.now() - waitStarted < 5_000) {
    during.push((await timed('/v1/coverage?county=14')).ms);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const rebuildStarted = performance.now();
  const duringRebuild: number[] = [];
  while (sqliteReadModel(app).rebuilding) {
    duringRebuild.push((await timed('/v1/coverage?county=14')).ms);
    await new Promise((resolve) => setImmediate(resolve));
  }
  duringRebuild.sort((a, b) => a - b);
  const swapped = await timed('/v1/coverage?county=14');
  const swappedAgain = await timed('/v1/coverage?county=14');
  const swappedNational = await timed('/v1/coverage/national');
  console.log(
    JSON.stringify({
      series: 'while the model is rebuilt, then after the swap',
      beforeFoldRequests: during.length,
      rebuildMs: Math.round(performance.now() - rebuildStarted),
      duringRebuild: {
        requests: duringRebuild.length,
        medianMs: round(percentile(duringRebuild, 0.5)),
        maxMs: round(duringRebuild.at(-1) ?? null),
      },
      firstAfterSwapMs: round(swapped.ms),
      firstAfterSwapCpuMs: round(swapped.cpuMs),
      secondAfterSwapMs: round(swappedAgain.ms),
      secondAfterSwapCpuMs: round(swappedAgain.cpuMs),
      nationalAfterSwapMs: round(swappedNational.ms),
      load: load(),
    }),
  );
} finally {
  await app.close();
  rmSync(directory, { recursive: true, force: true });
}
