// The history of every resource: what changed, when, by which token. Written in the transaction of the
// change. When a resource gains a confidential location, addresses and coordinates are scrubbed from its
// whole history: an earlier publication was a mistake, not a record to keep serving.
import { asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import { type Page, type Paging, pageWindow } from '../http/pagination.js';
import type { Resource } from './schemas.js';

export type HistoryAction = 'create' | 'update' | 'retire' | 'verify';

/** Timestamps change on every write and say nothing a reader needs in a diff. */
type Snapshot = Omit<Resource, 'createdAt' | 'updatedAt'>;

function snapshot(resource: Resource | undefined): string | null {
  if (!resource) return null;
  const { createdAt: _created, updatedAt: _updated, ...rest } = resource;
  return JSON.stringify(rest);
}

export function recordChange(
  db: Db,
  change: { resourceId: string; at: string; tokenName: string | null; action: HistoryAction },
  before: Resource | undefined,
  after: Resource,
): void {
  db.insert(schema.resourceHistory)
    .values({ ...change, before: snapshot(before), after: snapshot(after) })
    .run();
  if (after.locations.some((l) => l.visibility === 'confidential'))
    scrubLocationHistory(db, change.resourceId);
}

function withoutAddresses(json: string | null): string | null {
  if (json === null) return null;
  const value = JSON.parse(json) as Snapshot;
  value.locations = value.locations.map((l) => ({ visibility: l.visibility, municipality: l.municipality }));
  return JSON.stringify(value);
}

/**
 * Removes every address and coordinate from the resource's history, in place. Every write path that can
 * make a location confidential calls it: the API (recordChange) and dataset imports (storeDataset).
 */
export function scrubLocationHistory(db: Db, resourceId: string): void {
  const h = schema.resourceHistory;
  for (const row of db.select().from(h).where(eq(h.resourceId, resourceId)).all()) {
    db.update(h)
      .set({ before: withoutAddresses(row.before), after: withoutAddresses(row.after) })
      .where(eq(h.id, row.id))
      .run();
  }
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

export function listHistory(
  db: Db,
  resourceId: string,
  paging: Paging,
  options: { showTokenNames: boolean },
): Page<HistoryEntry> {
  const h = schema.resourceHistory;
  const totalItems = db.select({ n: count() }).from(h).where(eq(h.resourceId, resourceId)).get()?.n ?? 0;
  const { offset, totalPages } = pageWindow(paging, totalItems);
  const rows = db
    .select()
    .from(h)
    .where(eq(h.resourceId, resourceId))
    .orderBy(asc(h.id))
    .limit(paging.limit)
    .offset(offset)
    .all();
  const parse = (json: string | null) => (json === null ? null : (JSON.parse(json) as Snapshot));
  return {
    items: rows.map((row) => ({
      at: row.at,
      action: row.action,
      ...(options.showTokenNames && row.tokenName ? { token: row.tokenName } : {}),
      changes: changedFields(parse(row.before), parse(row.after)),
    })),
    page: paging.page,
    limit: paging.limit,
    totalItems,
    totalPages,
  };
}
