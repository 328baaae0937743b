// The one interface between the service and its database (issue 12). Two implementations: SQLite (embedded,
// the default: src/db/sqlite/) and PostgreSQL with PostGIS (many replicas: src/db/postgres/). Nothing outside
// src/db knows which engine it talks to; features receive the part of the store they need (`OpenStore` in open.ts holds them all) and keep
// their domain logic (validation, scope checks, If-Match parsing, diffs, hashing) pure and engine-free.
//
// Design (the longer note with the reasons is docs/postgresql.md):
// - Every method is async, so that one signature fits better-sqlite3 (synchronous; its implementation just
//   returns settled promises) and node-postgres (a network round trip).
// - Writes are whole operations, not open transactions handed to callers: the store runs each in one
//   transaction, with its history entry, redaction and change record, and the caller's domain decision runs
//   inside as a synchronous callback (`decide`) that may throw a Problem to roll everything back. So "all or
//   nothing", "history in the same transaction" and "no lost update" are guarantees of the store, proven once
//   per engine, not conventions every caller must follow.
// - No lost update across replicas: a change reads the current row and its version, lets `decide` check
//   If-Match against that version, and writes with `UPDATE resources … WHERE id = $1 AND version = $2`.
//   Zero rows updated means another writer (any replica) committed first: the store throws
//   `VersionConflict` and the route answers 412. The database decides, not a process's memory.
// - Public reads are served by the in-memory read model in every replica (src/read-model), so the store's
//   read side is what that model needs: a consistent bulk load, the ids changed since a version, and a
//   notification when any replica commits. Staff reads (history, tokens) and exports read the store directly.
// - Confidential locations: the store never persists a street, postcode, city or point for a confidential
//   location (both schemas refuse it with a CHECK as well), redacts the resource's whole history in the
//   same transaction when a location becomes confidential, and afterwards removes the old row versions from
//   the tables (SQLite: secure_delete and a WAL checkpoint; PostgreSQL: VACUUM FULL of the two affected
//   tables, so that no dead tuple keeps the withdrawn address).
import type { Inventory } from '../places/repository.js';
import type { DatasetReport, ParsedDataset } from '../resources/dataset.js';
import type { HistoryAction } from '../resources/history.js';
import type { Resource } from '../resources/schemas.js';
import type { NormalizedResource } from '../resources/validation.js';

export type Engine = 'sqlite' | 'postgresql';

/** A resource as the API shows it, with the version its ETag is made of. */
export interface Versioned {
  resource: Resource;
  version: number;
}

/** Who changes what and when: recorded in the history entry of the change. */
export interface ChangeMeta {
  /** The token's name; null for imports and the seed. */
  tokenName: string | null;
  at: Date;
}

/**
 * What a committed write changed, for the read model of the process that wrote it (read-your-writes without
 * waiting for the notification): the dataset version before and after, and the resource ids written.
 */
export interface WriteReceipt {
  from: number;
  to: number;
  ids: readonly string[];
}

// --- Errors: the store's own, mapped to problems by the one error handler (src/http/problem.ts) ---

/** The database cannot be reached or failed to answer: 503 `database-unavailable`, never a 500. */
export class StoreUnavailable extends Error {
  override readonly name = 'StoreUnavailable';
}

/** Create with an id that exists: 409 `already-exists`. */
export class ResourceExists extends Error {
  override readonly name = 'ResourceExists';

  constructor(readonly id: string) {
    super(`a resource with the id '${id}' exists`);
  }
}

/** No resource has that id: 404 `not-found`. */
export class ResourceNotFound extends Error {
  override readonly name = 'ResourceNotFound';

  constructor(readonly id: string) {
    super(`no resource has the id '${id}'`);
  }
}

/** Another writer committed a newer version between the read and the write: 412 `precondition-failed`. */
export class VersionConflict extends Error {
  override readonly name = 'VersionConflict';

  constructor(
    readonly id: string,
    readonly current: number,
  ) {
    super(`the resource '${id}' is at version ${current} now`);
  }
}

/** A token name exists already (names are never reused, even revoked ones). */
export class TokenNameTaken extends Error {
  override readonly name = 'TokenNameTaken';

  constructor(readonly tokenName: string) {
    super(`a token named '${tokenName}' exists already`);
  }
}

// --- The parts of the store, one per feature; `OpenStore` (open.ts) holds them all ---

/** Municipality boundaries, read on request (the rest of the reference data is read once at start: open.ts). */
export interface BoundaryStore {
  /** A municipality's boundary (GeoJSON geometry, parsed), or undefined for an unknown code. */
  municipalityBoundary(code: string): Promise<unknown | undefined>;
}

/** Resources: the system of record behind the read model, and the staff writes. */
export interface ResourceStore {
  /** One resource with its version, or undefined. */
  getResource(id: string): Promise<Versioned | undefined>;
  /** The resources of `ids` that exist, in the order of `ids`. */
  getResources(ids: readonly string[]): Promise<Versioned[]>;
  countResources(): Promise<number>;
  /** Keyset paging in id order for exports and HSDS: up to `limit` resources with an id after `afterId`. */
  resourcesAfter(afterId: string, limit: number): Promise<Resource[]>;
  /** The latest `updatedAt` of any resource (exports' Last-Modified), null when there are none. */
  lastModified(): Promise<Date | null>;

  /**
   * Creates a resource with its history entry (`create`) in one transaction. Throws `ResourceExists` for a
   * taken id. Where a location is confidential, nothing but its municipality is stored.
   */
  createResource(
    resource: NormalizedResource,
    meta: ChangeMeta,
  ): Promise<Versioned & { receipt: WriteReceipt }>;

  /**
   * Changes a resource in one transaction: reads it and its version, calls `decide(current, version)` — the
   * domain's If-Match check (428/412), scope checks and validation, which may throw a Problem to roll back —
   * and writes what it returns with `UPDATE … WHERE id = $1 AND version = $2`. Zero rows updated (another
   * replica committed in between) throws `VersionConflict`. Records the history entry with `action`; when the
   * new version has a confidential location, redacts addresses and coordinates from the resource's whole
   * history in the same transaction, and after commit removes the old row versions (see the file's header).
   * Throws `ResourceNotFound` for an unknown id.
   */
  changeResource(
    id: string,
    action: Exclude<HistoryAction, 'create'>,
    decide: (current: Resource, version: number) => NormalizedResource,
    meta: ChangeMeta,
  ): Promise<Versioned & { receipt: WriteReceipt }>;

  /**
   * Stores a validated dataset (import, seed) in one transaction: its inventories (upserted by county and
   * date) and resources (an unchanged content hash leaves an entry and its version alone), with history
   * entries and redaction as for `changeResource`. Everything or nothing: any failure rolls all of it back.
   */
  importDataset(dataset: ParsedDataset, meta: ChangeMeta): Promise<DatasetReport & { receipt: WriteReceipt }>;

  /**
   * At start: records the present state of every resource whose current version has no history row
   * (written by plain SQL, or before every write path kept history), so that the change feed replayed from
   * its beginning ends in what the exports show. Returns how many it recorded.
   */
  recordUntrackedStates(): Promise<number>;
}

/** A row of a resource's history, already redacted: what `listHistory` turns into field diffs. */
export interface HistoryRow {
  at: string;
  action: HistoryAction;
  tokenName: string | null;
  /** The resource as the API showed it before and after, without createdAt and updatedAt; null for none. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** A change as the change feed (GET /v1/changes) lists it: a history row with its resource's createdAt. */
export interface FeedRow {
  /** The history row's id: the feed's position after this change. */
  id: number;
  at: string;
  resourceId: string;
  action: HistoryAction;
  /** The resource as the API showed it after the change, without createdAt and updatedAt (redacted). */
  after: Record<string, unknown>;
  createdAt: string;
}

export interface HistoryStore {
  /** A page of a resource's history, oldest first, and how many entries it has in all. */
  history(
    resourceId: string,
    window: { offset: number; limit: number },
  ): Promise<{ rows: HistoryRow[]; totalItems: number }>;
  /**
   * The change feed's head: the id of the newest history row, 0 when there is none. History ids follow
   * commit order for every write through the store (SQLite: one writer at a time; PostgreSQL: every history
   * row is inserted under the dataset version's row lock, held to commit), so the ids a reader sees are
   * always a prefix of those it will see later.
   */
  feedHead(): Promise<number>;
  /** Up to `limit` changes recorded after history row `after`, in id order: a page of the change feed. */
  feedAfter(after: number, limit: number): Promise<FeedRow[]>;
}

/** A stored token: never the token itself, only its SHA-256 hash (src/auth/tokens.ts hashes). */
export interface TokenRow {
  name: string;
  /** As stored: `admin` or `county:NN`. */
  scope: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface TokenStore {
  /** Stores a new token's hash. Throws `TokenNameTaken` when the name exists, revoked or not. */
  insertToken(token: { name: string; scope: string; tokenHash: string; createdAt: Date }): Promise<void>;
  /** Revokes the active token of that name; false when there is none. */
  revokeToken(name: string, at: Date): Promise<boolean>;
  /** Every token, by name, without hashes. */
  listTokens(): Promise<TokenRow[]>;
  /** The name and stored scope of the active (unrevoked) token with this hash, or undefined. */
  activeToken(tokenHash: string): Promise<{ name: string; scope: string } | undefined>;
}

export interface InventoryStore {
  /** The latest inventory of each county that has one (inventories are written by `importDataset`). */
  latestInventories(): Promise<Map<string, Inventory>>;
}

/** What the places routes read from the store: inventories and boundaries (the rest is in `app.places`). */
export type PlaceStore = InventoryStore & BoundaryStore;

/** Open Referral HSDS: the few questions its routes ask that the read model does not answer. */
export interface HsdsStore {
  /** Resource ids in id (byte) order for one page: the stable order HSDS pages are cut from. */
  serviceIds(window: { offset: number; limit: number }): Promise<string[]>;
  /** Organizations with at least one resource, by name then type (byte order). */
  organizationsWithServices(): Promise<Resource['organization'][]>;
  /** The ids of the resources an organization provides, in id (byte) order. */
  serviceIdsOfOrganization(organization: { name: string; type: string }): Promise<string[]>;
  /** How many public and confidential locations there are (HSDS counts, never addresses). */
  countLocations(): Promise<number>;
  /**
   * A page of locations in resource id and position order, each as its resource's id and its index among
   * that resource's locations (the index the public shape lists it at).
   */
  locationsPage(window: { offset: number; limit: number }): Promise<{ resourceId: string; index: number }[]>;
}

/**
 * The dataset's version and what changed: how every replica's read model follows writes made anywhere.
 * The version rises with every committed write (SQLite: triggers per row; PostgreSQL: once per transaction,
 * in commit order) and never otherwise.
 */
export interface ChangeFeed {
  /** The current dataset version. */
  datasetVersion(): Promise<number>;
  /**
   * The ids of the resources written after `version` up to the current version, which is returned too.
   * `complete` is false when the record does not reach back that far (pruned, or SQLite's in-process journal
   * missed another process's write): the reader then rebuilds from `bulkLoad` instead.
   */
  changesSince(version: number): Promise<{ version: number; ids: string[]; complete: boolean }>;
  /**
   * Calls `listener` with the new version soon after any process commits a write: on PostgreSQL from LISTEN
   * `stodkartan_dataset` on a dedicated connection (reconnecting with backoff; after a reconnect it reports
   * the current version once, since notices sent meanwhile are lost), on SQLite after this process's own
   * writes. Each replica also polls `datasetVersion` about once a second as a safety net. Returns a function
   * that stops listening.
   */
  subscribe(listener: (version: number) => void): () => void;
  /**
   * Every resource of one consistent snapshot (SQLite: one read transaction; PostgreSQL: REPEATABLE READ,
   * read only), in name order (byte order, then id), `batchSize` at a time, for building the read model;
   * `visit` may yield to the event loop between batches. Resolves with the snapshot's dataset version;
   * rejects, having ended its transaction, once `signal` is aborted.
   */
  bulkLoad(
    visit: (batch: Versioned[]) => void | Promise<void>,
    options?: { batchSize?: number; signal?: AbortSignal },
  ): Promise<{ version: number }>;
  /**
   * Calls `listener` when this process has withdrawn an address, before the store removes the old row
   * versions (SQLite: the checkpoint; PostgreSQL: VACUUM FULL, which waits for what the listener returns):
   * a `bulkLoad` under way holds a snapshot that keeps them, so its reader aborts it and loads again.
   */
  onWithdrawal(listener: () => void | Promise<void>): () => void;
}
