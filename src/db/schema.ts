// The single source of truth for the database. Migrations in migrations/ are generated from this file
// with `npm run db:generate -- --name verb_noun` and committed; an applied migration is never edited.
import { sql } from 'drizzle-orm';
import {
  blob,
  check,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  unique,
} from 'drizzle-orm/sqlite-core';

// --- Places: reference data loaded from seed/reference by the migrate step ---

export const counties = sqliteTable('counties', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
});

export const subregions = sqliteTable('subregions', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  countyCode: text('county_code')
    .notNull()
    .references(() => counties.code),
});

export const municipalities = sqliteTable(
  'municipalities',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    officialName: text('official_name').notNull(),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    subregionCode: text('subregion_code').references(() => subregions.code),
    seatLat: real('seat_lat').notNull(),
    seatLon: real('seat_lon').notNull(),
    population2016: integer('population_2016').notNull(),
    /** GeoJSON geometry (Polygon or MultiPolygon), WGS84. */
    boundary: text('boundary').notNull(),
  },
  (t) => [
    index('municipalities_county_idx').on(t.countyCode),
    index('municipalities_subregion_idx').on(t.subregionCode),
  ],
);

// --- Vocabulary: the matrix axes and the resource kinds, each a code with Swedish and English labels ---

const vocabularyColumns = {
  code: text('code').primaryKey(),
  labelSv: text('label_sv').notNull(),
  labelEn: text('label_en').notNull(),
  position: integer('position').notNull(),
};
export const areas = sqliteTable('areas', vocabularyColumns);
export const roles = sqliteTable('roles', vocabularyColumns);
export const targetGroups = sqliteTable('target_groups', vocabularyColumns);
export const kinds = sqliteTable('kinds', vocabularyColumns);

// --- Resources ---

export const organizations = sqliteTable(
  'organizations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    type: text('type', { enum: ['kommun', 'region', 'ideell', 'stat', 'privat'] }).notNull(),
    organisationNumber: text('organisation_number'),
  },
  (t) => [unique('organizations_name_type_unique').on(t.name, t.type)],
);

export const resources = sqliteTable(
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
    activeFrom: text('active_from'),
    activeUntil: text('active_until'),
    forIndividuals: integer('for_individuals', { mode: 'boolean' }).notNull(),
    forProfessionals: integer('for_professionals', { mode: 'boolean' }).notNull(),
    national: integer('national', { mode: 'boolean' }).notNull(),
    phone: text('phone'),
    email: text('email'),
    website: text('website'),
    chat: text('chat'),
    open24h: integer('open_24h', { mode: 'boolean' }).notNull(),
    hours: text('hours'),
    /** JSON opening hours (src/hours/schedule.ts `OpeningHours`); null when unknown. */
    openingHours: text('opening_hours'),
    /** JSON array of ISO 639-1 codes. */
    languages: text('languages').notNull().default('[]'),
    anonymous: integer('anonymous', { mode: 'boolean' }),
    withoutReferral: integer('without_referral', { mode: 'boolean' }),
    freeOfCharge: integer('free_of_charge', { mode: 'boolean' }),
    ageMin: integer('age_min'),
    ageMax: integer('age_max'),
    accessibility: text('accessibility'),
    specialCompetence: text('special_competence'),
    note: text('note'),
    sourceTitle: text('source_title').notNull(),
    sourceUrl: text('source_url'),
    /** When the main source, a web page, was seen (YYYY-MM-DD); null for a report. */
    sourceSeen: text('source_seen'),
    /** JSON array of further sources, each naming the fact groups it supports (schemas.ts `FactSource`). */
    sources: text('sources').notNull().default('[]'),
    lastVerified: text('last_verified').notNull(),
    /** Hash of the normalised input: an unchanged re-import leaves the entry (and its version) alone. */
    contentHash: text('content_hash').notNull(),
    /** Incremented on every change; the basis of the ETag. */
    version: integer('version').notNull().default(1),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    index('resources_kind_idx').on(t.kind),
    index('resources_status_idx').on(t.status),
    index('resources_organization_idx').on(t.organizationId),
    // National lines are a handful among many: searches add them to every place's candidates.
    index('resources_national_idx').on(t.national),
    // Lists are ordered by name; the index lets a page stop after its rows instead of sorting them all.
    index('resources_name_idx').on(t.name, t.id),
    // Every resource's id, version and update time without reading its row (rows are wide): start-up reads
    // them all twice (recordUntrackedStates, and the digest a saved read model is checked against).
    index('resources_version_idx').on(t.id, t.version, t.updatedAt),
    check('resources_audience_check', sql`${t.forIndividuals} = 1 OR ${t.forProfessionals} = 1`),
  ],
);

export const resourceCells = sqliteTable(
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
export const resourceMunicipalities = sqliteTable(
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

export const resourceLocations = sqliteTable(
  'resource_locations',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
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
    lat: real('lat'),
    lon: real('lon'),
    /** JSON opening hours of this place (src/hours/schedule.ts `OpeningHours`); public locations only. */
    openingHours: text('opening_hours'),
  },
  (t) => [
    index('resource_locations_resource_idx').on(t.resourceId),
    // A sheltered address must never be stored, whatever path the data takes into the database.
    check(
      'resource_locations_confidential_check',
      sql`${t.visibility} = 'public' OR (${t.street} IS NULL AND ${t.postalCode} IS NULL AND ${t.city} IS NULL AND ${t.lat} IS NULL AND ${t.lon} IS NULL AND ${t.openingHours} IS NULL)`,
    ),
    check('resource_locations_coordinates_check', sql`(${t.lat} IS NULL) = (${t.lon} IS NULL)`),
  ],
);

export const inventories = sqliteTable(
  'inventories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    countyCode: text('county_code')
      .notNull()
      .references(() => counties.code),
    completedOn: text('completed_on').notNull(),
    /**
     * `complete`: the source looked for every actor, so an empty cell is a finding (a gap); `selection`: the
     * source lists some resources only, so an empty cell is not known. Rows from before this column are
     * selections: the safe reading, which claims no gap.
     */
    completeness: text('completeness', { enum: ['complete', 'selection'] })
      .notNull()
      .default('selection'),
    sourceTitle: text('source_title').notNull(),
    sourceUrl: text('source_url'),
    note: text('note'),
    /**
     * JSON array of cell patterns (`{ area?, role?, group? }`) the source makes no finding on: there even a
     * complete inventory is read as a selection, so that no gap is claimed where the source says nothing.
     */
    notAssessed: text('not_assessed').notNull().default('[]'),
  },
  (t) => [unique('inventories_county_completed_unique').on(t.countyCode, t.completedOn)],
);

// --- Staff access and history ---

/** Bearer tokens for writes. Only a SHA-256 hash of each token is stored. */
export const apiTokens = sqliteTable('api_tokens', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  /** `admin`, or `county:NN` for one county's resources. */
  scope: text('scope').notNull(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: text('created_at').notNull(),
  revokedAt: text('revoked_at'),
});

/**
 * Every change to a resource, whatever path wrote it (API, import, seed), written in the same transaction as
 * the change. The id is also the change feed's position (src/changes): see feed.ts for why it has no gaps.
 */
export const resourceHistory = sqliteTable(
  'resource_history',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    resourceId: text('resource_id')
      .notNull()
      .references(() => resources.id),
    at: text('at').notNull(),
    tokenName: text('token_name'),
    action: text('action', { enum: ['create', 'update', 'retire', 'verify'] }).notNull(),
    /** The resource as the API showed it before and after the change (JSON), null for none. */
    before: text('before'),
    after: text('after'),
    /**
     * The resource's version after the change; null in rows from before the feed. A resource whose current
     * version has no row gets one at start (recordUntrackedStates), so the feed always ends in its state.
     */
    version: integer('version'),
  },
  (t) => [
    index('resource_history_resource_idx').on(t.resourceId, t.id),
    // recordUntrackedStates asks at every start whether each resource's version has a row: answered from this
    // index alone instead of reading every row's before/after JSON.
    index('resource_history_version_idx').on(t.resourceId, t.version),
  ],
);

// --- Change tracking ---

/**
 * One row whose version the triggers of migration 0003 raise on every write to resources, their cells,
 * service areas and locations, whatever path the write takes: caches and ETags compare it instead of
 * rereading the data. Read it with `datasetVersion` (dataset-version.ts).
 */
export const datasetVersion = sqliteTable(
  'dataset_version',
  {
    id: integer('id').primaryKey(),
    version: integer('version').notNull(),
  },
  (t) => [check('dataset_version_single_row', sql`${t.id} = 1`)],
);

// --- Saved read models ---

/**
 * The key saved read-model files are encrypted with (src/read-model/snapshot.ts). The transaction that
 * withdraws an address replaces it (src/resources/history.ts), so that no file saved before can be read.
 */
export const readModelKey = sqliteTable(
  'read_model_key',
  {
    id: integer('id').primaryKey(),
    key: blob('key', { mode: 'buffer' }).notNull(),
  },
  (t) => [check('read_model_key_single_row', sql`${t.id} = 1`)],
);
