// The read model's start-up cost on a copy of a synthetic database (not part of `npm test`):
//   npm run bench:build -- bench/results/synthetic-100000-v1.db            # in a builder process, then saved
//   npm run bench:build -- bench/results/synthetic-100000-v1.db --here     # built in this process
// Without --here it runs `ReadModelStore.open` twice on the same copy, as two starts of the server would: the
// first builds in a process of its own and saves the model (the child's peak RSS is its own), the second reads
// the saved model. Each line: wall-clock and CPU ms of this process, the model's size (heap and array buffers
// held after a collection, less those before) and this process's RSS before and at its peak. The file is
// copied to a temporary directory first: opening it must not touch the original.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../src/db/client.js';
import { loadPlaces } from '../src/places/places.js';
import { ReadModelStore, savedModelPath } from '../src/read-model/store.js';
import { loadVocabulary } from '../src/vocabulary/vocabulary.js';

const source = process.argv[2];
const here = process.argv.includes('--here');
if (!source) {
  console.error('usage: npm run bench:build -- DATABASE [--here]');
  process.exit(2);
}
const collect = (globalThis as { gc?: () => void }).gc;
const held = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const directory = mkdtempSync(join(tmpdir(), 'build-model-'));
try {
  const path = join(directory, 'copy.db');
  copyFileSync(source, path);
  const database = openDatabase(path);
  // A database generated before the latest migration gets it, as the server would at start.
  migrateDatabase(database);
  const places = loadPlaces(database.db);
  const vocabulary = loadVocabulary(database.db);
  const start = async (how: string) => {
    collect?.();
    const before = process.memoryUsage();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const store = here
      ? new ReadModelStore(database, places, vocabulary, { path, separateBuildFrom: Number.MAX_SAFE_INTEGER })
      : await ReadModelStore.open(database, places, vocabulary, { path });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    // Array buffers are freed as their wrappers are swept, which can trail the collection that found them.
    for (let i = 0; i < 3; i++) {
      collect?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = process.memoryUsage();
    console.log(
      JSON.stringify({
        how,
        stats: store.stats,
        resources: store.current().resources.size,
        wallMs: Math.round(wallMs),
        cpuMs: Math.round((cpu.user + cpu.system) / 1000),
        modelMb: collect ? mb(held(after) - held(before)) : 'run with --expose-gc',
        savedModelMb: here ? null : mb(statSync(savedModelPath(path)).size),
        rssBeforeMb: Math.round(before.rss / 2 ** 20),
        peakRssMb: Math.round(peakRssMb),
        load: loadavg()
          .map((l) => l.toFixed(2))
          .join(' '),
      }),
    );
    await store.close();
  };
  if (here) await start('built in this process');
  else {
    await start('first start: built in a builder process, saved');
    await start('second start: read from the saved model');
  }
  database.close();
} finally {
  rmSync(directory, { recursive: true, force: true });
}
