// The resources' storage: write one normalised resource, read resources by id. Callers own the
// transaction around writes; finding resources is search.ts.
import type Database from 'better-sqlite3';
import { count } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { connectionOf, deleteRows, insertRow, statement, updateRow } from '../db/rows.js';
import * as schema from '../db/schema.js';
import type { OpeningHours } from '../hours/schedule.js';
import type { Cell } from '../vocabulary/vocabulary.js';
import type { FactSource, Resource } from './schemas.js';
import type { NormalizedResource } from './validation.js';

export type SaveOutcome = 'created' | 'updated' | 'unchanged';

function organizationId(db: Db, organization: NormalizedResource['organization']): number {
  // Organisations are shared across counties: an entry may fill in a missing number, never replace one.
  const row = statement(
    connectionOf(db),
    `INSERT INTO organizations (name, type, organisation_number) VALUES (?, ?, ?)
     ON CONFLICT (name, type) DO UPDATE SET organisation_number = coalesce(organisation_number, excluded.organisation_number)
     RETURNING id`,
  ).get(organization.name, organization.type, organization.organisationNumber ?? null) as { id: number };
  return row.id;
}

/** Inserts or replaces a resource with its cells, service area and locations. Call inside a transaction. */
export function saveResource(db: Db, resource: NormalizedResource, now: string): SaveOutcome {
  // Statements prepared once per connection (rows.ts): an import saves 100 000 of these.
  const sqlite = connectionOf(db);
  const existing = statement(
    sqlite,
    'SELECT content_hash AS contentHash, version FROM resources WHERE id = ?',
  ).get(resource.id) as { contentHash: string; version: number } | undefined;
  if (existing?.contentHash === resource.contentHash) return 'unchanged';

  const row = {
    name: resource.name,
    kind: resource.kind,
    organizationId: organizationId(db, resource.organization),
    descriptionSv: resource.description.sv,
    descriptionEn: resource.description.en ?? null,
    status: resource.status,
    activeFrom: resource.activeFrom ?? null,
    activeUntil: resource.activeUntil ?? null,
    forIndividuals: resource.audiences.includes('individuals'),
    forProfessionals: resource.audiences.includes('professionals'),
    national: resource.national,
    phone: resource.contact.phone ?? null,
    email: resource.contact.email ?? null,
    website: resource.contact.website ?? null,
    chat: resource.contact.chat ?? null,
    open24h: resource.open24h ?? false,
    hours: resource.hours ?? null,
    openingHours: resource.openingHours ? JSON.stringify(resource.openingHours) : null,
    languages: JSON.stringify(resource.languages ?? []),
    anonymous: resource.anonymous ?? null,
    withoutReferral: resource.withoutReferral ?? null,
    freeOfCharge: resource.freeOfCharge ?? null,
    ageMin: resource.ageMin ?? null,
    ageMax: resource.ageMax ?? null,
    accessibility: resource.accessibility ?? null,
    specialCompetence: resource.specialCompetence ?? null,
    note: resource.note ?? null,
    sourceTitle: resource.source.title,
    sourceUrl: resource.source.url ?? null,
    sourceSeen: resource.source.seen ?? null,
    sources: JSON.stringify(resource.sources ?? []),
    lastVerified: resource.lastVerified,
    contentHash: resource.contentHash,
    updatedAt: now,
  };
  if (existing) {
    updateRow(
      sqlite,
      schema.resources,
      { ...row, version: existing.version + 1 },
      { column: schema.resources.id, value: resource.id },
    );
    for (const table of [schema.resourceCells, schema.resourceMunicipalities, schema.resourceLocations]) {
      deleteRows(sqlite, table, { column: table.resourceId, value: resource.id });
    }
  } else {
    insertRow(sqlite, schema.resources, { ...row, id: resource.id, createdAt: now });
  }

  for (const cell of resource.cells)
    insertRow(sqlite, schema.resourceCells, { resourceId: resource.id, ...cell });
  for (const municipalityCode of resource.municipalityCodes) {
    insertRow(sqlite, schema.resourceMunicipalities, { resourceId: resource.id, municipalityCode });
  }
  if (resource.locations.length > 0) {
    for (const location of resource.locations.map((location, position) => ({
      resourceId: resource.id,
      position,
      visibility: location.visibility,
      municipalityCode: location.municipality,
      ...(location.visibility === 'public'
        ? {
            street: location.address?.street ?? null,
            postalCode: location.address?.postalCode ?? null,
            city: location.address?.city ?? null,
            lat: location.lat ?? null,
            lon: location.lon ?? null,
            openingHours: location.openingHours ? JSON.stringify(location.openingHours) : null,
          }
        : {}),
    }))) {
      insertRow(sqlite, schema.resourceLocations, location);
    }
  }
  return existing ? 'updated' : 'created';
}

export function countResources(db: Db): number {
  return db.select({ n: count() }).from(schema.resources).get()?.n ?? 0;
}

// --- Reading ---
//
// One way to read resources, for one id, a list of ids or every resource at once (the read model's
// build): the same statements over the four tables, each read once, rows grouped by resource id, and
// one function that assembles a Resource from them.

/**
 * A resource's own row, as `resourceSelect` names its columns: flags as 0 or 1, JSON as text, days and instants
 * as ISO strings. The PostgreSQL store selects the same shape, so that `assemble` is the one place for both.
 */
export interface ResourceRow {
  id: string;
  name: string;
  kind: string;
  status: string;
  activeFrom: string | null;
  activeUntil: string | null;
  forIndividuals: 0 | 1;
  forProfessionals: 0 | 1;
  descriptionSv: string;
  descriptionEn: string | null;
  organizationName: string;
  organizationType: string;
  organisationNumber: string | null;
  national: 0 | 1;
  phone: string | null;
  email: string | null;
  website: string | null;
  chat: string | null;
  open24h: 0 | 1;
  hours: string | null;
  openingHours: string | null;
  languages: string;
  anonymous: 0 | 1 | null;
  withoutReferral: 0 | 1 | null;
  freeOfCharge: 0 | 1 | null;
  ageMin: number | null;
  ageMax: number | null;
  accessibility: string | null;
  specialCompetence: string | null;
  note: string | null;
  sourceTitle: string;
  sourceUrl: string | null;
  sourceSeen: string | null;
  sources: string;
  lastVerified: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

const resourceSelect = `SELECT r.id, r.name, r.kind, r.status, r.active_from AS activeFrom,
  r.active_until AS activeUntil, r.for_individuals AS forIndividuals, r.for_professionals AS forProfessionals,
  r.description_sv AS descriptionSv, r.description_en AS descriptionEn, o.name AS organizationName,
  o.type AS organizationType, o.organisation_number AS organisationNumber, r.national, r.phone, r.email,
  r.website, r.chat, r.open_24h AS open24h, r.hours, r.opening_hours AS openingHours, r.languages, r.anonymous,
  r.without_referral AS withoutReferral, r.free_of_charge AS freeOfCharge, r.age_min AS ageMin,
  r.age_max AS ageMax, r.accessibility, r.special_competence AS specialCompetence, r.note,
  r.source_title AS sourceTitle, r.source_url AS sourceUrl, r.source_seen AS sourceSeen, r.sources,
  r.last_verified AS lastVerified, r.created_at AS createdAt, r.updated_at AS updatedAt, r.version
  FROM resources r JOIN organizations o ON o.id = r.organization_id`;

/** The ids bound as one JSON array parameter: any number of them, one statement. */
const idsIn = 'IN (SELECT value FROM json_each(?))';

type CellRow = [resourceId: string, area: string, role: string, group: string];
type MunicipalityRow = [resourceId: string, code: string];
export type LocationRow = [
  resourceId: string,
  visibility: 'public' | 'confidential',
  municipality: string,
  street: string | null,
  postalCode: string | null,
  city: string | null,
  lat: number | null,
  lon: number | null,
  openingHours: string | null,
];

// Cells in the order of the table's key (area, role, group), service areas by code, locations by position.
const childSelects = {
  cells: 'SELECT resource_id, area, role, "group" FROM resource_cells',
  cellsOrder: 'ORDER BY resource_id, area, role, "group"',
  municipalities: 'SELECT resource_id, municipality_code FROM resource_municipalities',
  municipalitiesOrder: 'ORDER BY resource_id, municipality_code',
  locations: `SELECT resource_id, visibility, municipality_code, street, postal_code, city, lat, lon,
    opening_hours FROM resource_locations`,
  locationsOrder: 'ORDER BY resource_id, position',
};

/** Drops null fields, for objects whose absent members are left out rather than sent as null. */
export function definedOnly<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

/** The public shape of a location. A confidential one yields its municipality and nothing else. */
export function toLocation(row: LocationRow): Resource['locations'][number] {
  const [, visibility, municipality, street, postalCode, city, lat, lon, openingHours] = row;
  if (visibility === 'confidential') return { visibility: 'confidential', municipality };
  return {
    visibility: 'public',
    municipality,
    ...(street && postalCode && city ? { address: { street, postalCode, city } } : {}),
    ...(lat !== null && lon !== null ? { lat, lon } : {}),
    ...(openingHours !== null ? { openingHours: JSON.parse(openingHours) as OpeningHours } : {}),
  };
}

const flag = (value: 0 | 1 | null): boolean | null => (value === null ? null : value === 1);

/** A resource's cells, service area and locations, grouped by resource id. */
export interface ResourceParts {
  cells: Map<string, Cell[]>;
  served: Map<string, string[]>;
  locations: Map<string, Resource['locations']>;
}

export function append<V>(map: Map<string, V[]>, key: string, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Reads the cells, service areas and locations of the resources with these ids, or of every resource.
 * Equal values are held once (cells and municipality codes repeat across resources), frozen so that no
 * caller changes one resource's cell under another.
 */
function readParts(sqlite: Database.Database, ids: string[] | undefined): ResourceParts {
  const where = ids ? ` WHERE resource_id ${idsIn} ` : ' ';
  const bind = ids ? [JSON.stringify(ids)] : [];
  const rows = <Row>(select: string, order: string) =>
    statement(sqlite, `${select}${where}${order}`)
      .raw()
      .iterate(...bind) as IterableIterator<Row>;
  const parts: ResourceParts = { cells: new Map(), served: new Map(), locations: new Map() };
  const cells = new Map<string, Cell>();
  for (const [id, area, role, group] of rows<CellRow>(childSelects.cells, childSelects.cellsOrder)) {
    const key = `${area}|${role}|${group}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = Object.freeze({ area, role, group });
      cells.set(key, cell);
    }
    append(parts.cells, id, cell);
  }
  const codes = new Map<string, string>();
  for (const [id, code] of rows<MunicipalityRow>(
    childSelects.municipalities,
    childSelects.municipalitiesOrder,
  )) {
    let shared = codes.get(code);
    if (shared === undefined) {
      shared = code;
      codes.set(code, code);
    }
    append(parts.served, id, shared);
  }
  for (const row of rows<LocationRow>(childSelects.locations, childSelects.locationsOrder)) {
    append(parts.locations, row[0], toLocation(row));
  }
  return parts;
}

/** One resource from its row and parts: the one place that gives a Resource its public shape. */
export function assemble(row: ResourceRow, parts: ResourceParts): Resource {
  const id = row.id;
  const audiences = [
    ...(row.forIndividuals === 1 ? ['individuals'] : []),
    ...(row.forProfessionals === 1 ? ['professionals'] : []),
  ];
  return {
    id,
    name: row.name,
    kind: row.kind,
    status: row.status,
    activeFrom: row.activeFrom,
    activeUntil: row.activeUntil,
    audiences,
    description: { sv: row.descriptionSv, ...definedOnly({ en: row.descriptionEn }) },
    organization: {
      name: row.organizationName,
      type: row.organizationType,
      ...definedOnly({ organisationNumber: row.organisationNumber }),
    },
    cells: parts.cells.get(id) ?? [],
    serviceArea: { national: row.national === 1, municipalities: parts.served.get(id) ?? [] },
    locations: parts.locations.get(id) ?? [],
    contact: definedOnly({ phone: row.phone, email: row.email, website: row.website, chat: row.chat }),
    open24h: row.open24h === 1,
    hours: row.hours,
    openingHours: row.openingHours === null ? null : (JSON.parse(row.openingHours) as OpeningHours),
    languages: JSON.parse(row.languages) as string[],
    anonymous: flag(row.anonymous),
    withoutReferral: flag(row.withoutReferral),
    freeOfCharge: flag(row.freeOfCharge),
    ageMin: row.ageMin,
    ageMax: row.ageMax,
    accessibility: row.accessibility,
    specialCompetence: row.specialCompetence,
    note: row.note,
    source: {
      title: row.sourceTitle,
      ...definedOnly({ url: row.sourceUrl, seen: row.sourceSeen }),
    },
    sources: JSON.parse(row.sources) as FactSource[],
    lastVerified: row.lastVerified,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export function getResource(db: Db, id: string): Resource | undefined {
  return getResources(db, [id])[0];
}

/** The resources with these ids, in the order given (ids that do not exist are skipped). */
export function getResources(db: Db, ids: string[]): Resource[] {
  return storedResources(connectionOf(db), ids).map(({ resource }) => resource);
}

/** The resources with these ids with their versions, in the order given. */
export function storedResources(
  sqlite: Database.Database,
  ids: string[],
): { resource: Resource; version: number }[] {
  if (ids.length === 0) return [];
  const parts = readParts(sqlite, ids);
  const rows = new Map(
    (
      statement(sqlite, `${resourceSelect} WHERE r.id ${idsIn}`).all(JSON.stringify(ids)) as ResourceRow[]
    ).map((row) => [row.id, row]),
  );
  return ids.flatMap((id) => {
    const row = rows.get(id);
    return row ? [{ resource: assemble(row, parts), version: row.version }] : [];
  });
}

/**
 * Every resource with its version, in name order (then id), `chunk` at a time: each table is read once,
 * and the resources' own rows a page at a time along the name index, so that a caller may yield between
 * chunks. Call inside a read transaction, so that every chunk is of one snapshot.
 */
export function* everyResource(
  sqlite: Database.Database,
  chunk: number,
): Generator<{ resource: Resource; version: number }[]> {
  const parts = readParts(sqlite, undefined);
  const first = statement(sqlite, `${resourceSelect} ORDER BY r.name, r.id LIMIT ?`);
  const next = statement(
    sqlite,
    `${resourceSelect} WHERE (r.name, r.id) > (?, ?) ORDER BY r.name, r.id LIMIT ?`,
  );
  let last: ResourceRow | undefined;
  for (;;) {
    const rows = (last ? next.all(last.name, last.id, chunk) : first.all(chunk)) as ResourceRow[];
    if (rows.length === 0) return;
    yield rows.map((row) => ({ resource: assemble(row, parts), version: row.version }));
    last = rows[rows.length - 1];
    if (rows.length < chunk) return;
  }
}
