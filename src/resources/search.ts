// Finding resources in SQL: the staff worklist (filters that map one-to-one to SQL; it searches no text).
// The public read routes answer from the read model instead (index.ts).

import type { OpenDatabase } from '../db/client.js';
import { type Page, type Paging, pageWindow } from '../http/pagination.js';
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
  /** Open at this instant (ms since the epoch): the read model only. */
  openAt?: number;
  /** Takes a person of this age: the read model only. */
  age?: number;
  /** The folded terms of the text asked for (`queryTerms`): the read model only. */
  terms?: string[];
  /** Last verified before this date (YYYY-MM-DD): the staff worklist. */
  verifiedBefore?: string;
  /** Only entries with no phone, e-mail, website or chat: no way for a person to reach them. */
  withoutContact?: boolean;
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
function whereClause(criteria: ResourceCriteria): SqlPart {
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
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}

/** A page of resources matching the criteria (text aside), the least recently verified first. */
export function searchResources(
  database: OpenDatabase,
  criteria: ResourceCriteria,
  paging: Paging,
): Page<Resource> {
  const orderBy = 'r.last_verified, r.name, r.id';
  const where = whereClause(criteria);
  const totalItems = (
    database.sqlite
      .prepare(`SELECT count(*) AS n FROM resources r WHERE ${where.sql}`)
      .get(...where.params) as {
      n: number;
    }
  ).n;
  const { offset, totalPages } = pageWindow(paging, totalItems);
  const ids = database.sqlite
    .prepare(`SELECT r.id FROM resources r WHERE ${where.sql} ORDER BY ${orderBy} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...where.params, paging.limit, offset) as string[];
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
