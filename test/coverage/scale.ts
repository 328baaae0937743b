// Coverage at scale, measured in-process: generates synthetic resources across every municipality (once
// per count, into a temporary directory, never into the repository), then times the coverage routes
// through the production app factory and app.inject. Not a tap test: run it by hand,
//   npx tsx test/coverage/scale.ts [count=100000] [database path]
import { existsSync, renameSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, prepareDatabase } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { loadPlaces, type Places } from '../../src/places/places.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import { countResources } from '../../src/resources/repository.js';
import type { InventoryInput, ResourceInput } from '../../src/resources/schemas.js';
import { loadVocabulary, type Vocabulary } from '../../src/vocabulary/vocabulary.js';

const count = Number(process.argv[2] ?? 100_000);
const path = process.argv[3] ?? join(tmpdir(), `stodkartan-coverage-scale-${count}-v1.db`);
const chunkSize = 5_000;

const config = (databasePath: string) =>
  loadConfig({
    DATABASE_PATH: databasePath,
    LOG_LEVEL: 'silent',
    // Timing one request at a time: neither the rate limit nor load shedding may answer instead.
    RATE_LIMIT_READS: '1000000',
    RATE_LIMIT_WRITES: '1000000',
    MAX_EVENT_LOOP_DELAY_MS: '60000',
  });

/** A seeded generator, so that every run at one count builds the same dataset. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function* syntheticResources(
  total: number,
  places: Places,
  vocabulary: Vocabulary,
): Generator<ResourceInput> {
  const random = mulberry32(20_240_601);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const municipalities = [...places.municipalities.values()];
  const cells = vocabulary.cells();
  const kinds = vocabulary.terms.kinds.map((k) => k.code);
  const dates = ['2015-01-01', '2019-07-01', '2023-03-15'];
  for (let i = 0; i < total; i++) {
    const home = pick(municipalities);
    const county = places.municipalitiesOfCounty(home.countyCode);
    const shape = random();
    let serviceArea: ResourceInput['serviceArea'];
    if (shape < 0.001) serviceArea = { national: true };
    else if (shape < 0.8) serviceArea = { municipalities: [home.code] };
    else if (shape < 0.92) {
      // Subregion-sized: the home municipality and a few others of its county, as agreements make them.
      const size = 3 + Math.floor(random() * 10);
      const codes = new Set([home.code]);
      for (let n = 0; n < size; n++) codes.add(pick(county).code);
      serviceArea = { municipalities: [...codes] };
    } else serviceArea = { counties: [home.countyCode] };

    const chosen = new Set<number>();
    const cellCount = 1 + Math.floor(random() * 8);
    while (chosen.size < cellCount) chosen.add(Math.floor(random() * cells.length));

    const statusDraw = random();
    const status =
      statusDraw < 0.9 ? 'active' : statusDraw < 0.94 ? 'planned' : statusDraw < 0.97 ? 'inactive' : 'closed';
    const activeFrom = random() < 0.3 ? pick(dates) : undefined;
    const activeUntil = status === 'closed' ? '2024-01-01' : undefined;

    const locations: ResourceInput['locations'] = [];
    const locationCount = Math.floor(random() * 3);
    for (let n = 0; n < locationCount; n++) {
      const where = n === 0 ? home : pick(county);
      const draw = random();
      if (draw < 0.7) {
        locations.push({
          visibility: 'public',
          municipality: where.code,
          lat: where.seatLat + (random() - 0.5) * 0.1,
          lon: where.seatLon + (random() - 0.5) * 0.1,
        });
      } else if (draw < 0.85) locations.push({ visibility: 'public', municipality: where.code });
      else locations.push({ visibility: 'confidential', municipality: where.code });
    }

    const audienceDraw = random();
    yield {
      id: syntheticId(i),
      name: `${pick(['Stödlinjen', 'Jouren', 'Mottagningen', 'Centrum', 'Öppenvården'])} ${home.name} ${i}`,
      kind: pick(kinds),
      status,
      ...(activeFrom ? { activeFrom } : {}),
      ...(activeUntil ? { activeUntil } : {}),
      audiences:
        audienceDraw < 0.85
          ? ['individuals']
          : audienceDraw < 0.9
            ? ['professionals']
            : ['individuals', 'professionals'],
      description: { sv: 'Syntetisk resurs för mätning av täckning.' },
      organization: { name: `Organisation ${i % 5000}`, type: 'ideell' },
      cells: [...chosen].map((n) => cells[n] as (typeof cells)[number]),
      serviceArea,
      locations,
      contact: {},
      source: { title: 'Syntetiska data' },
      lastVerified: '2024-01-01',
    };
  }
}

/** A stable UUID per index (version 4 layout), so that a rerun updates rather than duplicates. */
function syntheticId(i: number): string {
  const hex = i.toString(16).padStart(12, '0');
  return `5c0e0000-0000-4000-8000-${hex}`;
}

function generate(databasePath: string): void {
  const database = prepareDatabase(config(databasePath));
  try {
    const places = loadPlaces(database.db);
    const vocabulary = loadVocabulary(database.db);
    const today = new Date().toISOString().slice(0, 10);
    const context = { places, vocabulary, today };
    // Every county inventoried, so that the national overview computes statuses everywhere.
    const inventories: InventoryInput[] = [...places.counties.keys()].map((code) => ({
      county: code,
      completedOn: '2023-12-31',
      source: { title: 'Syntetisk inventering' },
    }));
    const entries = syntheticResources(count, places, vocabulary);
    const started = performance.now();
    for (let stored = 0, chunkIndex = 0; stored < count; chunkIndex++) {
      const chunk: ResourceInput[] = [];
      for (let next = entries.next(); !next.done; next = entries.next()) {
        chunk.push(next.value);
        if (chunk.length === chunkSize) break;
      }
      const data = { inventories: chunkIndex === 0 ? inventories : [], resources: chunk };
      storeDataset(database, parseDataset(data, `chunk ${chunkIndex}`, context), new Date().toISOString());
      stored += chunk.length;
      if (stored % 20_000 === 0) {
        console.log(`  ${stored} stored (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
    }
  } finally {
    database.close();
  }
}

function ensureDatabase(): void {
  if (existsSync(path)) {
    const database = prepareDatabase(config(path));
    const stored = countResources(database.db);
    database.close();
    if (stored >= count) {
      console.log(`Reusing ${path} (${stored} resources).`);
      return;
    }
  }
  const building = `${path}.building`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  console.log(`Generating ${count} synthetic resources into ${path} …`);
  generate(building);
  for (const suffix of ['-wal', '-shm']) rmSync(`${building}${suffix}`, { force: true });
  renameSync(building, path);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >>> 1;
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

// tap runs every file in a directory it is given; this one measures, it does not test.
if (process.env.TAP === '1') {
  console.log('# a measurement, not a test: npx tsx test/coverage/scale.ts');
  process.exit(0);
}

ensureDatabase();
const app = await buildApp(config(path));
try {
  // CPU time beside wall time: on a shared machine the wall time includes waiting for a core.
  const time = async (url: string) => {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const response = await app.inject(url);
    const cpu = process.cpuUsage(cpuBefore);
    const ms = performance.now() - started;
    if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
    return { ms, cpuMs: (cpu.user + cpu.system) / 1000, bytes: response.rawPayload.length };
  };
  const describe = (label: string, samples: Awaited<ReturnType<typeof time>>[]) => {
    const wall = samples.map((s) => s.ms);
    console.log(
      `${label}: median ${median(wall).toFixed(1)} ms of ${samples.length} (min ${Math.min(...wall).toFixed(1)}, ` +
        `max ${Math.max(...wall).toFixed(1)}; CPU median ${median(samples.map((s) => s.cpuMs)).toFixed(1)} ms; ` +
        `${((samples[0]?.bytes ?? 0) / 1024).toFixed(0)} KiB)`,
    );
  };

  const urls = ['/v1/coverage?county=14', '/v1/coverage?county=06', '/v1/coverage/national'];
  describe('first request after start (builds the index)', [await time(urls[0] as string)]);
  for (const url of urls) {
    for (let i = 0; i < 3; i++) await time(url);
    const samples = [];
    for (let i = 0; i < 20; i++) samples.push(await time(url));
    describe(url, samples);
  }

  // A write, then the first report: what a county sees right after staff change an entry.
  const { places, vocabulary } = app;
  const context = { places, vocabulary, today: new Date().toISOString().slice(0, 10) };
  const afterWrite = [];
  for (let i = 0; i < 5; i++) {
    const entry = syntheticResources(1, places, vocabulary).next().value as ResourceInput;
    const changed = { ...entry, name: `${entry.name} (ändrad ${Date.now()})` };
    storeDataset(app.database, parseDataset([changed], 'write', context), new Date().toISOString());
    afterWrite.push(await time('/v1/coverage?county=14'));
  }
  describe('first /v1/coverage?county=14 after a write (rebuilds the index)', afterWrite);
  const memory = process.memoryUsage();
  console.log(
    `heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB, array buffers ` +
      `${(memory.arrayBuffers / 2 ** 20).toFixed(0)} MiB, rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  await app.close();
}
console.log(
  `${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
