// What the exports read: a version of the whole dataset (for ETag and Last-Modified) and every resource in
// id order, a batch at a time.
import { createHash } from 'node:crypto';
import { asc, gt, max } from 'drizzle-orm';
import type { Db, OpenDatabase } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import * as schema from '../db/schema.js';
import { getResources } from '../resources/repository.js';
import type { Resource } from '../resources/schemas.js';

export interface DatasetVersion {
  /** A strong ETag, quoted. */
  etag: string;
  /** The latest change to any resource; null when there are none. */
  lastModified: Date | null;
}

const r = schema.resources;

/**
 * The export's version: the dataset's change counter (src/db/dataset-version.ts, raised by triggers on
 * every write) with `representation`, the export format and its revision, so that a changed layout also
 * changes the ETag. Last-Modified is the latest update of any resource.
 */
export function exportVersion(database: OpenDatabase, representation: string): DatasetVersion {
  const digest = createHash('sha256')
    .update(`${representation}\n${datasetVersion(database.sqlite)}`)
    .digest('base64url')
    .slice(0, 27);
  const latest =
    database.db
      .select({ latest: max(r.updatedAt) })
      .from(r)
      .get()?.latest ?? null;
  return { etag: `"${digest}"`, lastModified: latest === null ? null : new Date(latest) };
}

export const exportBatchSize = 500;

/**
 * Every resource in id order, `batchSize` at a time, through the same reader as /v1/resources/{id}.
 *
 * Each batch is read to completion before it is yielded (keyset paging on the id). A better-sqlite3
 * `.iterate()` held open while a slow client downloads would keep the shared connection busy and make
 * every write in the meantime fail with "This database connection is busy executing a query".
 */
export function* resourcesInIdOrder(db: Db, batchSize = exportBatchSize): Generator<Resource[]> {
  let after = '';
  for (;;) {
    const ids = db
      .select({ id: r.id })
      .from(r)
      .where(gt(r.id, after))
      .orderBy(asc(r.id))
      .limit(batchSize)
      .all()
      .map((row) => row.id);
    const last = ids.at(-1);
    if (last === undefined) return;
    yield getResources(db, ids);
    if (ids.length < batchSize) return;
    after = last;
  }
}
