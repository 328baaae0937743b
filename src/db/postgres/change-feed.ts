// How a replica follows writes made anywhere: the ChangeFeed of src/db/store.ts on PostgreSQL. Migration
// 0002's triggers raise `dataset_version` once per writing transaction, record its resource ids in
// `dataset_changes` and NOTIFY `stodkartan_dataset` at commit. This listens on a dedicated session connection
// (a pooled one would be handed to other queries, and LISTEN does not survive a transaction-mode pooler),
// reconnects with a capped backoff when the connection is lost, and after every (re)connect reports the
// current version once, since notices sent while it was away are lost. docs/postgresql.md explains why.
import pg from 'pg';
import type { ChangeFeed, Versioned } from '../store.js';
import { type OpenPostgres, onWithdrawal } from './client.js';
import { readResources } from './resource-store.js';

export const datasetChannel = 'stodkartan_dataset';

export interface ChangeFeedOptions {
  /** The first wait before reconnecting; doubled on every failed attempt, up to `maxRetryMs`. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Shown in pg_stat_activity, so an operator can tell the listener from the pool's connections. */
  applicationName?: string;
}

type Listener = (version: number) => void;

export class PostgresChangeFeed implements ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Ends the current wait (on the connection or on the backoff) when the feed stops. */
  private interrupt: (() => void) | undefined;

  constructor(
    private readonly database: OpenPostgres,
    private readonly url: string,
    private readonly options: ChangeFeedOptions = {},
  ) {}

  async datasetVersion(): Promise<number> {
    const result = await this.database.pool.query<{ version: string }>(
      'SELECT version FROM dataset_version WHERE id = 1',
    );
    const row = result.rows[0];
    if (!row) throw new Error('dataset_version has no row: apply the migrations');
    return Number(row.version);
  }

  async changesSince(version: number): Promise<{ version: number; ids: string[]; complete: boolean }> {
    const client = await this.database.pool.connect();
    try {
      // One snapshot: the current version and the recorded changes agree.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const current = Number(
        (await client.query<{ version: string }>('SELECT version FROM dataset_version WHERE id = 1')).rows[0]
          ?.version,
      );
      if (current <= version) {
        await client.query('COMMIT');
        return { version: current, ids: [], complete: current === version };
      }
      // Every version has at least one row (a version is raised only by a written row, which records
      // itself), so the record reaches back far enough when its oldest version is at most `version + 1`.
      const oldest = (
        await client.query<{ oldest: string | null }>('SELECT min(version) AS oldest FROM dataset_changes')
      ).rows[0]?.oldest;
      const ids = (
        await client.query<{ resource_id: string }>(
          'SELECT DISTINCT resource_id FROM dataset_changes WHERE version > $1 AND version <= $2 ORDER BY resource_id',
          [version, current],
        )
      ).rows.map((row) => row.resource_id);
      await client.query('COMMIT');
      const complete = oldest !== null && oldest !== undefined && Number(oldest) <= version + 1;
      return { version: current, ids, complete };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (!this.running) {
      this.stopping = false;
      this.running = this.listen();
    }
    return () => {
      this.listeners.delete(listener);
    };
  }

  onWithdrawal(listener: () => void | Promise<void>): () => void {
    return onWithdrawal(this.database, listener);
  }

  async bulkLoad(
    visit: (batch: Versioned[]) => void | Promise<void>,
    options: { batchSize?: number; signal?: AbortSignal } = {},
  ): Promise<{ version: number }> {
    const batchSize = options.batchSize ?? 2_000;
    const client = await this.database.pool.connect();
    let broken: Error | undefined;
    try {
      // One snapshot for the version and every batch; read only, so it never waits for a writer.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const version = Number(
        (await client.query<{ version: string }>('SELECT version FROM dataset_version WHERE id = 1')).rows[0]
          ?.version,
      );
      // Name order as SQLite's BINARY collation, whatever the database's own collation.
      let last: { name: string; id: string } | undefined;
      for (;;) {
        options.signal?.throwIfAborted();
        const { rows } = last
          ? await client.query<{ id: string; name: string }>(
              `SELECT id, name FROM resources WHERE (name COLLATE "C", id COLLATE "C") > ($1, $2)
               ORDER BY name COLLATE "C", id COLLATE "C" LIMIT $3`,
              [last.name, last.id, batchSize],
            )
          : await client.query<{ id: string; name: string }>(
              'SELECT id, name FROM resources ORDER BY name COLLATE "C", id COLLATE "C" LIMIT $1',
              [batchSize],
            );
        if (rows.length === 0) break;
        await visit(
          await readResources(
            client,
            rows.map((row) => row.id),
          ),
        );
        last = rows.at(-1);
        if (rows.length < batchSize) break;
      }
      options.signal?.throwIfAborted();
      await client.query('COMMIT');
      return { version };
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        broken = rollback;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Stops listening and closes the listener's connection. */
  async close(): Promise<void> {
    this.stopping = true;
    this.interrupt?.();
    await this.running;
    this.running = undefined;
  }

  private emit(version: number): void {
    for (const listener of this.listeners) {
      try {
        listener(version);
      } catch {
        // A listener's failure is its own; the others still hear of the version.
      }
    }
  }

  /** Connect, LISTEN, report the current version, wait until the connection ends; again until stopped. */
  private async listen(): Promise<void> {
    const first = this.options.retryMs ?? 100;
    const max = this.options.maxRetryMs ?? 5_000;
    let wait = first;
    while (!this.stopping) {
      const client = new pg.Client({
        connectionString: this.url,
        application_name: this.options.applicationName ?? 'stodkartan-listener',
        connectionTimeoutMillis: 5_000,
      });
      const ended = new Promise<void>((resolve) => {
        client.on('error', () => resolve());
        client.on('end', () => resolve());
        this.interrupt = resolve;
      });
      client.on('notification', (message) => {
        if (message.channel === datasetChannel && message.payload) this.emit(Number(message.payload));
      });
      try {
        await client.connect();
        await client.query(`LISTEN ${datasetChannel}`);
        const row = (
          await client.query<{ version: string }>('SELECT version FROM dataset_version WHERE id = 1')
        ).rows[0];
        if (row) this.emit(Number(row.version));
        wait = first;
        await ended;
      } catch {
        // Connecting failed or the connection broke: wait, then try again.
      } finally {
        await client.end().catch(() => {});
      }
      if (this.stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        this.interrupt = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wait = Math.min(wait * 2, max);
    }
  }
}
