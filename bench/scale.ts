// The scale series: for each dataset size, the read model's build time and size, and the in-process
// median of each question, so that the report shows how each cost grows with the data.

import { rmSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { sqliteReadModel } from '../src/read-model/plugin.js';
import { savedModelPath } from '../src/read-model/store.js';
import { ensureBenchDatabase, type ImportTimes, inProcessConfig } from './database.js';
import { measureInProcess } from './in-process.js';
import { busiestSeats, type ScenarioId, scenarios } from './scenarios.js';

export const scaleSizes = [3_000, 30_000, 100_000, 300_000];

export interface ScaleRow {
  resources: number;
  /** Generating and importing through storeDataset, when this run made the database; else null. */
  importSeconds: number | null;
  /** The import's validation and store steps, wall clock and CPU, when this run made the database. */
  importTimes: ImportTimes | null;
  /**
   * The read model's build at start (in the server below READ_MODEL_BUILD_PROCESS_FROM resources, in the
   * builder process from there on), and a rebuild off the request path.
   */
  buildMs: number;
  /** How that build ran: 'server' or 'builder process'. */
  builtIn: string;
  /** A second start, reading the model the first one saved; null where no model is saved (small sizes). */
  loadMs: number | null;
  rebuildMs: number | null;
  /** Heap and array buffers the app holds after start, less what it held before: the read model mostly. */
  readModelBytes: number;
  medianMs: Partial<Record<ScenarioId, number | null>>;
}

const measured: ScenarioId[] = [
  'filtered-list',
  'nearby',
  'full-text',
  'coverage-county',
  'coverage-national',
  'one-resource',
];

const held = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export async function scaleSeries(maxResources: number, log: (line: string) => void): Promise<ScaleRow[]> {
  const rows: ScaleRow[] = [];
  for (const size of scaleSizes.filter((n) => n <= maxResources)) {
    const dataset = ensureBenchDatabase(size, log);
    // The previous size's app is let go only after its pending callbacks have run: wait for them, then
    // collect, so that `before` does not still count it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc?.();
    globalThis.gc?.();
    const config = inProcessConfig(dataset.path);
    // A first start builds (a model saved by an earlier run is removed), a second reads what it saved.
    rmSync(savedModelPath(dataset.path), { force: true });
    const first = await buildApp(config);
    const buildMs = sqliteReadModel(first).stats.lastBuildMs;
    const builtIn = sqliteReadModel(first).stats.separateBuilds > 0 ? 'builder process' : 'server';
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc?.();
    globalThis.gc?.();
    const before = held();
    const app = await buildApp(config);
    try {
      globalThis.gc?.();
      const readModelBytes = held() - before;
      const loadMs = sqliteReadModel(app).stats.loads > 0 ? sqliteReadModel(app).stats.lastBuildMs : null;
      // The rebuild off the request path, timed on the smaller sizes only (it takes as long as the build).
      let rebuildMs: number | null = null;
      if (size <= 30_000) {
        const started = performance.now();
        await sqliteReadModel(app).rebuildInBackground();
        rebuildMs = performance.now() - started;
      }
      const listed = await app.inject('/v1/resources?municipality=1480&limit=1');
      const resourceId = (listed.json() as { items?: { id: string }[] }).items?.[0]?.id;
      if (!resourceId) throw new Error(`no resource to fetch by id at ${size}: ${listed.statusCode}`);
      const plan = scenarios({ resourceId, seats: busiestSeats(app.places) });
      const medianMs: ScaleRow['medianMs'] = {};
      for (const scenario of plan.filter((s) => measured.includes(s.id))) {
        const result = await measureInProcess(app, scenario);
        medianMs[scenario.id] = result.outcome === 'ok' ? result.medianMs : null;
      }
      rows.push({
        resources: size,
        importSeconds: dataset.generatedInSeconds,
        importTimes: dataset.importTimes,
        buildMs,
        builtIn,
        loadMs,
        rebuildMs,
        readModelBytes,
        medianMs,
      });
      log(
        `Scale ${size}: build ${buildMs.toFixed(0)} ms (${builtIn}), start from the saved model ` +
          `${loadMs === null ? '–' : `${loadMs.toFixed(0)} ms`}, ${JSON.stringify(medianMs)}`,
      );
    } finally {
      await app.close();
    }
  }
  return rows;
}
