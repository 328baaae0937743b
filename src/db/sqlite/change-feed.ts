// How a read model follows writes on SQLite: the ChangeFeed of src/db/store.ts over the embedded database.
// The version is the `dataset_version` row the triggers of migration 0003 raise; what changed is this
// process's journal (src/read-model/journal.ts), which every write path of this process fills. A write by
// another process on the same file (a second server, `npm run db:import`) raises the version without a
// journal entry: `changesSince` then says the record is incomplete and the reader rebuilds from `bulkLoad`.
// There is no notification between processes on SQLite: `subscribe` hears of this process's writes, and the
// reader's one-second poll of `datasetVersion` finds the others'.
import Database from 'better-sqlite3';
import { journalSince, onRecordedWrite } from '../../read-model/journal.js';
import { everyResource } from '../../resources/repository.js';
import { type OpenDatabase, onWithdrawal } from '../client.js';
import { datasetVersion } from '../dataset-version.js';
import type { ChangeFeed, Versioned } from '../store.js';

export class SqliteChangeFeed implements ChangeFeed {
  /**
   * @param path the database file, for `bulkLoad`'s own connection (a read transaction held open across
   *   turns of the event loop on the main one would hold every write of this process with it); ':memory:'
   *   loads on the main connection without yielding
   */
  constructor(
    private readonly database: OpenDatabase,
    private readonly path: string,
  ) {}

  async datasetVersion(): Promise<number> {
    return datasetVersion(this.database.sqlite);
  }

  async changesSince(version: number): Promise<{ version: number; ids: string[]; complete: boolean }> {
    const current = datasetVersion(this.database.sqlite);
    if (current <= version) return { version: current, ids: [], complete: current === version };
    const { ids, complete } = journalSince(this.database.sqlite, version, current);
    return { version: current, ids: [...ids].sort(), complete };
  }

  subscribe(listener: (version: number) => void): () => void {
    return onRecordedWrite(this.database.sqlite, listener);
  }

  onWithdrawal(listener: () => void | Promise<void>): () => void {
    return onWithdrawal(this.database, () => void listener());
  }

  async bulkLoad(
    visit: (batch: Versioned[]) => void | Promise<void>,
    options: { batchSize?: number; signal?: AbortSignal } = {},
  ): Promise<{ version: number }> {
    const batchSize = options.batchSize ?? 2_000;
    const inMemory = this.path === ':memory:';
    const sqlite = inMemory
      ? this.database.sqlite
      : new Database(this.path, { readonly: true, fileMustExist: true });
    try {
      if (inMemory) {
        // One synchronous pass: nothing else runs on the connection while the read transaction is open.
        const batches: Versioned[][] = [];
        const version = sqlite.transaction(() => {
          batches.push(...everyResource(sqlite, batchSize));
          return datasetVersion(sqlite);
        })();
        for (const batch of batches) await visit(batch);
        return { version };
      }
      sqlite.pragma('busy_timeout = 5000');
      sqlite.exec('BEGIN');
      try {
        const version = datasetVersion(sqlite);
        for (const batch of everyResource(sqlite, batchSize)) {
          options.signal?.throwIfAborted();
          await visit(batch);
        }
        options.signal?.throwIfAborted();
        return { version };
      } finally {
        sqlite.exec('COMMIT');
      }
    } finally {
      if (!inMemory) sqlite.close();
    }
  }
}
