// Builds the read model in a process of its own and saves it beside the database (snapshot.ts), for a
// large dataset: the build makes hundreds of megabytes of short-lived objects, and in a process of its own
// they are returned to the system when it exits instead of staying in the server's heap. Started by
// src/read-model/store.ts as `builder-process DATABASE_PATH MODEL_PATH`; exits 0 once the file is in place,
// 3 when the database has no model key (an address was withdrawn since the server asked for the build).
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema.js';
import { loadPlaces } from '../places/places.js';
import { loadVocabulary } from '../vocabulary/vocabulary.js';
import { modelFingerprint, readKey, resourcesDigest, type SnapshotStamp, writeSnapshot } from './snapshot.js';
import { buildSteps } from './store.js';

const [databasePath, modelPath] = process.argv.slice(2);
if (!databasePath || !modelPath) {
  process.stderr.write('usage: builder-process DATABASE_PATH MODEL_PATH\n');
  process.exit(2);
}
try {
  const sqlite = new Database(databasePath, { readonly: true, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  // The build reads every page: a larger cache and memory-mapped reads spare most of the copying.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('mmap_size = 268435456');
  const db = drizzle(sqlite, { schema });
  const context = { places: loadPlaces(db), vocabulary: loadVocabulary(db) };
  let stamp: SnapshotStamp | undefined;
  const steps = buildSteps(sqlite, context, 5_000, () => {
    const key = readKey(sqlite);
    if (key) stamp = { key, digest: resourcesDigest(sqlite) };
  });
  let step = steps.next();
  while (!step.done) step = steps.next();
  if (!stamp) process.exit(3);
  writeSnapshot(modelPath, step.value, stamp, await modelFingerprint(sqlite));
  sqlite.close();
} catch (error) {
  // One line for the server's log; the server builds the model itself instead.
  process.stderr.write(`read-model builder: ${(error as Error).message}\n`);
  process.exit(1);
}
