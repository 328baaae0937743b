// Places and vocabulary from PostgreSQL, read once at start: the same objects SQLite's loaders build
// (src/places/places.ts, src/vocabulary/vocabulary.ts), in the same orders (byte order, as SQLite's BINARY).
import { asc, sql } from 'drizzle-orm';
import type { Geometry } from '../../places/geo.js';
import { Places } from '../../places/places.js';
import { Vocabulary } from '../../vocabulary/vocabulary.js';
import type { PgDb } from './client.js';
import * as schema from './schema.js';

const byteOrder = (column: { name: string }) => sql.raw(`"${column.name}" COLLATE "C"`);

export async function loadPlacesPostgres(db: PgDb): Promise<Places> {
  const counties = await db.select().from(schema.counties).orderBy(byteOrder(schema.counties.code));
  const subregions = await db.select().from(schema.subregions).orderBy(byteOrder(schema.subregions.name));
  const rows = await db.select().from(schema.municipalities).orderBy(byteOrder(schema.municipalities.code));
  return new Places(
    counties,
    subregions,
    rows.map(({ seat, boundary: _boundary, ...m }) => ({ ...m, seatLat: seat.lat, seatLon: seat.lon })),
    rows.map((row): [string, Geometry] => [row.code, JSON.parse(row.boundary) as Geometry]),
  );
}

export async function loadVocabularyPostgres(db: PgDb): Promise<Vocabulary> {
  const read = (
    table: typeof schema.areas | typeof schema.roles | typeof schema.targetGroups | typeof schema.kinds,
  ) =>
    db
      .select({ code: table.code, labelSv: table.labelSv, labelEn: table.labelEn })
      .from(table as typeof schema.areas)
      .orderBy(asc(table.position));
  return new Vocabulary({
    areas: await read(schema.areas),
    roles: await read(schema.roles),
    groups: await read(schema.targetGroups),
    kinds: await read(schema.kinds),
  });
}
