// `npm run bench`: generates (or reuses) a national-sized synthetic database, times the routes inside the
// process, then starts the real server and a baseline server as child processes and loads them with
// autocannon. Prints Markdown tables and writes bench/results/latest.json. Not part of `npm test`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { projectRoot } from '../src/paths.js';
import { ensureBenchDatabase, inProcessConfig, resultsDir } from './database.js';
import { type InProcessResult, measureInProcess } from './in-process.js';
import { type LoadResult, type LoadSettings, measureLoad } from './load.js';
import { type BenchOptions, parseOptions, usage } from './options.js';
import { checkPostgisNearby, extraCheckedPaths, questionOf } from './postgis.js';
import { ensurePostgresDataset, redactedUrl } from './postgres.js';
import {
  type ChildServer,
  residentBytes,
  startServer,
  stopAllOnExit,
  stopServer,
  timeToFirstOk,
  waitUntilIdle,
} from './processes.js';
import { type BenchReport, checkTargets, currentLoadAverage, machine, markdown } from './report.js';
import { scaleSeries } from './scale.js';
import { busiestSeats, nearbyPath, type Scenario, scenarios } from './scenarios.js';
import {
  measurePostgisLoad,
  measurePostgisOneByOne,
  type PostgisTarget,
  statementTimeoutMs,
} from './sql-load.js';

const serverScript = 'dist/server.js';
const baselineScript = 'bench/baseline-server.ts';
const log = (line: string) => console.log(line);

/**
 * The real server's settings besides the database. All load comes from one client address, so the
 * per-client read limit is lifted (the limiter itself still runs). The event-loop-lag guard stays on at
 * its production setting: it measures lag now, so a saturated but healthy server is not shed.
 */
const serverEnv = {
  SEED_IF_EMPTY: 'false',
  RATE_LIMIT_READS: '1000000',
};

/** A resource id the API itself hands out, for the one-resource scenario. */
async function knownResourceId(app: FastifyInstance): Promise<string> {
  const response = await app.inject('/v1/resources?municipality=1480&limit=1');
  const id = (response.json() as { items?: { id: string }[] }).items?.[0]?.id;
  if (response.statusCode !== 200 || !id) {
    throw new Error(
      `could not find a resource to fetch: ${response.statusCode} ${response.body.slice(0, 200)}`,
    );
  }
  return id;
}

/**
 * Builds the production app on the benchmark database and times each scenario through app.inject. With a
 * PostgreSQL pool, also checks that the PostGIS statement answers the nearby questions as the app does, and
 * times it one statement at a time.
 */
async function inProcessPhase(
  databasePath: string,
  pool: pg.Pool | null,
): Promise<{
  plan: Scenario[];
  inProcess: InProcessResult[];
  postgis: Pick<NonNullable<BenchReport['postgres']>, 'check' | 'oneByOne'> & { targets: PostgisTarget[] };
}> {
  const app = await buildApp(inProcessConfig(databasePath));
  try {
    const plan = scenarios({ resourceId: await knownResourceId(app), seats: busiestSeats(app.places) });
    const inProcess: InProcessResult[] = [];
    for (const scenario of plan) {
      log(`In process: ${scenario.title}`);
      inProcess.push(await measureInProcess(app, scenario));
    }
    const postgis = { targets: [] as PostgisTarget[], check: null, oneByOne: [] } as Awaited<
      ReturnType<typeof inProcessPhase>
    >['postgis'];
    if (!pool) return { plan, inProcess, postgis };
    // The PostGIS scenario asks what the two nearby scenarios ask.
    for (const scenario of plan) {
      if (scenario.id !== 'nearby' && scenario.id !== 'nearby-rotating') continue;
      postgis.targets.push({
        id: scenario.id === 'nearby' ? 'postgis-nearby' : 'postgis-nearby-rotating',
        title: `${scenario.title} in PostGIS (SQL, the page's ids)`,
        questions: scenario.paths.map((path) => questionOf(path, app.places)),
      });
    }
    const checked = [...new Set(plan.flatMap((s) => (s.id.startsWith('nearby') ? s.paths : [])))];
    log(`PostGIS: comparing ${checked.length + extraCheckedPaths.length} nearby answers with the API's`);
    postgis.check = await checkPostgisNearby(app, pool, [...checked, ...extraCheckedPaths]);
    if (postgis.check.difference) log(`PostGIS answers differ: ${postgis.check.difference}`);
    for (const target of postgis.targets) {
      log(`PostGIS, one statement at a time: ${target.title}`);
      postgis.oneByOne.push(await measurePostgisOneByOne(pool, target));
    }
    return { plan, inProcess, postgis };
  } finally {
    await app.close();
  }
}

/**
 * Loads the baseline server with the real nearby answer's bytes. It runs as its own child process, like
 * the real server, so both carry the same runtime, loader and logging costs.
 */
async function baselinePhase(
  realServer: ChildServer,
  settings: LoadSettings,
): Promise<{ baseline: BenchReport['baseline']; firstOkMs: number }> {
  const answer = await fetch(`${realServer.url}${nearbyPath}`, { signal: AbortSignal.timeout(30_000) });
  if (answer.status !== 200) throw new Error(`${nearbyPath} answered ${answer.status}`);
  const body = Buffer.from(await answer.arrayBuffer());
  const dir = mkdtempSync(join(tmpdir(), 'stodkartan-bench-'));
  const bodyFile = join(dir, 'nearby.json');
  writeFileSync(bodyFile, body);
  try {
    const server = await startServer(baselineScript, { BASELINE_BODY_FILE: bodyFile });
    try {
      const firstOkMs = await timeToFirstOk(server, '/health');
      log('Under load: baseline');
      const result = await measureLoad(
        server.url,
        {
          id: 'baseline',
          title: `baseline (fastify, the nearby answer's ${(body.length / 1000).toFixed(1)} kB precomputed)`,
          paths: ['/baseline'],
          skipIfMissing: false,
        },
        settings,
        { waitForIdle: () => waitUntilIdle(server, '/health') },
      );
      const baseline = {
        ...result,
        serverRssAfterBytes: residentBytes(server.child.pid, 'VmRSS'),
        bodyBytes: body.length,
      };
      return { baseline, firstOkMs };
    } finally {
      await stopServer(server);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each scenario path's answer (status and a SHA-256 of the body), to compare the engines' servers. */
async function answersOf(server: ChildServer, plan: Scenario[]): Promise<Map<string, string>> {
  const answers = new Map<string, string>();
  for (const path of new Set(plan.flatMap((s) => s.paths))) {
    const response = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(30_000) });
    const body = Buffer.from(await response.arrayBuffer());
    answers.set(path, `${response.status} ${createHash('sha256').update(body).digest('hex')}`);
  }
  return answers;
}

async function loadPhase(
  database: Record<string, string>,
  plan: Scenario[],
  inProcess: InProcessResult[],
  settings: LoadSettings,
): Promise<Pick<BenchReport, 'server' | 'baseline' | 'load'> & { answers: Map<string, string> }> {
  const server = await startServer(serverScript, { ...database, ...serverEnv });
  try {
    const firstOkMs = await timeToFirstOk(server, '/health');
    log(`Server answered /health ${firstOkMs.toFixed(0)} ms after spawn.`);
    const answers = await answersOf(server, plan);
    const { baseline, firstOkMs: baselineFirstOkMs } = await baselinePhase(server, settings);
    const load: LoadResult[] = [];
    for (const scenario of plan) {
      await waitUntilIdle(server, '/health');
      log(`Under load: ${scenario.title}`);
      const inProcessMs = inProcess.find((r) => r.id === scenario.id)?.medianMs ?? null;
      const result = await measureLoad(server.url, scenario, settings, {
        inProcessMs,
        waitForIdle: () => waitUntilIdle(server, '/health'),
      });
      load.push({ ...result, serverRssAfterBytes: residentBytes(server.child.pid, 'VmRSS') });
    }
    await waitUntilIdle(server, '/health');
    // VmHWM is the peak since spawn, so reading it once at the end covers every scenario.
    const peak = residentBytes(server.child.pid, 'VmHWM');
    const ratio = (r: LoadResult) =>
      r.requestsPerSecond !== null && baseline.requestsPerSecond
        ? r.requestsPerSecond / baseline.requestsPerSecond
        : null;
    return {
      server: {
        command: `node ${serverScript}`,
        firstOkMs,
        baselineFirstOkMs,
        peakRssBytes: peak,
      },
      baseline,
      load: load.map((r) => ({ ...r, ratioToBaseline: r.outcome === 'ok' ? ratio(r) : null })),
      answers,
    };
  } finally {
    await stopServer(server);
  }
}

async function bench(options: BenchOptions): Promise<BenchReport> {
  const loadAtStart = currentLoadAverage();
  log('Building dist/ if src/ changed (the server runs as `node dist/server.js`).');
  // As `npm start` builds it: a tsc run alone would leave dist/'s recorded sources hash stale, and the server
  // would then refuse the read model the scale series saved (it is stamped with that hash).
  execFileSync(process.execPath, [join(projectRoot, 'scripts/build.mjs'), '--if-stale'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  const scale = await scaleSeries(options.resources, log);
  const dataset = ensureBenchDatabase(options.resources, log);
  const url = options.databaseUrl;
  const postgresDataset = url ? await ensurePostgresDataset(url, dataset, log) : null;
  // As many connections as the load has: each worker holds one, as each autocannon connection holds a socket.
  const pool = url
    ? new pg.Pool({
        connectionString: url,
        max: options.connections,
        statement_timeout: statementTimeoutMs,
        options: '-c timezone=UTC',
      })
    : null;
  try {
    const { plan, inProcess, postgis } = await inProcessPhase(dataset.path, pool);
    const { answers, ...measured } = await loadPhase(
      { DATABASE_PATH: dataset.path },
      plan,
      inProcess,
      options,
    );
    let postgres: BenchReport['postgres'];
    if (url && pool && postgresDataset) {
      // The HTTP scenarios again, against the real server on PostgreSQL (DATABASE_URL, its read model
      // following the change feed), as on SQLite above; every path's answer is compared with SQLite's.
      const { answers: onPostgres, ...http } = await loadPhase(
        { DATABASE_URL: url },
        plan,
        inProcess,
        options,
      );
      const postgisLoad: LoadResult[] = [];
      for (const target of postgis.targets) {
        log(`Under load: ${target.title}`);
        postgisLoad.push(await measurePostgisLoad(pool, target, options));
      }
      postgres = {
        url: redactedUrl(url),
        dataset: postgresDataset,
        check: postgis.check,
        oneByOne: postgis.oneByOne,
        postgisLoad,
        http,
        sameAnswers: {
          compared: answers.size,
          differing: [...answers].filter(([path, answer]) => onPostgres.get(path) !== answer).map(([p]) => p),
        },
      };
    }
    const partial = {
      date: new Date().toISOString(),
      machine: machine(),
      loadAverage: { atStart: loadAtStart, atEnd: currentLoadAverage() },
      options: { ...options, ...(url ? { databaseUrl: redactedUrl(url) } : {}) },
      dataset: {
        file: relative(projectRoot, dataset.path),
        resources: dataset.resources,
        generatedInSeconds: dataset.generatedInSeconds,
      },
      ...measured,
      inProcess,
      scale,
      ...(postgres ? { postgres } : {}),
    };
    return { ...partial, targets: checkTargets(partial) };
  } finally {
    await pool?.end();
  }
}

async function main(): Promise<void> {
  const parsed = parseOptions(process.argv.slice(2));
  if (parsed.ok === 'help') {
    console.log(usage);
    return;
  }
  if (!parsed.ok) {
    console.error(`${parsed.error}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  stopAllOnExit();
  const report = await bench(parsed.options);
  const file = join(resultsDir, 'latest.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${markdown(report)}\n\nWritten to ${relative(projectRoot, file)}.`);
  // Missed targets are findings, not errors; a scenario that could not be measured correctly is.
  const pg = report.postgres;
  const failed = [...report.load, ...report.inProcess, ...(pg ? [...pg.http.load, ...pg.postgisLoad] : [])];
  if (failed.some((r) => r.outcome === 'failed')) process.exitCode = 1;
  // So is a PostGIS statement that answers otherwise than the API, or an engine that answers otherwise.
  if (pg && (pg.check?.difference || pg.sameAnswers.differing.length > 0)) process.exitCode = 1;
}

await main();
