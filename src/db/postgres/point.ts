// A PostGIS point column in WGS84: `geometry(Point,4326)`. drizzle-orm's own `geometry()` column ignores
// its `type` and `srid` options in the DDL drizzle-kit generates (a bare `geometry(point)`, which takes points
// of any reference system; drizzle-orm issues 2454 and 2675, fixed only in the 1.0 beta; pull requests 2774
// and 5160 open), so this custom type states the SRID in both the column type and every value.
import { customType } from 'drizzle-orm/pg-core';

export interface LonLat {
  lon: number;
  lat: number;
}

const wkbPoint = 1;
const sridFlag = 0x20000000;

/** Reads the hex (E)WKB PostgreSQL sends for a geometry: a point's longitude and latitude. */
export function parsePoint(hex: string): LonLat {
  const bytes = Buffer.from(hex, 'hex');
  const little = bytes.readUInt8(0) === 1;
  const readUInt32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const readDouble = (at: number) => (little ? bytes.readDoubleLE(at) : bytes.readDoubleBE(at));
  const type = readUInt32(1);
  if ((type & 0xffff) !== wkbPoint) throw new Error(`not a point geometry (WKB type ${type})`);
  const at = type & sridFlag ? 9 : 5;
  return { lon: readDouble(at), lat: readDouble(at + 8) };
}

/** EWKT with the SRID, which PostGIS parses for a geometry parameter. */
export function pointText({ lon, lat }: LonLat): string {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error('a point needs finite coordinates');
  return `SRID=4326;POINT(${lon} ${lat})`;
}

export const point = customType<{ data: LonLat; driverData: string }>({
  dataType: () => 'geometry(Point,4326)',
  toDriver: pointText,
  fromDriver: parsePoint,
});
