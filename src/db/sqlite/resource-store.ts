// Resources and their history on SQLite: the ResourceStore and HistoryStore of src/db/store.ts over the
// embedded database. The statements themselves are still those of src/resources/repository.ts and
// history.ts (the read model and the exports read through them too); this class owns what makes a write
// whole: the transaction, its history entry and redaction, the journal entry for this process's read model,
// and the checkpoint that empties the write-ahead log after an address was withdrawn.
//
// SQLite has one writer at a time and better-sqlite3 is synchronous: a change runs BEGIN IMMEDIATE, read,
// decide, write, COMMIT without yielding, so no other writer (in this process or another) comes between the
// read and the write, and `VersionConflict` cannot arise here. The methods are async only to share the
// interface with PostgreSQL.
import { count, max } from 'drizzle-orm';
import { recordWrite } from '../../read-model/journal.js';
import { storeDatasetWithReceipt } from '../../resources/dataset.js';
import { type HistoryAction, recordChange, recordUntrackedStates } from '../../resources/history.js';
import { getResources, saveResource, storedResources } from '../../resources/repository.js';
import type { Resource } from '../../resources/schemas.js';
import type { NormalizedResource } from '../../resources/validation.js';
import { forgetWithdrawnData, type OpenDatabase } from '../client.js';
import { datasetVersion } from '../dataset-version.js';
import { statement } from '../rows.js';
import * as schema from '../schema.js';
import {
  type ChangeMeta,
  type HistoryRow,
  type HistoryStore,
  ResourceExists,
  ResourceNotFound,
  type ResourceStore,
  type Versioned,
  type WriteReceipt,
} from '../store.js';

type Written = Versioned & { receipt: WriteReceipt };

export class SqliteResourceStore implements ResourceStore, HistoryStore {
  constructor(private readonly database: OpenDatabase) {}

  async getResource(id: string): Promise<Versioned | undefined> {
    return storedResources(this.database.sqlite, [id])[0];
  }

  async getResources(ids: readonly string[]): Promise<Versioned[]> {
    return storedResources(this.database.sqlite, [...ids]);
  }

  async recordUntrackedStates(): Promise<number> {
    return recordUntrackedStates(this.database);
  }

  async countResources(): Promise<number> {
    return this.database.db.select({ n: count() }).from(schema.resources).get()?.n ?? 0;
  }

  async resourcesAfter(afterId: string, limit: number): Promise<Resource[]> {
    const ids = statement(this.database.sqlite, 'SELECT id FROM resources WHERE id > ? ORDER BY id LIMIT ?')
      .pluck()
      .all(afterId, limit) as string[];
    return getResources(this.database.db, ids);
  }

  async lastModified(): Promise<Date | null> {
    const latest =
      this.database.db
        .select({ latest: max(schema.resources.updatedAt) })
        .from(schema.resources)
        .get()?.latest ?? null;
    return latest === null ? null : new Date(latest);
  }

  async createResource(resource: NormalizedResource, meta: ChangeMeta): Promise<Written> {
    const { sqlite } = this.database;
    const saved = sqlite
      .transaction(() => {
        if (storedResources(sqlite, [resource.id]).length > 0) throw new ResourceExists(resource.id);
        return this.save(resource, undefined, 'create', meta);
      })
      .immediate();
    return this.afterCommit(saved);
  }

  async changeResource(
    id: string,
    action: Exclude<HistoryAction, 'create'>,
    decide: (current: Resource, version: number) => NormalizedResource,
    meta: ChangeMeta,
  ): Promise<Written> {
    const { sqlite } = this.database;
    const saved = sqlite
      .transaction(() => {
        const [current] = storedResources(sqlite, [id]);
        if (!current) throw new ResourceNotFound(id);
        const next = decide(current.resource, current.version);
        if (next.id !== id) throw new Error(`decide returned the resource '${next.id}' for '${id}'`);
        return this.save(next, current.resource, action, meta);
      })
      .immediate();
    return this.afterCommit(saved);
  }

  async importDataset(
    dataset: Parameters<ResourceStore['importDataset']>[0],
    meta: ChangeMeta,
  ): ReturnType<ResourceStore['importDataset']> {
    return storeDatasetWithReceipt(this.database, dataset, meta.at.toISOString());
  }

  async history(
    resourceId: string,
    window: { offset: number; limit: number },
  ): Promise<{ rows: HistoryRow[]; totalItems: number }> {
    const { sqlite } = this.database;
    const { n } = statement(sqlite, 'SELECT count(*) AS n FROM resource_history WHERE resource_id = ?').get(
      resourceId,
    ) as { n: number };
    const rows = statement(
      sqlite,
      `SELECT at, action, token_name AS tokenName, before, after FROM resource_history
       WHERE resource_id = ? ORDER BY id LIMIT ? OFFSET ?`,
    ).all(resourceId, window.limit, window.offset) as {
      at: string;
      action: HistoryAction;
      tokenName: string | null;
      before: string | null;
      after: string | null;
    }[];
    const parse = (json: string | null) =>
      json === null ? null : (JSON.parse(json) as Record<string, unknown>);
    return {
      rows: rows.map((row) => ({ ...row, before: parse(row.before), after: parse(row.after) })),
      totalItems: n,
    };
  }

  /** Saves inside the caller's transaction, with its history entry and this process's journal entry. */
  private save(
    resource: NormalizedResource,
    before: Resource | undefined,
    action: HistoryAction,
    meta: ChangeMeta,
  ): Written & { scrubbed: boolean } {
    const { sqlite, db } = this.database;
    const from = datasetVersion(sqlite);
    const outcome = saveResource(db, resource, meta.at.toISOString());
    const after = storedResources(sqlite, [resource.id])[0] as Versioned;
    // A change that changes nothing (a second verification the same day, a PUT of the same entry) leaves the
    // resource and its updatedAt alone, so it is no change in the history or the feed either.
    const scrubbed =
      outcome !== 'unchanged' &&
      recordChange(
        db,
        { resourceId: resource.id, at: meta.at.toISOString(), tokenName: meta.tokenName, action },
        before,
        after.resource,
      );
    // Inside the transaction: no other writer can come between these two versions.
    const receipt = { from, to: datasetVersion(sqlite), ids: [resource.id] };
    recordWrite(sqlite, receipt);
    return { ...after, receipt, scrubbed };
  }

  /** Where a change scrubbed an address from the history, the log's old frames are emptied too. */
  private afterCommit({ scrubbed, ...saved }: Written & { scrubbed: boolean }): Written {
    if (scrubbed) forgetWithdrawnData(this.database);
    return saved;
  }
}
