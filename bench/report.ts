// The benchmark's report: the issue's targets checked against the figures, Markdown tables for the
// terminal and the README, and bench/results/latest.json.
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { InProcessResult } from './in-process.js';
import { fixedRate, type LoadResult } from './load.js';
import type { BenchOptions } from './options.js';
import type { PostgisCheck } from './postgis.js';
import type { PostgresDataset } from './postgres.js';
import type { ScaleRow } from './scale.js';
import type { PostgisId, ScenarioId } from './scenarios.js';

export interface Machine {
  cpuModel: string;
  cpuCount: number;
  totalMemoryBytes: number;
  os: string;
  node: string;
}

export function machine(): Machine {
  const cores = cpus();
  return {
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    totalMemoryBytes: totalmem(),
    os: `${type()} ${release()}`,
    node: process.version,
  };
}

/** The 1-minute load average, rounded: other processes competing for the CPU skew every figure. */
export const currentLoadAverage = () => Math.round((loadavg()[0] ?? 0) * 100) / 100;

export interface BenchReport {
  date: string;
  machine: Machine;
  /** 1-minute load averages when the run started and ended. */
  loadAverage: { atStart: number; atEnd: number };
  options: BenchOptions;
  dataset: { file: string; resources: number; generatedInSeconds: number | null };
  server: {
    command: string;
    /** Spawn to the first 200 from /health, on the existing database. */
    firstOkMs: number;
    /** The same for the baseline server: what node, the tsx loader and fastify take without the app. */
    baselineFirstOkMs: number;
    peakRssBytes: number | null;
  };
  baseline: LoadResult & { bodyBytes: number };
  load: (LoadResult & { ratioToBaseline: number | null })[];
  inProcess: InProcessResult[];
  scale: ScaleRow[];
  /** With `--database-url`: the same scenarios on PostgreSQL, and the nearby question asked in PostGIS. */
  postgres?: {
    /** Without its password. */
    url: string;
    dataset: PostgresDataset;
    /** The PostGIS statement's answers compared with the API's (on SQLite, the same data). */
    check: PostgisCheck | null;
    /** The statement one at a time, as the in-process table times the routes. */
    oneByOne: (Omit<InProcessResult, 'id'> & { id: PostgisId })[];
    /** The statement through a pg Pool under the load settings of the HTTP scenarios. */
    postgisLoad: LoadResult[];
    /** The HTTP scenarios against the server on PostgreSQL. */
    http: Pick<BenchReport, 'server' | 'baseline' | 'load'>;
    /** Every scenario path asked of both servers before their load: the paths whose answers differ. */
    sameAnswers: { compared: number; differing: string[] };
  };
  targets: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  measured: string;
  /** null when the figure was not measured (a skipped or failed scenario). */
  pass: boolean | null;
}

const megabytes = (bytes: number) => bytes / 1_000_000;
const fixed = (value: number | null | undefined, digits = 1) =>
  value === null || value === undefined ? '–' : value.toFixed(digits);

/**
 * The issue's performance targets, each with the figure it is checked against. A scenario that failed
 * (non-2xx answers, timeouts) misses its targets; one that was skipped leaves them unmeasured.
 */
export function checkTargets(report: Omit<BenchReport, 'targets'>): TargetCheck[] {
  const load = new Map(report.load.map((r) => [r.id, r]));
  const inProcess = new Map(report.inProcess.map((r) => [r.id, r]));
  const checks: TargetCheck[] = [];
  const check = (
    target: string,
    source: { outcome: string; note?: string } | undefined,
    value: number | null | undefined,
    meets: (v: number) => boolean,
    shown: (v: number) => string,
  ) => {
    if (source?.outcome === 'failed') {
      checks.push({ target, measured: `scenario failed (${source.note ?? 'see above'})`, pass: false });
    } else if (source?.outcome === 'skipped' || value === null || value === undefined) {
      checks.push({ target, measured: 'not measured', pass: null });
    } else {
      checks.push({ target, measured: shown(value), pass: meets(value) });
    }
  };
  const ms = (digits: number) => (v: number) => `${v.toFixed(digits)} ms`;

  const loadTargets: [ScenarioId, string][] = [
    ['filtered-list', 'filtered list'],
    ['nearby', 'nearby (Göteborg)'],
    ['nearby-rotating', 'nearby (seats in turn)'],
    ['full-text', 'full text'],
  ];
  for (const [id, name] of loadTargets) {
    const result = load.get(id);
    check(
      `${name}: throughput ≥ 0.5 × baseline`,
      result,
      result?.ratioToBaseline,
      (v) => v >= 0.5,
      (v) => `${v.toFixed(2)} ×`,
    );
    check(
      `${name}: p99 < 20 ms at ${fixedRate} req/s`,
      result,
      result?.p99AtFixedRateMs,
      (v) => v < 20,
      ms(0),
    );
  }
  for (const [id, name] of loadTargets) {
    const result = inProcess.get(id);
    check(`${name}: in-process median < 2 ms`, result, result?.medianMs, (v) => v < 2, ms(2));
  }
  const county = inProcess.get('coverage-county');
  check('coverage of a county: in-process median < 10 ms', county, county?.medianMs, (v) => v < 10, ms(1));
  const national = inProcess.get('coverage-national');
  check('national coverage: in-process median < 50 ms', national, national?.medianMs, (v) => v < 50, ms(1));
  const largest = report.scale.find((r) => r.resources === report.dataset.resources);
  check('read-model build < 1 s', undefined, largest?.buildMs, (v) => v < 1000, ms(0));
  check('start from the saved read model < 1 s', undefined, largest?.loadMs, (v) => v < 1000, ms(0));
  const imported = largest?.importTimes;
  check(
    'import (validation + store) < 10 s per 100 000 resources',
    undefined,
    imported && largest
      ? ((imported.validateSeconds + imported.storeSeconds) * 100_000) / largest.resources
      : null,
    (v) => v < 10,
    (v) => `${v.toFixed(1)} s per 100 000`,
  );
  const rss = report.server.peakRssBytes;
  check(
    'server peak RSS ≤ 280 MB',
    undefined,
    rss,
    (v) => megabytes(v) <= 280,
    (v) => `${megabytes(v).toFixed(0)} MB`,
  );
  const firstOk = report.server.firstOkMs;
  check('first 200 from /health within 0.5 s of spawn', undefined, firstOk, (v) => v <= 500, ms(0));
  return checks;
}

const verdict = (pass: boolean | null) => (pass === null ? 'not measured' : pass ? 'pass' : '**miss**');
const outcomeText = (result: { outcome: string; note?: string }) =>
  result.outcome === 'ok' ? 'ok' : `${result.outcome}${result.note ? `: ${result.note}` : ''}`;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The report as Markdown: the same text is printed and pasted into the README. */
export function markdown(report: BenchReport): string {
  const m = report.machine;
  const loadRow = (r: LoadResult, ratio: number | null) => [
    r.title,
    fixed(r.requestsPerSecond, r.requestsPerSecond !== null && r.requestsPerSecond < 10 ? 1 : 0),
    fixed(r.p50Ms, 0),
    fixed(r.p99Ms, 0),
    fixed(r.p99AtFixedRateMs, 1),
    fixed(ratio, 2),
    r.bytesPerResponse === null ? '–' : `${(r.bytesPerResponse / 1000).toFixed(1)} kB`,
    r.serverRssAfterBytes ? `${megabytes(r.serverRssAfterBytes).toFixed(0)} MB` : '–',
    outcomeText(r),
  ];
  const loadRows = [loadRow(report.baseline, 1), ...report.load.map((r) => loadRow(r, r.ratioToBaseline))];
  const inProcessRows = report.inProcess.map((r) => [
    r.title,
    fixed(r.medianMs, 2),
    fixed(r.p95Ms, 2),
    String(r.samples),
    outcomeText(r),
  ]);
  const rss = report.server.peakRssBytes;
  return [
    `Run on ${report.date}: ${m.cpuModel} × ${m.cpuCount}, ${(m.totalMemoryBytes / 2 ** 30).toFixed(0)} GiB, ` +
      `${m.os}, Node ${m.node}. ${report.dataset.resources} resources; ${report.options.connections} ` +
      `connections, ${report.options.duration} s per scenario. Load average ${report.loadAverage.atStart} at ` +
      `the start, ${report.loadAverage.atEnd} at the end.`,
    '',
    `Under load (autocannon against \`${report.server.command}\`):`,
    '',
    table(
      [
        'scenario',
        'req/s',
        'p50 ms',
        'p99 ms',
        `p99 ms at ${fixedRate}/s`,
        '× baseline',
        'response',
        'RSS after',
        'result',
      ],
      loadRows,
    ),
    '',
    'In the process (`app.inject`, one request at a time):',
    '',
    table(['scenario', 'median ms', 'p95 ms', 'samples', 'result'], inProcessRows),
    '',
    `Server: first 200 from /health ${fixed(report.server.firstOkMs, 0)} ms after spawn (the baseline ` +
      `server: ${fixed(report.server.baselineFirstOkMs, 0)} ms); peak RSS ` +
      `${rss === null ? 'not measured' : `${megabytes(rss).toFixed(0)} MB`}.`,
    '',
    'Scale series (in the process; read model = heap and buffers held after start; import = validation and ' +
      'store of a database this run generated, wall clock / CPU seconds of the bench process):',
    '',
    table(
      [
        'resources',
        'validate s (CPU)',
        'store s (CPU)',
        'build ms (where)',
        'saved model read ms',
        'rebuild ms',
        'read model MB',
        'filtered list ms',
        'nearby ms',
        'full text ms',
        'county coverage ms',
        'national coverage ms',
        'by id ms',
      ],
      report.scale.map((r) => [
        String(r.resources),
        r.importTimes
          ? `${fixed(r.importTimes.validateSeconds, 1)} (${fixed(r.importTimes.validateCpuSeconds, 1)})`
          : 'reused',
        r.importTimes
          ? `${fixed(r.importTimes.storeSeconds, 1)} (${fixed(r.importTimes.storeCpuSeconds, 1)})`
          : 'reused',
        `${fixed(r.buildMs, 0)} (${r.builtIn ?? 'server'})`,
        fixed(r.loadMs ?? null, 0),
        fixed(r.rebuildMs, 0),
        fixed(megabytes(r.readModelBytes), 0),
        fixed(r.medianMs['filtered-list'], 2),
        fixed(r.medianMs.nearby, 2),
        fixed(r.medianMs['full-text'], 2),
        fixed(r.medianMs['coverage-county'], 2),
        fixed(r.medianMs['coverage-national'], 2),
        fixed(r.medianMs['one-resource'], 2),
      ]),
    ),
    '',
    table(
      ['target', 'measured', 'result'],
      report.targets.map((t) => [t.target, t.measured, verdict(t.pass)]),
    ),
    ...(report.postgres ? ['', postgresMarkdown(report, report.postgres)] : []),
  ].join('\n');
}

/** The PostgreSQL section: each HTTP scenario on both engines, then the nearby question in PostGIS. */
function postgresMarkdown(report: BenchReport, pg: NonNullable<BenchReport['postgres']>): string {
  const cells = (r: LoadResult | undefined) =>
    r && r.outcome === 'ok'
      ? [
          fixed(r.requestsPerSecond, r.requestsPerSecond !== null && r.requestsPerSecond < 10 ? 1 : 0),
          fixed(r.p50Ms, r.id.startsWith('postgis') ? 1 : 0),
          fixed(r.p99Ms, r.id.startsWith('postgis') ? 1 : 0),
          fixed(r.p99AtFixedRateMs, 1),
        ]
      : ['–', '–', '–', r ? outcomeText(r) : '–'];
  const onPostgres = new Map(pg.http.load.map((r) => [r.id, r]));
  const rows = [
    [`${report.baseline.title}`, ...cells(report.baseline), ...cells(pg.http.baseline)],
    ...report.load.map((r) => [r.title, ...cells(r), ...cells(onPostgres.get(r.id))]),
    ...pg.postgisLoad.map((r) => [r.title, '–', '–', '–', '–', ...cells(r)]),
  ];
  const d = pg.dataset;
  const loaded =
    d.loadedInSeconds === null
      ? 'held from an earlier run'
      : `imported by this run through the PostgreSQL store's importDataset in ${fixed(d.loadedInSeconds, 0)} s ` +
        `(validation ${fixed(d.loadTimes?.validateSeconds, 0)} s, importDataset ${fixed(d.loadTimes?.storeSeconds, 0)} s ` +
        `wall clock, ${fixed(d.loadTimes?.storeCpuSeconds, 0)} s CPU of the bench process), ${d.compared} resources ` +
        "compared equal to SQLite's";
  const check = pg.check
    ? `The PostGIS statement gave the API's page (ids in order, distances, approximate and serving flags, totals, ` +
      `helplines) for ${pg.check.identical} of ${pg.check.questions} questions` +
      (pg.check.difference ? `; the first that differs: ${pg.check.difference}` : '.')
    : 'The PostGIS statement was not compared with the API.';
  const inMemory = new Map(report.inProcess.map((r) => [r.id, r]));
  const oneByOne = pg.oneByOne.map((r) => {
    const twin = inMemory.get(r.id === 'postgis-nearby' ? 'nearby' : 'nearby-rotating');
    return [r.title, fixed(r.medianMs, 2), fixed(r.p95Ms, 2), String(r.samples), fixed(twin?.medianMs, 2)];
  });
  return [
    `On PostgreSQL (\`${pg.url}\`): ${d.resources} resources (${d.name}), ${loaded}.`,
    '',
    `Under load (${report.options.connections} connections, ${report.options.duration} s; the PostGIS rows send ` +
      `the statement through a pg Pool of ${report.options.connections} connections from the bench process, no HTTP):`,
    '',
    table(
      [
        'scenario',
        'SQLite req/s',
        'p50 ms',
        'p99 ms',
        `p99 ms at ${fixedRate}/s`,
        'PostgreSQL req/s',
        'p50 ms',
        'p99 ms',
        `p99 ms at ${fixedRate}/s`,
      ],
      rows,
    ),
    '',
    `Server on PostgreSQL: first 200 from /health ${fixed(pg.http.server.firstOkMs, 0)} ms after spawn; peak RSS ` +
      `${pg.http.server.peakRssBytes === null ? 'not measured' : `${megabytes(pg.http.server.peakRssBytes).toFixed(0)} MB`}.`,
    '',
    pg.sameAnswers.differing.length === 0
      ? `Both servers gave the same status and body for all ${pg.sameAnswers.compared} scenario paths.`
      : `The servers' answers differ for ${pg.sameAnswers.differing.length} of ${pg.sameAnswers.compared} ` +
        `scenario paths: ${pg.sameAnswers.differing.join(', ')}.`,
    '',
    "The nearby question one statement at a time (beside it the read model's in-process median for the same " +
      'requests, which also serialises the documents):',
    '',
    table(['scenario', 'median ms', 'p95 ms', 'samples', 'read model median ms'], oneByOne),
    '',
    check,
  ].join('\n');
}
