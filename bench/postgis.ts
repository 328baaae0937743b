// The nearby question answered in PostGIS alone (issue 12's bench): the same page as GET /v1/resources/nearby
// (which the read model answers in memory), as one SQL statement on the PostgreSQL store's schema, so that the
// report can show both on the same data. `checkPostgisNearby` proves on the benchmark's own data that the
// statement gives the API's page: the same ids in the same order, the same totals and helplines.
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { boxAround, type Point } from '../src/places/geo.js';
import type { Places } from '../src/places/places.js';

/** One nearby question: what the API's query string says, with the municipality at the point. */
export interface NearbyQuestion {
  point: Point;
  radiusKm: number;
  /** The municipality containing the point (null outside Sweden): it decides which resources serve it. */
  municipality: string | null;
  statuses: readonly string[];
  cell: { area?: string; role?: string; group?: string };
  limit: number;
  offset: number;
}

/** What the statement answers: the API's nearby page without the documents. */
export interface NearbyPage {
  totalItems: number;
  items: { id: string; distanceKm: number | null; distanceApproximate: boolean; servesLocation: boolean }[];
  helplinesTotal: number;
  helplines: string[];
}

/** National lines listed beside the page, as src/resources/routes.ts's `maxHelplines`. */
const maxHelplines = 5;

/**
 * Resources that pass the filters: not national (the page) or national (the helplines), by status and the
 * cell (each axis given must match one of the resource's cells, as the read model's `cell:` keys do).
 */
const filtered = (national: boolean) => `r.national = ${national} AND r.status = ANY($5::text[])
    AND ($6::text IS NULL AND $7::text IS NULL AND $8::text IS NULL OR EXISTS (
      SELECT 1 FROM resource_cells c WHERE c.resource_id = r.id
        AND ($6::text IS NULL OR c.area = $6) AND ($7::text IS NULL OR c.role = $7)
        AND ($8::text IS NULL OR c."group" = $8)))`;

/**
 * The page in one statement. Candidates are the resources serving the point's municipality (however far)
 * and those with a location within the radius: a public location's own point, found through the GiST index
 * on `resource_locations.point` (`&&` the radius's box, then `ST_DWithin` on the sphere), or, for a
 * confidential location or one without coordinates, its municipality's seat (`municipalities.seat`, the
 * same box and test). Each candidate is measured to its nearest location (`ST_Distance` on the sphere, the
 * seat standing in as above) and the page is ordered as the API orders it: serving ones first, then by
 * distance rounded to 0.1 km (none last), then by name and id in byte order (the read model's order).
 * $1 lon, $2 lat, $3 radius in metres, $4 municipality, $5 statuses, $6–$8 cell, $9 limit, $10 offset,
 * $11–$14 the radius's box (min lon, min lat, max lon, max lat).
 */
export const nearbySql = `WITH here AS (
  SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography AS g,
    ST_MakeEnvelope($11, $12, $13, $14, 4326) AS box
), seats AS MATERIALIZED (
  SELECT m.code, ST_Distance(m.seat::geography, here.g, false) / 1000 AS km FROM municipalities m, here
    WHERE m.seat && here.box AND ST_DWithin(m.seat::geography, here.g, $3, false)
), near_points AS (
  SELECT l.resource_id AS id, ST_Distance(l.point::geography, here.g, false) / 1000 AS km,
      false AS approximate, l.position
    FROM resource_locations l, here
    WHERE l.point && here.box AND ST_DWithin(l.point::geography, here.g, $3, false)
  UNION ALL
  SELECT l.resource_id, s.km, true, l.position FROM resource_locations l JOIN seats s ON s.code = l.municipality_code
    WHERE l.point IS NULL AND l.municipality_code = ANY (ARRAY(SELECT code FROM seats))
), near AS (
  -- A resource with a location within the radius has its nearest location within it too.
  SELECT DISTINCT ON (id) id, km, approximate FROM near_points ORDER BY id, km, position
), serving AS (
  -- By primary key, one resource at a time (OFFSET 0 keeps the planner from a scan of every resource).
  SELECT r.id, r.name FROM resource_municipalities rm CROSS JOIN LATERAL (
      SELECT r.id, r.name FROM resources r WHERE r.id = rm.resource_id AND ${filtered(false)} OFFSET 0
    ) r
    WHERE rm.municipality_code = $4
), measured AS (
  SELECT s.id, s.name, true AS serves, nearest.km, nearest.approximate FROM serving s
    LEFT JOIN LATERAL (
      SELECT ST_Distance(coalesce(l.point, m.seat)::geography, here.g, false) / 1000 AS km,
          l.point IS NULL AS approximate
        FROM resource_locations l JOIN municipalities m ON m.code = l.municipality_code, here
        WHERE l.resource_id = s.id
        ORDER BY km, l.position LIMIT 1
    ) nearest ON true
  UNION ALL
  SELECT r.id, r.name, false, n.km, n.approximate FROM near n JOIN resources r ON r.id = n.id
    WHERE ${filtered(false)} AND NOT EXISTS (
      SELECT 1 FROM resource_municipalities rm WHERE rm.resource_id = r.id AND rm.municipality_code = $4)
), page AS (
  SELECT id, serves, km, approximate FROM measured
    ORDER BY serves DESC, floor(km * 10 + 0.5) NULLS LAST, name COLLATE "C", id COLLATE "C"
    LIMIT $9 OFFSET $10
), helplines AS (
  SELECT r.id FROM resources r WHERE ${filtered(true)}
)
SELECT
  (SELECT count(*) FROM measured)::int AS "totalItems",
  coalesce((SELECT json_agg(json_build_object('id', id, 'km', km, 'approximate', approximate,
    'serves', serves)) FROM page), '[]') AS items,
  (SELECT count(*) FROM helplines)::int AS "helplinesTotal",
  coalesce((SELECT json_agg(id) FROM (SELECT h.id FROM helplines h JOIN resources r ON r.id = h.id
    ORDER BY r.name COLLATE "C", r.id COLLATE "C" LIMIT ${maxHelplines}) first), '[]') AS helplines`;

export function nearbyParameters(q: NearbyQuestion): unknown[] {
  const box = boxAround(q.point, q.radiusKm);
  // As the read model: a hair wider than the radius's box, so that a location within the radius by
  // distance is inside it even where the box's edge rounds the other way.
  const pad = 1e-7;
  return [
    q.point.lon,
    q.point.lat,
    q.radiusKm * 1000,
    q.municipality,
    q.statuses,
    q.cell.area ?? null,
    q.cell.role ?? null,
    q.cell.group ?? null,
    q.limit,
    q.offset,
    box.minLon - pad,
    box.minLat - pad,
    box.maxLon + pad,
    box.maxLat + pad,
  ];
}

const roundKm = (km: number) => Math.round(km * 10) / 10;

export async function askNearby(pool: pg.Pool | pg.ClientBase, q: NearbyQuestion): Promise<NearbyPage> {
  const { rows } = await pool.query<{
    totalItems: number;
    items: { id: string; km: number | null; approximate: boolean | null; serves: boolean }[];
    helplinesTotal: number;
    helplines: string[];
  }>(nearbySql, nearbyParameters(q));
  const row = rows[0];
  if (!row) throw new Error('the nearby statement returned no row');
  return {
    totalItems: row.totalItems,
    items: row.items.map((i) => ({
      id: i.id,
      distanceKm: i.km === null ? null : roundKm(i.km),
      distanceApproximate: i.approximate ?? false,
      servesLocation: i.serves,
    })),
    helplinesTotal: row.helplinesTotal,
    helplines: row.helplines,
  };
}

/**
 * The question a nearby path asks (the bench's own paths: lat, lon, radiusKm and optionally page, limit,
 * status, area, role and group), with the municipality found as the API finds it.
 */
export function questionOf(path: string, places: Places): NearbyQuestion {
  const params = new URL(path, 'http://bench').searchParams;
  const number = (name: string, fallback?: number) => {
    const text = params.get(name);
    if (text === null && fallback !== undefined) return fallback;
    const value = Number(text);
    if (text === null || !Number.isFinite(value)) throw new Error(`${path}: no number in '${name}'`);
    return value;
  };
  const point = { lat: number('lat'), lon: number('lon') };
  const limit = number('limit', 20);
  const known = new Set(['lat', 'lon', 'radiusKm', 'page', 'limit', 'status', 'area', 'role', 'group']);
  for (const name of params.keys()) {
    if (!known.has(name)) throw new Error(`${path}: the PostGIS statement does not take '${name}'`);
  }
  const optional = (name: string) => params.get(name) ?? undefined;
  return {
    point,
    radiusKm: number('radiusKm', 50),
    municipality: places.municipalityAt(point)?.code ?? null,
    statuses: params.getAll('status').length > 0 ? params.getAll('status') : ['active'],
    cell: { area: optional('area'), role: optional('role'), group: optional('group') },
    limit,
    offset: (number('page', 1) - 1) * limit,
  };
}

/** The API's nearby answer reduced to what the statement answers. */
async function apiPage(app: FastifyInstance, path: string): Promise<NearbyPage> {
  const response = await app.inject(path);
  if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}`);
  const body = response.json() as {
    totalItems: number;
    items: NearbyPage['items'];
    helplinesTotal: number;
    helplines: { id: string }[];
  };
  return {
    totalItems: body.totalItems,
    items: body.items.map((i) => ({
      id: i.id,
      distanceKm: i.distanceKm,
      distanceApproximate: i.distanceApproximate,
      servesLocation: i.servesLocation,
    })),
    helplinesTotal: body.helplinesTotal,
    helplines: body.helplines.map((h) => h.id),
  };
}

/** Besides the scenarios' own paths: a cell filter, a deeper page and a wider radius. */
export const extraCheckedPaths = [
  '/v1/resources/nearby?lat=57.7089&lon=11.9746&radiusKm=50&area=close-relationship&role=subjected',
  '/v1/resources/nearby?lat=57.7089&lon=11.9746&radiusKm=50&group=girls&status=active&status=planned',
  '/v1/resources/nearby?lat=57.7089&lon=11.9746&radiusKm=50&page=3&limit=50',
  '/v1/resources/nearby?lat=59.33&lon=18.06&radiusKm=200&page=2',
  '/v1/resources/nearby?lat=67.85&lon=20.22&radiusKm=10',
];

export interface PostgisCheck {
  questions: number;
  identical: number;
  /** The first question whose answers differ, with both, shortened. */
  difference?: string;
}

/**
 * Asks the API (on the same data) and the statement each question and compares the pages: ids in order,
 * distances, approximate and serving flags, totals and helplines.
 */
export async function checkPostgisNearby(
  app: FastifyInstance,
  pool: pg.Pool,
  paths: readonly string[],
): Promise<PostgisCheck> {
  const check: PostgisCheck = { questions: 0, identical: 0 };
  for (const path of paths) {
    const expected = JSON.stringify(await apiPage(app, path));
    const actual = JSON.stringify(await askNearby(pool, questionOf(path, app.places)));
    check.questions += 1;
    if (expected === actual) check.identical += 1;
    else check.difference ??= `${path}: the API ${expected.slice(0, 400)}…, PostGIS ${actual.slice(0, 400)}…`;
  }
  return check;
}
