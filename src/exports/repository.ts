// What the exports read, through the store interface (src/db/store.ts): a version of the whole dataset (for
// ETag and Last-Modified) and every resource in id order, a batch at a time.
import { createHash } from 'node:crypto';
import type { ChangeFeed, ResourceStore } from '../db/store.js';
import type { Resource } from '../resources/schemas.js';

export interface DatasetVersion {
  /** A strong ETag, quoted. */
  etag: string;
  /** The latest change to any resource; null when there are none. */
  lastModified: Date | null;
}

/**
 * The export's version: the dataset's change counter (raised by triggers on every write, on both engines)
 * with `representation`, the export format and its revision, so that a changed layout also changes the
 * ETag. Last-Modified is the latest update of any resource.
 */
export async function exportVersion(
  feed: Pick<ChangeFeed, 'datasetVersion'>,
  resources: Pick<ResourceStore, 'lastModified'>,
  representation: string,
): Promise<DatasetVersion> {
  const digest = createHash('sha256')
    .update(`${representation}\n${await feed.datasetVersion()}`)
    .digest('base64url')
    .slice(0, 27);
  return { etag: `"${digest}"`, lastModified: await resources.lastModified() };
}

export const exportBatchSize = 500;

/**
 * Every resource in id (byte) order, `batchSize` at a time, through the same reader as /v1/resources/{id}.
 *
 * Each batch is read to completion before it is yielded (keyset paging on the id): nothing is held open in
 * the database while a slow client downloads (on SQLite, an open `.iterate()` would make every write in the
 * meantime fail with "This database connection is busy executing a query").
 */
export async function* resourcesInIdOrder(
  resources: Pick<ResourceStore, 'resourcesAfter'>,
  batchSize = exportBatchSize,
): AsyncGenerator<Resource[]> {
  let after = '';
  for (;;) {
    const batch = await resources.resourcesAfter(after, batchSize);
    const last = batch.at(-1);
    if (last === undefined) return;
    yield batch;
    if (batch.length < batchSize) return;
    after = last.id;
  }
}
