// The change feed: every recorded change to a resource, oldest first, read from the history table through
// the store (`HistoryStore.feedHead`, `feedAfter`).
//
// Why a cursor handed out once never skips a change committed later (no gaps under concurrent writes): the
// cursor is the id of a history row, and every write path (API, import, seed, the start-up catch-up) inserts
// its rows inside the transaction of the change, with ids handed out in commit order. SQLite has one writer at
// a time: a write transaction holds the write lock from its first write (BEGIN IMMEDIATE for the API) to its
// commit, and ids are handed out under that lock in increasing order (AUTOINCREMENT never reuses one that was
// committed). PostgreSQL's sequences are not transactional, but every history row the store writes is
// inserted after its transaction took the dataset version's row lock, held to commit, so there too a
// transaction's ids are above those of every transaction that committed before it and below those of every
// one that commits after (a history row inserted from outside the store would not be; test/db/feed-store.test.ts
// holds a writer between its insert and its commit). So a reader (any connection, any process, any replica)
// sees every committed change up to some id and none after it: the visible ids are always a prefix. A row a
// reader cannot see yet will get an id above every id it saw, so `after=<cursor>` finds it later. A
// rolled-back transaction's ids were never visible, so skipping or reusing them skips nothing.
import { createHash } from 'node:crypto';
import type { HistoryStore } from '../db/store.js';
import { badRequest } from '../http/problem.js';
import type { HistoryAction } from '../resources/history.js';

/** Bump when the layout of a feed page changes, so that an ETag a client holds no longer matches. */
const feedRevision = 1;

/** The feed's position after the change recorded in history row `id`; 0 is the beginning. */
export const cursorOf = (id: number) => Buffer.from(`v1:${id}`).toString('base64url');

/** The history id a cursor stands for; a 400 naming the parameter for anything the feed did not hand out. */
export function positionOf(cursor: string, head: number): number {
  const match = /^v1:(0|[1-9][0-9]{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
  const position = match ? Number(match[1]) : Number.NaN;
  if (!match || cursorOf(position) !== cursor) {
    throw badRequest('invalid-cursor', `'after' is not a cursor this feed handed out.`, [
      {
        in: 'query',
        name: 'after',
        reason: 'must be a cursor from a feed entry, `next`, or a Changes-Cursor header',
      },
    ]);
  }
  // Past the newest change: not from this database (a restored backup, another instance). Following it
  // would silently skip whatever is recorded under those ids later.
  if (position > head) {
    throw badRequest('unknown-cursor', `'after' is ahead of the newest change in this feed.`, [
      {
        in: 'query',
        name: 'after',
        reason: 'points past the newest change: start again from an export or from the beginning',
      },
    ]);
  }
  return position;
}

/** The cursor of the newest change: an export read after it holds every change up to it. */
export const currentCursor = async (history: HistoryStore) => cursorOf(await history.feedHead());

/**
 * The ETag of a page: what the page is asked for and the newest change. Every write that changes an earlier
 * entry (withdrawing an address scrubs the history) records a change of its own, so the head moves with it.
 */
export function feedEtag(after: number, limit: number, head: number): string {
  const digest = createHash('sha256')
    .update(`${feedRevision}\n${after}\n${limit}\n${head}`)
    .digest('base64url')
    .slice(0, 27);
  return `"${digest}"`;
}

export interface FeedEntry {
  cursor: string;
  at: string;
  resourceId: string;
  action: HistoryAction;
  /** The resource as GET /v1/resources/{id} showed it after the change. */
  resource: Record<string, unknown>;
}

/**
 * Up to `limit` changes after `position`, oldest first, and whether more follow. A row's snapshot leaves out
 * the timestamps (history.ts); they are put back as the API showed them: `createdAt` never changes after the
 * resource is created, and `updatedAt` is the time of the change, which every write path records as both.
 */
export async function readFeed(
  history: HistoryStore,
  position: number,
  limit: number,
): Promise<{ entries: FeedEntry[]; more: boolean }> {
  const rows = await history.feedAfter(position, limit + 1);
  const entries = rows.slice(0, limit).map((row) => ({
    cursor: cursorOf(row.id),
    at: row.at,
    resourceId: row.resourceId,
    action: row.action,
    resource: { ...row.after, createdAt: row.createdAt, updatedAt: row.at },
  }));
  return { entries, more: rows.length > limit };
}

/** A page as JSON text, the resources in the key order the API and the exports give them. */
export function feedPageJson(page: { entries: FeedEntry[]; next: string; more: boolean }): string {
  return JSON.stringify({ items: page.entries, next: page.next, hasMore: page.more });
}
