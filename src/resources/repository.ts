// The resources' storage: write one normalised resource, read resources by id. Callers own the
// transaction around writes; finding resources is search.ts.
import { asc, count, eq, inArray } from 'drizzle-orm';
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

const r = schema.resources;
const resourceColumns = {
  id: r.id,
  name: r.name,
  kind: r.kind,
  status: r.status,
  activeFrom: r.activeFrom,
  activeUntil: r.activeUntil,
  forIndividuals: r.forIndividuals,
  forProfessionals: r.forProfessionals,
  descriptionSv: r.descriptionSv,
  descriptionEn: r.descriptionEn,
  organizationName: schema.organizations.name,
  organizationType: schema.organizations.type,
  organisationNumber: schema.organizations.organisationNumber,
  national: r.national,
  phone: r.phone,
  email: r.email,
  website: r.website,
  chat: r.chat,
  open24h: r.open24h,
  hours: r.hours,
  openingHours: r.openingHours,
  languages: r.languages,
  anonymous: r.anonymous,
  withoutReferral: r.withoutReferral,
  freeOfCharge: r.freeOfCharge,
  ageMin: r.ageMin,
  ageMax: r.ageMax,
  accessibility: r.accessibility,
  specialCompetence: r.specialCompetence,
  note: r.note,
  sourceTitle: r.sourceTitle,
  sourceUrl: r.sourceUrl,
  sourceSeen: r.sourceSeen,
  sources: r.sources,
  lastVerified: r.lastVerified,
  createdAt: r.createdAt,
  updatedAt: r.updatedAt,
};
type ResourceRow = { [K in keyof typeof resourceColumns]: (typeof resourceColumns)[K]['_']['data'] | null };

/** Drops null fields, for objects whose absent members are left out rather than sent as null. */
export function definedOnly<T extends Record<string, unknown>>(
  value: T,
): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}

type LocationRow = typeof schema.resourceLocations.$inferSelect;

/** The public shape of a location. A confidential one yields its municipality and nothing else. */
function toLocation(row: LocationRow): Resource['locations'][number] {
  if (row.visibility === 'confidential')
    return { visibility: 'confidential', municipality: row.municipalityCode };
  return {
    visibility: 'public',
    municipality: row.municipalityCode,
    ...(row.street && row.postalCode && row.city
      ? { address: { street: row.street, postalCode: row.postalCode, city: row.city } }
      : {}),
    ...(row.lat !== null && row.lon !== null ? { lat: row.lat, lon: row.lon } : {}),
  };
}

/** Reads the rows for a set of resource ids and assembles them, in the order of `ids`. */
function assemble(db: Db, rows: ResourceRow[]): Resource[] {
  const ids = rows.map((row) => row.id as string);
  if (ids.length === 0) return [];
  const cells = new Map<string, Cell[]>();
  for (const c of db
    .select()
    .from(schema.resourceCells)
    .where(inArray(schema.resourceCells.resourceId, ids))
    .all()) {
    append(cells, c.resourceId, { area: c.area, role: c.role, group: c.group });
  }
  const served = new Map<string, string[]>();
  for (const m of db
    .select()
    .from(schema.resourceMunicipalities)
    .where(inArray(schema.resourceMunicipalities.resourceId, ids))
    .orderBy(asc(schema.resourceMunicipalities.municipalityCode))
    .all()) {
    append(served, m.resourceId, m.municipalityCode);
  }
  const locations = new Map<string, Resource['locations']>();
  for (const l of db
    .select()
    .from(schema.resourceLocations)
    .where(inArray(schema.resourceLocations.resourceId, ids))
    .orderBy(asc(schema.resourceLocations.position))
    .all()) {
    append(locations, l.resourceId, toLocation(l));
  }
  return rows.map((row) => {
    const id = row.id as string;
    const audiences = [
      ...(row.forIndividuals ? ['individuals'] : []),
      ...(row.forProfessionals ? ['professionals'] : []),
    ];
    return {
      id,
      name: row.name as string,
      kind: row.kind as string,
      status: row.status as string,
      activeFrom: row.activeFrom,
      activeUntil: row.activeUntil,
      audiences,
      description: { sv: row.descriptionSv as string, ...definedOnly({ en: row.descriptionEn }) },
      organization: {
        name: row.organizationName as string,
        type: row.organizationType as string,
        ...definedOnly({ organisationNumber: row.organisationNumber }),
      },
      cells: cells.get(id) ?? [],
      serviceArea: { national: row.national === true, municipalities: served.get(id) ?? [] },
      locations: locations.get(id) ?? [],
      contact: definedOnly({ phone: row.phone, email: row.email, website: row.website, chat: row.chat }),
      open24h: row.open24h === true,
      hours: row.hours,
      openingHours: row.openingHours ? (JSON.parse(row.openingHours) as OpeningHours) : null,
      languages: JSON.parse(row.languages ?? '[]') as string[],
      anonymous: row.anonymous,
      withoutReferral: row.withoutReferral,
      freeOfCharge: row.freeOfCharge,
      ageMin: row.ageMin,
      ageMax: row.ageMax,
      accessibility: row.accessibility,
      specialCompetence: row.specialCompetence,
      note: row.note,
      source: {
        title: row.sourceTitle as string,
        ...definedOnly({ url: row.sourceUrl, seen: row.sourceSeen }),
      },
      sources: JSON.parse(row.sources ?? '[]') as FactSource[],
      lastVerified: row.lastVerified as string,
      createdAt: row.createdAt as string,
      updatedAt: row.updatedAt as string,
    };
  });
}

function append<V>(map: Map<string, V[]>, key: string, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function selectResources(db: Db) {
  return db
    .select(resourceColumns)
    .from(r)
    .innerJoin(schema.organizations, eq(schema.organizations.id, r.organizationId));
}

export function getResource(db: Db, id: string): Resource | undefined {
  const row = selectResources(db).where(eq(r.id, id)).get();
  return row ? assemble(db, [row])[0] : undefined;
}

/** The resources with these ids, in the order given (ids that do not exist are skipped). */
export function getResources(db: Db, ids: string[]): Resource[] {
  if (ids.length === 0) return [];
  const rows = new Map(
    selectResources(db)
      .where(inArray(r.id, ids))
      .all()
      .map((row) => [row.id, row]),
  );
  return assemble(
    db,
    ids.flatMap((id) => rows.get(id) ?? []),
  );
}
