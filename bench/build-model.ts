// Builds the read model once from a copy of a synthetic database and prints the build's wall-clock and CPU
// time, the model's size (heap and buffers held after a collection, with --expose-gc), the process's RSS
// before the build and its peak RSS (not part of `npm test`):
//   node --expose-gc --import tsx bench/build-model.ts bench/results/synthetic-10000-v1.db
// The file is copied to a temporary directory first: opening it must not touch the original.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../src/db/client.js';
import { loadPlaces } from '../src/places/places.js';
import { ReadModelStore } from '../src/read-model/store.js';
import { loadVocabulary } from '../src/vocabulary/vocabulary.js';

const source = process.argv[2];
if (!source) {
  console.error('usage: npx tsx bench/build-model.ts DATABASE');
  process.exit(2);
}
const directory = mkdtempSync(join(tmpdir(), 'build-model-'));
try {
  const path = join(directory, 'copy.db');
  copyFileSync(source, path);
  const database = openDatabase(path);
  // A database generated before the latest migration gets it, as the server would at start.
  migrateDatabase(database);
  const places = loadPlaces(database.db);
  const vocabulary = loadVocabulary(database.db);
  const collect = (globalThis as { gc?: () => void }).gc;
  collect?.();
  const before = process.memoryUsage();
  const rssBeforeMb = before.rss / 2 ** 20;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const store = new ReadModelStore(database, places, vocabulary, { path });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  collect?.();
  const after = process.memoryUsage();
  const held = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
  const model = store.current();
  console.log(
    JSON.stringify({
      resources: model.resources.base.size,
      wallMs: Math.round(wallMs),
      cpuMs: Math.round((cpu.user + cpu.system) / 1000),
      modelMb: collect
        ? Math.round(((held(after) - held(before)) / 2 ** 20) * 10) / 10
        : 'run with --expose-gc',
      rssBeforeMb: Math.round(rssBeforeMb),
      peakRssMb: Math.round(peakRssMb),
      load: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    }),
  );
  await store.close();
  database.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
