// The PostgreSQL connection: a pool for queries and transactions, drizzle over it, the migrations of
// migrations-pg/ and the same reference data as SQLite's. Only the store (src/db/postgres/) uses this.
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { projectRoot } from '../../paths.js';
import { readReferenceData } from '../reference-data.js';
import * as schema from './schema.js';

export type PgDb = NodePgDatabase<typeof schema>;

export interface OpenPostgres {
  pool: pg.Pool;
  db: PgDb;
  close(): Promise<void>;
}

export interface PostgresOptions {
  /** Connections in the pool; each replica holds at most this many. */
  max?: number;
  /** How long a query waits for a connection from the pool before failing (a 503, not a hang). */
  connectionTimeoutMs?: number;
}

export function openPostgres(url: string, options: PostgresOptions = {}): OpenPostgres {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
    // Every instant is written and read in UTC, whatever the server's default.
    options: '-c timezone=UTC',
  });
  // An idle connection the server drops (a restart, a failover) must not crash the process: the pool
  // discards it and the next query opens a new one.
  pool.on('error', () => {});
  // The pool listens for errors only on idle connections. A checked-out one (a transaction, a bulk load)
  // whose server goes away emits 'error' with no listener, which would end the process: found by
  // test/db/replicas.test.ts stopping the server. The query under way is rejected anyway, and the next one
  // on that connection fails ("not queryable"), so the store rolls back and releases it as broken.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const db = drizzle(pool, { schema });
  return { pool, db, close: () => pool.end() };
}

const withdrawalListeners = new WeakMap<pg.Pool, Set<() => void | Promise<void>>>();

/**
 * Calls `listener` whenever this process withdraws an address, before the store's VACUUM FULL, which waits
 * for what it returns: a read model's bulk load holds a snapshot that would keep the old row versions.
 */
export function onWithdrawal(database: OpenPostgres, listener: () => void | Promise<void>): () => void {
  let listeners = withdrawalListeners.get(database.pool);
  if (!listeners) {
    listeners = new Set();
    withdrawalListeners.set(database.pool, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every withdrawal listener of `database`, and waits for them (a failing one does not stop the rest). */
export async function withdrawn(database: OpenPostgres): Promise<void> {
  await Promise.allSettled([...(withdrawalListeners.get(database.pool) ?? [])].map(async (l) => l()));
}

/** The advisory lock replicas take around migrating: any constant, the same in every replica. */
const migrationLock = 0x53_74_6f_64; // "Stod"

/**
 * Applies the migrations of migrations-pg/, then the reference data (places and vocabulary). Idempotent.
 * Replicas starting together take turns: the first migrates under a session advisory lock, the others wait
 * for it and then find nothing to do.
 */
export async function migratePostgres(database: OpenPostgres): Promise<void> {
  const lock = await database.pool.connect();
  let broken: Error | undefined;
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      // On the connection that holds the lock: a pool of one connection (a tool, a test) would otherwise wait
      // for itself until its connection timeout.
      const db = drizzle(lock, { schema });
      await migrate(db, { migrationsFolder: join(projectRoot, 'migrations-pg') });
      await loadReferenceDataPostgres(db);
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [migrationLock]).catch((error: Error) => {
        // A connection still holding the lock must not go back to the pool.
        broken = error;
      });
    }
  } finally {
    lock.release(broken);
  }
}

/** Upserts seed/reference into the places and vocabulary tables in one transaction. */
export async function loadReferenceDataPostgres(db: PgDb): Promise<void> {
  const reference = readReferenceData();
  const excluded = (column: string) => sql.raw(`excluded.${column}`);
  await db.transaction(async (tx) => {
    await tx
      .insert(schema.counties)
      .values(reference.counties)
      .onConflictDoUpdate({
        target: schema.counties.code,
        set: { name: excluded('name'), shortName: excluded('short_name') },
      });
    await tx
      .insert(schema.subregions)
      .values(reference.subregions)
      .onConflictDoUpdate({
        target: schema.subregions.code,
        set: { name: excluded('name'), countyCode: excluded('county_code') },
      });
    await tx
      .insert(schema.municipalities)
      .values(
        reference.municipalities.map(({ seatLat, seatLon, ...m }) => ({
          ...m,
          seat: { lon: seatLon, lat: seatLat },
        })),
      )
      .onConflictDoUpdate({
        target: schema.municipalities.code,
        set: {
          name: excluded('name'),
          officialName: excluded('official_name'),
          countyCode: excluded('county_code'),
          subregionCode: excluded('subregion_code'),
          seat: excluded('seat'),
          population2016: excluded('population_2016'),
          boundary: excluded('boundary'),
        },
      });
    const tables = {
      areas: schema.areas,
      roles: schema.roles,
      target_groups: schema.targetGroups,
      kinds: schema.kinds,
    };
    for (const { table, entries } of reference.vocabulary) {
      const target = tables[table];
      await tx
        .insert(target)
        .values(entries.map((e, position) => ({ code: e.code, labelSv: e.sv, labelEn: e.en, position })))
        .onConflictDoUpdate({
          target: target.code,
          set: {
            labelSv: excluded('label_sv'),
            labelEn: excluded('label_en'),
            position: excluded('position'),
          },
        });
    }
  });
}
