// The history of every resource: what changed, when, by which token, whatever path wrote it (API, import,
// seed). Written in the transaction of the change; the change feed (src/changes) reads the same rows. When a
// resource gains a confidential location, addresses and coordinates are scrubbed from its whole history: an
// earlier publication was a mistake, not a record to keep serving.
import type { Db, OpenDatabase } from '../db/client.js';
import { connectionOf, statement } from '../db/rows.js';
import type { HistoryStore } from '../db/store.js';
import { type Page, type Paging, pageWindow } from '../http/pagination.js';
import { getResources } from './repository.js';
import type { Resource } from './schemas.js';

export type HistoryAction = 'create' | 'update' | 'retire' | 'verify';

/** Timestamps change on every write and say nothing a reader needs in a diff. */
export type Snapshot = Omit<Resource, 'createdAt' | 'updatedAt'>;

export function snapshot(resource: Resource | undefined): string | null {
  if (!resource) return null;
  const { createdAt: _created, updatedAt: _updated, ...rest } = resource;
  return JSON.stringify(rest);
}

export interface RecordedChange {
  resourceId: string;
  at: string;
  tokenName: string | null;
  action: HistoryAction;
}

/**
 * Writes one history row: the change and the resource's version after it. Call inside the change's
 * transaction, after the resource was saved. Prepared once per connection: an import writes many.
 */
function insertHistoryRow(db: Db, change: RecordedChange, before: string | null, after: string): void {
  statement(
    connectionOf(db),
    `INSERT INTO resource_history (resource_id, at, token_name, action, before, after, version)
     VALUES (?, ?, ?, ?, ?, ?, (SELECT version FROM resources WHERE id = ?))`,
  ).run(change.resourceId, change.at, change.tokenName, change.action, before, after, change.resourceId);
}

/**
 * Records a change in the history; where the resource now has a confidential location, scrubs its history.
 * Says whether an address or coordinate left the history: then the caller empties the write-ahead log too.
 */
export function recordChange(
  db: Db,
  change: RecordedChange,
  before: Resource | undefined,
  after: Resource,
): boolean {
  insertHistoryRow(db, change, snapshot(before), snapshot(after) as string);
  return (
    after.locations.some((l) => l.visibility === 'confidential') &&
    scrubLocationHistory(db, change.resourceId)
  );
}

/**
 * Records the present state of every resource whose current version has no history row: resources written
 * before every write path kept history (seeds and imports did not), or by hand in SQL. Run at start, so
 * that the change feed replayed from its beginning ends in exactly what the exports show.
 */
export function recordUntrackedStates(database: OpenDatabase): number {
  const untracked = database.sqlite
    .prepare<[], string>(
      `SELECT id FROM resources r WHERE NOT EXISTS
         (SELECT 1 FROM resource_history h WHERE h.resource_id = r.id AND h.version = r.version)
       ORDER BY id`,
    )
    .pluck()
    .all();
  if (untracked.length === 0) return 0;
  const lastSnapshot = database.sqlite
    .prepare<[string], string | null>(
      'SELECT after FROM resource_history WHERE resource_id = ? ORDER BY id DESC LIMIT 1',
    )
    .pluck();
  database.sqlite
    .transaction(() => {
      for (let i = 0; i < untracked.length; i += 500) {
        for (const resource of getResources(database.db, untracked.slice(i, i + 500))) {
          const before = lastSnapshot.get(resource.id);
          insertHistoryRow(
            database.db,
            {
              resourceId: resource.id,
              at: resource.updatedAt,
              tokenName: null,
              action: before === undefined ? 'create' : 'update',
            },
            before ?? null,
            snapshot(resource) as string,
          );
        }
      }
      // IMMEDIATE: it reads before it writes, and a deferred upgrade fails at once when another process wrote.
    })
    .immediate();
  return untracked.length;
}

function withoutAddresses(json: string | null): string | null {
  if (json === null) return null;
  const value = JSON.parse(json) as Snapshot;
  value.locations = value.locations.map((l) => ({ visibility: l.visibility, municipality: l.municipality }));
  return JSON.stringify(value);
}

/**
 * A snapshot without the addresses, coordinates and hours of its locations, or undefined when it holds none
 * of them: for a store whose snapshots are values, not text (PostgreSQL's jsonb), the same rule as
 * `withoutAddresses`.
 */
export function redactedSnapshot(value: Snapshot | null): Snapshot | undefined {
  if (value === null) return undefined;
  const bare = (location: object) =>
    Object.keys(location).every((key) => key === 'visibility' || key === 'municipality');
  if (value.locations.every(bare)) return undefined;
  return {
    ...value,
    locations: value.locations.map((l) => ({ visibility: l.visibility, municipality: l.municipality })),
  };
}

/**
 * Removes every address and coordinate from the resource's history, in place, except from its newest
 * snapshot: that is the resource as the API shows it now, whose public locations are public, and the change
 * feed's last word on the resource. Every write path that can make a location confidential calls it through
 * recordChange, after recording its change. Says whether it removed anything; if it did, it also drops the
 * key of saved read models.
 */
export function scrubLocationHistory(db: Db, resourceId: string): boolean {
  const sqlite = connectionOf(db);
  const rows = statement(
    sqlite,
    'SELECT id, before, after FROM resource_history WHERE resource_id = ? ORDER BY id',
  ).all(resourceId) as { id: number; before: string | null; after: string | null }[];
  const update = statement(sqlite, 'UPDATE resource_history SET before = ?, after = ? WHERE id = ?');
  let scrubbed = false;
  rows.forEach((row, i) => {
    const before = withoutAddresses(row.before);
    const after = i === rows.length - 1 ? row.after : withoutAddresses(row.after);
    // Only rows that held an address are written: a shelter confidential for years costs no rewrite.
    if (before === row.before && after === row.after) return;
    update.run(before, after, row.id);
    scrubbed = true;
  });
  // Saved read models were built with the address too: dropping their key makes every one unreadable
  // (src/read-model/snapshot.ts), whichever process saved it and whenever.
  if (scrubbed) statement(sqlite, 'DELETE FROM read_model_key').run();
  return scrubbed;
}

export interface HistoryEntry {
  at: string;
  action: HistoryAction;
  token?: string;
  changes: { field: string; before: unknown; after: unknown }[];
}

/** The top-level fields whose values differ between two snapshots. */
export function changedFields(before: Snapshot | null, after: Snapshot | null): HistoryEntry['changes'] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changes: HistoryEntry['changes'] = [];
  for (const field of [...fields].sort()) {
    const was = (before as Record<string, unknown> | null)?.[field] ?? null;
    const is = (after as Record<string, unknown> | null)?.[field] ?? null;
    if (JSON.stringify(was) !== JSON.stringify(is)) changes.push({ field, before: was, after: is });
  }
  return changes;
}

/** A page of a resource's history as field diffs, oldest first; the store reads the (redacted) rows. */
export async function listHistory(
  store: HistoryStore,
  resourceId: string,
  paging: Paging,
  options: { showTokenNames: boolean },
): Promise<Page<HistoryEntry>> {
  const { rows, totalItems } = await store.history(resourceId, {
    offset: (paging.page - 1) * paging.limit,
    limit: paging.limit,
  });
  // After the read, as before the store: a page past the last is a 400 however many rows there are.
  const { totalPages } = pageWindow(paging, totalItems);
  return {
    items: rows.map((row) => ({
      at: row.at,
      action: row.action,
      ...(options.showTokenNames && row.tokenName ? { token: row.tokenName } : {}),
      changes: changedFields(row.before as Snapshot | null, row.after as Snapshot | null),
    })),
    page: paging.page,
    limit: paging.limit,
    totalItems,
    totalPages,
  };
}
