// The PostgreSQL schema: the same tables as src/db/schema.ts (SQLite), in PostgreSQL's own types, with the
// coordinates of locations and municipality seats in PostGIS points (WGS84). Migrations in migrations-pg/
// are generated from this file with `npm run db:generate:pg -- --name verb_noun` and committed; an applied
// migration is never edited. A change to src/db/schema.ts needs the same change here (test/db/postgres-
// schema.test.ts compares the two).
//
// Deliberate differences from SQLite: booleans are `boolean`; JSON values are `jsonb`, except those the API
// shows as stored (`sources`, `opening_hours` and the history's `before` and `after`: `json`, which keeps the
// text, so their members keep the order written; `jsonb` orders them its own way); instants are
// `timestamptz` and days `date`; points are `geometry(Point,4326)` (longitude, latitude) with a GiST index
// instead of SQLite's R*Tree; there is no full-text table, since text search is served by the in-memory read
// model; and the dataset version is raised once per transaction, which also records the ids it wrote and
// notifies other replicas (migration 0002_add_change_notification, hand-written).
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  unique,
} from 'drizzle-orm/pg-core';
import { point } from './point.js';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const day = (name: string) => date(name, { mode: 'string' });

// --- Places: reference data loaded from seed/reference by the migrate step ---

export const counties = pgTable('counties', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
});

export const subregions = pgTable('subregions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  countyCode: text('county_code')
    .notNull()
    .references(() => counties.code),
});

export const municipalities = pgTable(
  'municipalities',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    officialName: text('official_name').notNull(),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    subregionCode: text('subregion_code').references(() => subregions.code),
    /** The municipality seat (public): where distances to a confidential location are measured from. */
    seat: point('seat').notNull(),
    population2016: integer('population_2016').notNull(),
    /** GeoJSON geometry (Polygon or MultiPolygon), WGS84, as text: served byte for byte as SQLite does. */
    boundary: text('boundary').notNull(),
  },
  (t) => [
    index('municipalities_county_idx').on(t.countyCode),
    index('municipalities_subregion_idx').on(t.subregionCode),
  ],
);

// --- Vocabulary ---

const vocabularyColumns = () => ({
  code: text('code').primaryKey(),
  labelSv: text('label_sv').notNull(),
  labelEn: text('label_en').notNull(),
  position: integer('position').notNull(),
});
export const areas = pgTable('areas', vocabularyColumns());
export const roles = pgTable('roles', vocabularyColumns());
export const targetGroups = pgTable('target_groups', vocabularyColumns());
export const kinds = pgTable('kinds', vocabularyColumns());

// --- Resources ---

export const organizations = pgTable(
  'organizations',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    type: text('type', { enum: ['kommun', 'region', 'ideell', 'stat', 'privat'] }).notNull(),
    organisationNumber: text('organisation_number'),
  },
  (t) => [
    unique('organizations_name_type_unique').on(t.name, t.type),
    check('organizations_type_check', sql`${t.type} IN ('kommun', 'region', 'ideell', 'stat', 'privat')`),
  ],
);

export const resources = pgTable(
  'resources',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind')
      .notNull()
      .references(() => kinds.code),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id),
    descriptionSv: text('description_sv').notNull(),
    descriptionEn: text('description_en'),
    status: text('status', { enum: ['active', 'planned', 'inactive', 'closed'] }).notNull(),
    activeFrom: day('active_from'),
    activeUntil: day('active_until'),
    forIndividuals: boolean('for_individuals').notNull(),
    forProfessionals: boolean('for_professionals').notNull(),
    national: boolean('national').notNull(),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    chat: text('chat'),
    open24h: boolean('open_24h').notNull(),
    hours: text('hours'),
    /** Opening hours (src/hours/schedule.ts `OpeningHours`); null when unknown. */
    openingHours: json('opening_hours'),
    /** ISO 639-1 codes. */
    languages: jsonb('languages').$type<string[]>().notNull().default([]),
    anonymous: boolean('anonymous'),
    withoutReferral: boolean('without_referral'),
    freeOfCharge: boolean('free_of_charge'),
    ageMin: integer('age_min'),
    ageMax: integer('age_max'),
    accessibility: text('accessibility'),
    specialCompetence: text('special_competence'),
    note: text('note'),
    sourceTitle: text('source_title').notNull(),
    sourceUrl: text('source_url'),
    /** When the main source, a web page, was seen; null for a report. */
    sourceSeen: day('source_seen'),
    /** Further sources, each naming the fact groups it supports (schemas.ts `FactSource`). */
    sources: json('sources').$type<unknown[]>().notNull().default([]),
    lastVerified: day('last_verified').notNull(),
    /** Hash of the normalised input: an unchanged re-import leaves the entry (and its version) alone. */
    contentHash: text('content_hash').notNull(),
    /**
     * Incremented on every change; the basis of the ETag. A write with If-Match is
     * `UPDATE … WHERE id = $1 AND version = $2`: no row updated means another replica saved first (412).
     */
    version: integer('version').notNull().default(1),
    createdAt: instant('created_at').notNull(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    index('resources_kind_idx').on(t.kind),
    index('resources_status_idx').on(t.status),
    index('resources_organization_idx').on(t.organizationId),
    index('resources_national_idx').on(t.national),
    index('resources_name_idx').on(t.name, t.id),
    // Every resource's id, version and update time without reading its wide row, as on SQLite.
    index('resources_version_idx').on(t.id, t.version, t.updatedAt),
    check('resources_audience_check', sql`${t.forIndividuals} OR ${t.forProfessionals}`),
    check('resources_status_check', sql`${t.status} IN ('active', 'planned', 'inactive', 'closed')`),
  ],
);

export const resourceCells = pgTable(
  'resource_cells',
  {
    resourceId: text('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    area: text('area')
      .notNull()
      .references(() => areas.code),
    role: text('role')
      .notNull()
      .references(() => roles.code),
    group: text('group')
      .notNull()
      .references(() => targetGroups.code),
  },
  (t) => [
    primaryKey({ columns: [t.resourceId, t.area, t.role, t.group] }),
    index('resource_cells_cell_idx').on(t.area, t.role, t.group),
  ],
);

/** The expanded service area of a non-national resource: one row per municipality served. */
export const resourceMunicipalities = pgTable(
  'resource_municipalities',
  {
    resourceId: text('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    municipalityCode: text('municipality_code')
      .notNull()
      .references(() => municipalities.code),
  },
  (t) => [
    primaryKey({ columns: [t.resourceId, t.municipalityCode] }),
    index('resource_municipalities_municipality_idx').on(t.municipalityCode),
  ],
);

export const resourceLocations = pgTable(
  'resource_locations',
  {
    id: serial('id').primaryKey(),
    resourceId: text('resource_id')
      .notNull()
      .references(() => resources.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    visibility: text('visibility', { enum: ['public', 'confidential'] }).notNull(),
    municipalityCode: text('municipality_code')
      .notNull()
      .references(() => municipalities.code),
    street: text('street'),
    postalCode: text('postal_code'),
    city: text('city'),
    /** A public location's coordinates; always null for a confidential one (see the check below). */
    point: point('point'),
    /** Opening hours of this place (src/hours/schedule.ts `OpeningHours`); public locations only. */
    openingHours: json('opening_hours'),
  },
  (t) => [
    index('resource_locations_resource_idx').on(t.resourceId),
    // The spatial index for nearby search in PostGIS (KNN `<->`, ST_DWithin).
    index('resource_locations_point_idx').using('gist', t.point),
    // A sheltered address must never be stored, whatever path the data takes into the database.
    check(
      'resource_locations_confidential_check',
      sql`${t.visibility} = 'public' OR (${t.street} IS NULL AND ${t.postalCode} IS NULL AND ${t.city} IS NULL AND ${t.point} IS NULL AND ${t.openingHours} IS NULL)`,
    ),
    check('resource_locations_visibility_check', sql`${t.visibility} IN ('public', 'confidential')`),
  ],
);

export const inventories = pgTable(
  'inventories',
  {
    id: serial('id').primaryKey(),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    completedOn: day('completed_on').notNull(),
    /** `complete`: an empty cell is a finding (a gap); `selection`: an empty cell is not known. */
    completeness: text('completeness', { enum: ['complete', 'selection'] })
      .notNull()
      .default('selection'),
    sourceTitle: text('source_title').notNull(),
    sourceUrl: text('source_url'),
    note: text('note'),
    /** Cell patterns (`{ area?, role?, group? }`) the source makes no finding on. */
    notAssessed: jsonb('not_assessed').$type<unknown[]>().notNull().default([]),
  },
  (t) => [
    unique('inventories_county_completed_unique').on(t.countyCode, t.completedOn),
    check('inventories_completeness_check', sql`${t.completeness} IN ('complete', 'selection')`),
  ],
);

// --- Staff access and history ---

/** Bearer tokens for writes. Only a SHA-256 hash of each token is stored. */
export const apiTokens = pgTable('api_tokens', {
  id: serial('id').primaryKey(),
  name: text('name').notNull().unique(),
  /** `admin`, or `county:NN` for one county's resources. */
  scope: text('scope').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: instant('created_at').notNull(),
  revokedAt: instant('revoked_at'),
});

/** Every change to a resource, written in the same transaction as the change. */
export const resourceHistory = pgTable(
  'resource_history',
  {
    id: serial('id').primaryKey(),
    resourceId: text('resource_id')
      .notNull()
      .references(() => resources.id),
    at: instant('at').notNull(),
    tokenName: text('token_name'),
    action: text('action', { enum: ['create', 'update', 'retire', 'verify'] }).notNull(),
    /**
     * The resource as the API showed it before and after the change, null for none. `json`, not `jsonb`
     * (migration 0010): the change feed serves `after` as written, in the API's member order, as on SQLite.
     */
    before: json('before'),
    after: json('after'),
    /** The resource's version after the change; null in rows from before the change feed (src/changes). */
    version: integer('version'),
  },
  (t) => [
    index('resource_history_resource_idx').on(t.resourceId, t.id),
    // Start-up asks whether each resource's version has a history row: answered from this index alone.
    index('resource_history_version_idx').on(t.resourceId, t.version),
    check('resource_history_action_check', sql`${t.action} IN ('create', 'update', 'retire', 'verify')`),
  ],
);

// --- Change tracking: what replicas follow ---

/**
 * One row whose version the triggers of migration 0002 raise once per transaction that writes resources,
 * their cells, service areas or locations, whatever path the write takes. Commits raise it in commit order
 * (the row stays locked until the writer commits), so a replica at version v has seen every change up to v.
 */
export const datasetVersion = pgTable(
  'dataset_version',
  {
    id: smallint('id').primaryKey(),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [check('dataset_version_single_row', sql`${t.id} = 1`)],
);

/**
 * Which resources each dataset version wrote, filled by the same triggers: a replica that hears of version
 * v (NOTIFY `stodkartan_dataset`, or by polling the version row) reloads exactly those resources. Old rows
 * are pruned; a replica further behind than the oldest row rebuilds its read model in full.
 */
export const datasetChanges = pgTable(
  'dataset_changes',
  {
    version: bigint('version', { mode: 'number' }).notNull(),
    resourceId: text('resource_id').notNull(),
    at: instant('at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.version, t.resourceId] })],
);

// --- Saved read models ---

/** Raw bytes; drizzle-orm 0.45's pg-core has no bytea column of its own. */
const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/**
 * The key saved read-model files are encrypted with (src/read-model/snapshot.ts), as on SQLite. The
 * transaction that withdraws an address deletes it (the store's redaction), so that no file saved before can
 * be read.
 */
export const readModelKey = pgTable(
  'read_model_key',
  {
    id: smallint('id').primaryKey(),
    key: bytea('key').notNull(),
  },
  (t) => [check('read_model_key_single_row', sql`${t.id} = 1`)],
);
