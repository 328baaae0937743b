// Builds the read model in a process of its own and saves it (snapshot.ts), for a large dataset: the build
// makes hundreds of megabytes of short-lived objects, and in a process of its own they are returned to the
// system when it exits instead of staying in the server's heap. Started by src/read-model/store.ts as
// `builder-process DATABASE_PATH OUTPUT FINGERPRINT` (the server's fingerprint, taken before the build);
// exits 0 once OUTPUT is written, 3 when the database has no model key (an address was withdrawn since the
// server asked for the build), 1 on any other failure, reporting only the error's code over IPC.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../db/schema.js';
import { loadPlaces } from '../places/places.js';
import { loadVocabulary } from '../vocabulary/vocabulary.js';
import { readKey, resourcesDigest, type SnapshotStamp, writeSnapshot } from './snapshot.js';
import { buildSteps } from './store.js';

const [databasePath, output, fingerprint] = process.argv.slice(2);
if (!databasePath || !output || !fingerprint) {
  process.stderr.write('usage: builder-process DATABASE_PATH OUTPUT FINGERPRINT\n');
  process.exit(2);
}
// The server gone (stopped, killed) is no reason to go on: nobody would read the model.
process.on('disconnect', () => process.exit(1));
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
  writeSnapshot(output, step.value, stamp, fingerprint);
  sqlite.close();
  process.exit(0);
} catch (error) {
  // The code only (SQLITE_BUSY, ENOSPC, …): a message may quote data, and this goes to the server's log.
  const { code, name } = error as NodeJS.ErrnoException;
  if (process.send) process.send({ failed: code ?? name }, () => process.exit(1));
  else process.exit(1);
}
