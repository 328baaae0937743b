// Finding resources: filters that map one-to-one to SQL, full-text search (FTS5) and nearby search
// (R*Tree candidates, exact great-circle distances).

import type { OpenDatabase } from '../db/client.js';
import { type Page, type Paging, pageWindow } from '../http/pagination.js';
import { boxAround, distanceKm, type Point } from '../places/geo.js';
import type { Municipality, Places } from '../places/places.js';
import { getResources } from './repository.js';
import type { Resource, statuses } from './schemas.js';

export interface ResourceCriteria {
  /** Each entry is a set of municipality codes of which the service area must include one; AND-ed. */
  serves: string[][];
  kinds?: string[];
  statuses: (typeof statuses)[number][];
  national?: boolean;
  cell?: { area?: string; role?: string; group?: string };
  audience?: 'individuals' | 'professionals';
  language?: string;
  anonymous?: boolean;
  withoutReferral?: boolean;
  open24h?: boolean;
  /** An FTS5 match expression built by `textQuery`, never raw client input. */
  text?: string;
  /** Last verified before this date (YYYY-MM-DD): the staff worklist. */
  verifiedBefore?: string;
  /** Only entries with no phone, e-mail, website or chat: no way for a person to reach them. */
  withoutContact?: boolean;
}

/**
 * Turns free text into an FTS5 expression: each word (letters and digits only) becomes a quoted prefix
 * term, so quotes, `*`, `NEAR`, parentheses and the like are searched as plain text, never as syntax.
 * Returns undefined when nothing searchable remains.
 */
export function textQuery(q: string): string | undefined {
  const words = q.normalize('NFC').match(/[\p{L}\p{N}]+/gu);
  if (!words) return undefined;
  return words
    .slice(0, 16)
    .map((word) => `"${word}"*`)
    .join(' ');
}

interface SqlPart {
  sql: string;
  params: unknown[];
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

const audienceColumns = {
  individuals: 'r.for_individuals = 1',
  professionals: 'r.for_professionals = 1',
} as const;

/** The WHERE clause for a set of criteria, over `resources r`. */
export function whereClause(criteria: ResourceCriteria): SqlPart {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const anyOf of criteria.serves) {
    // Written as one IN over an index-driven union (national ones plus the place's service-area rows)
    // so that SQLite starts from the few resources serving the place, not from every active one.
    parts.push(
      `r.id IN (SELECT resource_id FROM resource_municipalities WHERE municipality_code IN (${placeholders(anyOf.length)}) UNION ALL SELECT id FROM resources WHERE national = 1)`,
    );
    params.push(...anyOf);
  }
  if (criteria.kinds?.length) {
    parts.push(`r.kind IN (${placeholders(criteria.kinds.length)})`);
    params.push(...criteria.kinds);
  }
  if (criteria.statuses.length) {
    // The unary + keeps the planner off the status index: almost every resource is active, so starting
    // from it means visiting them all.
    parts.push(`+r.status IN (${placeholders(criteria.statuses.length)})`);
    params.push(...criteria.statuses);
  }
  if (criteria.national !== undefined) {
    parts.push('r.national = ?');
    params.push(criteria.national ? 1 : 0);
  }
  const cell = criteria.cell ?? {};
  const axes = (['area', 'role', 'group'] as const).filter((axis) => cell[axis] !== undefined);
  if (axes.length > 0) {
    parts.push(
      `EXISTS (SELECT 1 FROM resource_cells c WHERE c.resource_id = r.id AND ${axes.map((a) => `c."${a}" = ?`).join(' AND ')})`,
    );
    params.push(...axes.map((a) => cell[a]));
  }
  if (criteria.audience) parts.push(audienceColumns[criteria.audience]);
  if (criteria.language) {
    parts.push('EXISTS (SELECT 1 FROM json_each(r.languages) WHERE value = ?)');
    params.push(criteria.language);
  }
  for (const [column, value] of [
    ['anonymous', criteria.anonymous],
    ['without_referral', criteria.withoutReferral],
    ['open_24h', criteria.open24h],
  ] as const) {
    if (value === undefined) continue;
    parts.push(`r.${column} = ?`);
    params.push(value ? 1 : 0);
  }
  if (criteria.verifiedBefore) {
    parts.push('r.last_verified < ?');
    params.push(criteria.verifiedBefore);
  }
  if (criteria.withoutContact) {
    parts.push('r.phone IS NULL AND r.email IS NULL AND r.website IS NULL AND r.chat IS NULL');
  }
  if (criteria.text) {
    parts.push('r.id IN (SELECT resource_id FROM resources_fts WHERE resources_fts MATCH ?)');
    params.push(criteria.text);
  }
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** Bm25 weights per FTS column (resource_id, name, description, organization): the name counts most. */
const rank = 'bm25(resources_fts, 0.0, 10.0, 1.0, 3.0)';

/** A page of resources matching the criteria: by relevance when searching text, otherwise by name. */
export function searchResources(
  database: OpenDatabase,
  criteria: ResourceCriteria,
  paging: Paging,
  order: 'name' | 'lastVerified' = 'name',
): Page<Resource> {
  const orderBy = order === 'name' ? 'r.name, r.id' : 'r.last_verified, r.name, r.id';
  const where = whereClause(criteria);
  const totalItems = (
    database.sqlite
      .prepare(`SELECT count(*) AS n FROM resources r WHERE ${where.sql}`)
      .get(...where.params) as {
      n: number;
    }
  ).n;
  const { offset, totalPages } = pageWindow(paging, totalItems);
  // The ranked page joins the matches once; the other filters go without the text condition.
  const others = criteria.text ? whereClause({ ...criteria, text: undefined }) : where;
  const ids = criteria.text
    ? (database.sqlite
        .prepare(
          `SELECT r.id FROM resources r
           JOIN (SELECT resource_id, ${rank} AS score FROM resources_fts WHERE resources_fts MATCH ?) f
             ON f.resource_id = r.id
           WHERE ${others.sql} ORDER BY f.score, ${orderBy} LIMIT ? OFFSET ?`,
        )
        .pluck()
        .all(criteria.text, ...others.params, paging.limit, offset) as string[])
    : (database.sqlite
        .prepare(`SELECT r.id FROM resources r WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
        .pluck()
        .all(...where.params, paging.limit, offset) as string[]);
  return {
    items: getResources(database.db, ids),
    page: paging.page,
    limit: paging.limit,
    totalItems,
    totalPages,
  };
}

// --- Nearby ---

export const maxRadiusKm = 1000;
/** National lines listed beside the nearby results; there are a handful, the cap is a safety net. */
const maxHelplines = 100;

export interface NearbyItem {
  id: string;
  name: string;
  distanceKm: number | null;
  distanceApproximate: boolean;
  servesLocation: boolean;
}

interface LocatedRow {
  resourceId: string;
  name: string;
  lat: number | null;
  lon: number | null;
  seatLat: number;
  seatLon: number;
}

/**
 * The order of nearby results: resources serving the asker's municipality first, each group by distance
 * (a resource without any location last in its group), then by name and id for a stable order.
 */
export function compareNearby(a: NearbyItem, b: NearbyItem): number {
  if (a.servesLocation !== b.servesLocation) return a.servesLocation ? -1 : 1;
  if (a.distanceKm !== b.distanceKm) {
    if (a.distanceKm === null) return 1;
    if (b.distanceKm === null) return -1;
    return a.distanceKm - b.distanceKm;
  }
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Distance to the nearest location; a location without coordinates counts from its municipality seat. */
function nearestLocation(
  point: Point,
  rows: LocatedRow[],
): { distanceKm: number; approximate: boolean } | null {
  let best: { distanceKm: number; approximate: boolean } | null = null;
  for (const row of rows) {
    const approximate = row.lat === null || row.lon === null;
    const at = approximate
      ? { lat: row.seatLat, lon: row.seatLon }
      : { lat: row.lat as number, lon: row.lon as number };
    const d = distanceKm(point, at);
    if (!best || d < best.distanceKm) best = { distanceKm: d, approximate };
  }
  return best;
}

export interface NearbyResult {
  municipality: Municipality | undefined;
  page: Page<Resource & Omit<NearbyItem, 'id' | 'name'>>;
  helplines: Resource[];
}

/**
 * Resources near a point: those with a location within the radius, and every resource whose service
 * area includes the municipality containing the point (however far its office), serving ones first.
 * National lines come apart, as helplines.
 */
export function nearbyResources(
  database: OpenDatabase,
  places: Places,
  criteria: ResourceCriteria,
  point: Point,
  radiusKm: number,
  paging: Paging,
): NearbyResult {
  const municipality = places.municipalityAt(point);
  const helplines =
    criteria.national === false
      ? []
      : searchResources(database, { ...criteria, national: true }, { page: 1, limit: maxHelplines }).items;
  // The distance-ranked items are regional ones; `national=true` asks for helplines only.
  const items =
    criteria.national === true ? [] : regionalNearby(database, municipality, criteria, point, radiusKm);
  const { offset, totalPages } = pageWindow(paging, items.length);
  const window = items.slice(offset, offset + paging.limit);
  const resources = getResources(
    database.db,
    window.map((item) => item.id),
  );
  return {
    municipality,
    page: {
      items: resources.map((resource, i) => {
        const { distanceKm, distanceApproximate, servesLocation } = window[i] as NearbyItem;
        return { ...resource, distanceKm, distanceApproximate, servesLocation };
      }),
      page: paging.page,
      limit: paging.limit,
      totalItems: items.length,
      totalPages,
    },
    helplines,
  };
}

/** Regional resources near the point or serving its municipality, ordered by `compareNearby`. */
function regionalNearby(
  database: OpenDatabase,
  municipality: Municipality | undefined,
  criteria: ResourceCriteria,
  point: Point,
  radiusKm: number,
): NearbyItem[] {
  const where = whereClause({ ...criteria, national: false });
  const box = boxAround(point, radiusKm);

  const locationColumns = `l.resource_id AS resourceId, r.name AS name, l.lat AS lat, l.lon AS lon,
    m.seat_lat AS seatLat, m.seat_lon AS seatLon`;
  // CROSS JOIN fixes the join order: start from the R*Tree's box, never from the resources table.
  const inBox = database.sqlite
    .prepare(
      `SELECT ${locationColumns}
       FROM location_points p
       CROSS JOIN resource_locations l ON l.id = p.id
       CROSS JOIN resources r ON r.id = l.resource_id
       CROSS JOIN municipalities m ON m.code = l.municipality_code
       WHERE p.min_lat >= ? AND p.max_lat <= ? AND p.min_lon >= ? AND p.max_lon <= ? AND ${where.sql}`,
    )
    .all(box.minLat, box.maxLat, box.minLon, box.maxLon, ...where.params) as LocatedRow[];

  const serving = new Set<string>();
  const names = new Map<string, string>();
  const rowsByResource = new Map<string, LocatedRow[]>();
  const addRow = (row: LocatedRow) => {
    const rows = rowsByResource.get(row.resourceId);
    if (rows) rows.push(row);
    else rowsByResource.set(row.resourceId, [row]);
  };
  for (const row of inBox) {
    names.set(row.resourceId, row.name);
    addRow(row);
  }
  if (municipality) {
    const servingRows = database.sqlite
      .prepare(
        `SELECT r.id, r.name FROM resources r
         WHERE r.id IN (SELECT resource_id FROM resource_municipalities WHERE municipality_code = ?) AND ${where.sql}`,
      )
      .all(municipality.code, ...where.params) as { id: string; name: string }[];
    const outside: string[] = [];
    for (const row of servingRows) {
      serving.add(row.id);
      if (!names.has(row.id)) outside.push(row.id);
      names.set(row.id, row.name);
    }
    // Serving resources whose locations lie outside the box still need their nearest location.
    if (outside.length > 0) {
      const rows = database.sqlite
        .prepare(
          `SELECT ${locationColumns}
           FROM resource_locations l
           JOIN resources r ON r.id = l.resource_id
           JOIN municipalities m ON m.code = l.municipality_code
           WHERE l.resource_id IN (SELECT value FROM json_each(?))`,
        )
        .all(JSON.stringify(outside)) as LocatedRow[];
      for (const row of rows) addRow(row);
    }
  }

  const items: NearbyItem[] = [];
  for (const [id, name] of names) {
    const nearest = nearestLocation(point, rowsByResource.get(id) ?? []);
    const servesLocation = serving.has(id);
    if (!servesLocation && (!nearest || nearest.distanceKm > radiusKm)) continue;
    items.push({
      id,
      name,
      distanceKm: nearest ? Math.round(nearest.distanceKm * 10) / 10 : null,
      distanceApproximate: nearest?.approximate ?? false,
      servesLocation,
    });
  }
  return items.sort(compareNearby);
}
