// The PostgreSQL schema from migrations-pg/ on a fresh database: reference data, the confidential-location
// guarantee in the schema itself, and the triggers replicas follow (version, changed ids, notification).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableConfig as pgTableConfig } from 'drizzle-orm/pg-core';
import { getTableConfig as sqliteTableConfig } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import t, { type Test } from 'tap';
import { migratePostgres, type OpenPostgres } from '../../src/db/postgres/client.js';
import * as pgSchema from '../../src/db/postgres/schema.js';
import { readReferenceData } from '../../src/db/reference-data.js';
import * as sqliteSchema from '../../src/db/schema.js';
import { projectRoot } from '../../src/paths.js';
import { insertBareResource, migratedPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

const migrated = (t: Test) => migratedPostgresDatabase(t, 2);

const one = async <R extends pg.QueryResultRow>(
  database: OpenPostgres,
  text: string,
  values: unknown[] = [],
) => (await database.pool.query<R>(text, values)).rows[0] as R;

const count = async (database: OpenPostgres, text: string) =>
  Number((await one<{ n: string }>(database, text)).n);

t.test(
  'migrations create the schema and load the reference data',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { database } = await migrated(t);
    t.equal(await count(database, 'SELECT count(*) n FROM counties'), 21);
    t.equal(await count(database, 'SELECT count(*) n FROM municipalities'), 290);
    t.equal(await count(database, "SELECT count(*) n FROM municipalities WHERE county_code = '14'"), 49);
    t.equal(await count(database, 'SELECT count(*) n FROM subregions'), 4);
    t.equal(
      await count(database, 'SELECT count(*) n FROM municipalities WHERE subregion_code IS NOT NULL'),
      49,
    );
    t.equal(await count(database, 'SELECT count(*) n FROM areas'), 4);
    t.equal(await count(database, 'SELECT count(*) n FROM roles'), 2);
    t.equal(await count(database, 'SELECT count(*) n FROM target_groups'), 5);
    t.equal(await count(database, 'SELECT count(*) n FROM kinds'), 14);
    t.equal(await count(database, 'SELECT sum(population_2016) n FROM municipalities'), 9_995_153);
    t.equal(await count(database, 'SELECT count(*) n FROM resources'), 0, 'migrating does not seed');
    t.equal(await count(database, 'SELECT version n FROM dataset_version WHERE id = 1'), 0);

    const jonkoping = readReferenceData().municipalities.find((m) => m.code === '0680');
    const seat = await one<{ lon: number; lat: number; srid: number }>(
      database,
      "SELECT ST_X(seat) lon, ST_Y(seat) lat, ST_SRID(seat) srid FROM municipalities WHERE code = '0680'",
    );
    t.same(
      seat,
      { lon: jonkoping?.seatLon, lat: jonkoping?.seatLat, srid: 4326 },
      'the seat is a WGS84 point',
    );
    const [row] = await database.db
      .select({ seat: pgSchema.municipalities.seat })
      .from(pgSchema.municipalities)
      .where((await import('drizzle-orm')).eq(pgSchema.municipalities.code, '0680'));
    t.same(row?.seat, { lon: jonkoping?.seatLon, lat: jonkoping?.seatLat }, 'drizzle reads the point back');

    await migratePostgres(database);
    t.equal(
      await count(database, 'SELECT count(*) n FROM municipalities'),
      290,
      'migrating twice changes nothing',
    );
    const journal = JSON.parse(readFileSync(join(projectRoot, 'migrations-pg/meta/_journal.json'), 'utf8'));
    t.equal(
      await count(database, 'SELECT count(*) n FROM drizzle.__drizzle_migrations'),
      journal.entries.length,
      'every migration of migrations-pg/ was applied once',
    );
  },
);

t.test(
  'a confidential location cannot hold an address or a point',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { database } = await migrated(t);
    const client = await database.pool.connect();
    t.teardown(() => client.release());
    await insertBareResource(client, 'r1');
    const insert = (columns: string, values: string) =>
      client.query(
        `INSERT INTO resource_locations (resource_id, position, visibility, municipality_code${columns})
       VALUES ('r1', 0, 'confidential', '0680'${values})`,
      );
    for (const [columns, values] of [
      [', street', ", 'Storgatan 1'"],
      [', postal_code', ", '55318'"],
      [', city', ", 'Jönköping'"],
      [', point', ", 'SRID=4326;POINT(14.16 57.78)'"],
    ] as const) {
      await t.rejects(insert(columns, values), { code: '23514' }, `refused: ${columns.slice(2)}`);
    }
    await insert('', '');
    t.equal(
      await count(database, 'SELECT count(*) n FROM resource_locations'),
      1,
      'the municipality alone is kept',
    );
    await t.rejects(
      client.query(
        "INSERT INTO resource_locations (resource_id, position, visibility, municipality_code, point) VALUES ('r1', 1, 'public', '0680', 'SRID=3006;POINT(454000 6400000)')",
      ),
      /SRID/,
      'a point in another reference system (SWEREF 99 TM) is refused',
    );
  },
);

t.test(
  'each writing transaction raises the version once, records its ids and notifies at commit',
  { skip: skipWithoutPostgres },
  async (t) => {
    const { url, database } = await migrated(t);
    const listener = new pg.Client({ connectionString: url });
    await listener.connect();
    t.teardown(() => listener.end());
    const heard: string[] = [];
    let wake: (() => void) | undefined;
    listener.on('notification', (message) => {
      heard.push(message.payload ?? '');
      wake?.();
    });
    await listener.query('LISTEN stodkartan_dataset');
    const nextNotification = async () => {
      while (heard.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return heard.shift();
    };

    const client = await database.pool.connect();
    t.teardown(() => client.release());
    await client.query('BEGIN');
    await insertBareResource(client, 'rolled-back');
    await client.query('ROLLBACK');
    t.equal(
      await count(database, 'SELECT version n FROM dataset_version'),
      0,
      'a rollback leaves the version',
    );

    await client.query('BEGIN');
    await insertBareResource(client, 'a');
    await insertBareResource(client, 'b');
    await client.query(
      "INSERT INTO resource_cells (resource_id, area, role, \"group\") VALUES ('a', 'close-relationship', 'subjected', 'women')",
    );
    await client.query(
      "INSERT INTO resource_municipalities (resource_id, municipality_code) VALUES ('b', '0680')",
    );
    await client.query('COMMIT');
    t.equal(
      await nextNotification(),
      '1',
      'the first notice is the committed write’s, none for the rollback',
    );
    t.equal(
      await count(database, 'SELECT version n FROM dataset_version'),
      1,
      'one transaction, one version',
    );
    t.same(
      (
        await database.pool.query(
          'SELECT version::int, resource_id FROM dataset_changes ORDER BY resource_id',
        )
      ).rows,
      [
        { version: 1, resource_id: 'a' },
        { version: 1, resource_id: 'b' },
      ],
    );

    await client.query("DELETE FROM resource_municipalities WHERE resource_id = 'b'");
    t.equal(await nextNotification(), '2', 'a plain statement outside the API is a version too');
    t.same((await database.pool.query('SELECT resource_id FROM dataset_changes WHERE version = 2')).rows, [
      { resource_id: 'b' },
    ]);
  },
);

t.test('the PostgreSQL schema has the tables and columns of the SQLite schema', async (t) => {
  // Where the two differ on purpose: points instead of latitude and longitude, and what replicas follow.
  const renamed: Record<string, string[]> = {
    'municipalities.seat': ['municipalities.seat_lat', 'municipalities.seat_lon'],
    'resource_locations.point': ['resource_locations.lat', 'resource_locations.lon'],
  };
  const onlyPostgres = new Set(['dataset_changes']);
  const columnsOf = (tables: string[][]) => tables.flat().sort();
  const sqliteColumns = columnsOf(
    Object.values(sqliteSchema)
      .filter(
        (value) =>
          typeof value === 'object' && value !== null && Symbol.for('drizzle:IsDrizzleTable') in value,
      )
      .map((table) => {
        const config = sqliteTableConfig(table as Parameters<typeof sqliteTableConfig>[0]);
        return config.columns.map((c) => `${config.name}.${c.name}`);
      }),
  );
  const postgresColumns = columnsOf(
    Object.values(pgSchema)
      .filter(
        (value) =>
          typeof value === 'object' && value !== null && Symbol.for('drizzle:IsDrizzleTable') in value,
      )
      .map((table) => {
        const config = pgTableConfig(table as Parameters<typeof pgTableConfig>[0]);
        if (onlyPostgres.has(config.name)) return [];
        return config.columns.flatMap(
          (c) => renamed[`${config.name}.${c.name}`] ?? [`${config.name}.${c.name}`],
        );
      }),
  );
  t.same(postgresColumns, sqliteColumns);
});
