// Resources and their history on PostgreSQL: the ResourceStore and HistoryStore of src/db/store.ts.
//
// Reads select the same row shape as SQLite's (flags as 0/1, JSON as text, days and instants as ISO strings)
// so that src/resources/repository.ts `assemble` gives a Resource its public shape for both engines.
//
// Writes: each runs in one READ COMMITTED transaction. A change reads the resource and its version, lets the
// caller's `decide` check If-Match against that version, and writes with
// `UPDATE resources … WHERE id = $1 AND version = $2`: when another writer (another replica) committed in
// between, the UPDATE waits for it, re-reads the row, matches nothing, and the store rolls back and throws
// `VersionConflict`. A create relies on the primary key (`ON CONFLICT (id) DO NOTHING`: nothing inserted
// means the id is taken). The history entry, and the redaction of the resource's history when it has a
// confidential location, commit with the change; after a redaction that removed something, VACUUM FULL
// rewrites resource_locations and resource_history (and their TOAST), so that no dead row version keeps
// the withdrawn address (docs/postgresql.md, "Confidential locations on PostgreSQL").
import type pg from 'pg';
import type { DatasetReport, ParsedDataset } from '../../resources/dataset.js';
import { type HistoryAction, redactedSnapshot, type Snapshot, snapshot } from '../../resources/history.js';
import {
  append,
  assemble,
  type LocationRow,
  type ResourceParts,
  type ResourceRow,
  type SaveOutcome,
  toLocation,
} from '../../resources/repository.js';
import type { InventoryInput, Resource } from '../../resources/schemas.js';
import type { NormalizedResource } from '../../resources/validation.js';
import type { Cell } from '../../vocabulary/vocabulary.js';
import {
  type ChangeMeta,
  type HistoryRow,
  type HistoryStore,
  ResourceExists,
  ResourceNotFound,
  type ResourceStore,
  VersionConflict,
  type Versioned,
  type WriteReceipt,
} from '../store.js';
import { type OpenPostgres, withdrawn } from './client.js';

type Written = Versioned & { receipt: WriteReceipt };

const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const resourceSelect = `SELECT r.id, r.name, r.kind, r.status, r.active_from::text AS "activeFrom",
  r.active_until::text AS "activeUntil", r.for_individuals::int AS "forIndividuals",
  r.for_professionals::int AS "forProfessionals", r.description_sv AS "descriptionSv",
  r.description_en AS "descriptionEn", o.name AS "organizationName", o.type AS "organizationType",
  o.organisation_number AS "organisationNumber", r.national::int AS national, r.phone, r.email, r.website,
  r.chat, r.open_24h::int AS "open24h", r.hours, r.opening_hours::text AS "openingHours",
  r.languages::text AS languages, r.anonymous::int AS anonymous, r.without_referral::int AS "withoutReferral",
  r.free_of_charge::int AS "freeOfCharge", r.age_min AS "ageMin", r.age_max AS "ageMax", r.accessibility,
  r.special_competence AS "specialCompetence", r.note, r.source_title AS "sourceTitle",
  r.source_url AS "sourceUrl", r.source_seen::text AS "sourceSeen", r.sources::text AS sources,
  r.last_verified::text AS "lastVerified", ${iso('r.created_at')} AS "createdAt",
  ${iso('r.updated_at')} AS "updatedAt", r.version
  FROM resources r JOIN organizations o ON o.id = r.organization_id`;

export interface ResourceStoreOptions {
  /**
   * How long `dataset_changes` keeps what a version wrote: every writing transaction deletes older rows. A
   * replica further behind than that rebuilds its read model in full (`changesSince` says incomplete).
   */
  changeRetentionMs?: number;
}

export class PostgresResourceStore implements ResourceStore, HistoryStore {
  private readonly changeRetentionMs: number;

  constructor(
    private readonly database: OpenPostgres,
    options: ResourceStoreOptions = {},
  ) {
    this.changeRetentionMs = options.changeRetentionMs ?? 60 * 60_000;
  }

  async getResource(id: string): Promise<Versioned | undefined> {
    return (await readResources(this.database.pool, [id]))[0];
  }

  async getResources(ids: readonly string[]): Promise<Versioned[]> {
    return readResources(this.database.pool, ids);
  }

  async countResources(): Promise<number> {
    const { rows } = await this.database.pool.query<{ n: string }>('SELECT count(*) AS n FROM resources');
    return Number(rows[0]?.n ?? 0);
  }

  async resourcesAfter(afterId: string, limit: number): Promise<Resource[]> {
    // Byte order, as SQLite's BINARY collation: the database's collation may order ids differently.
    const { rows } = await this.database.pool.query<{ id: string }>(
      'SELECT id FROM resources WHERE id > $1 COLLATE "C" ORDER BY id COLLATE "C" LIMIT $2',
      [afterId, limit],
    );
    return (
      await readResources(
        this.database.pool,
        rows.map((row) => row.id),
      )
    ).map(({ resource }) => resource);
  }

  async lastModified(): Promise<Date | null> {
    const { rows } = await this.database.pool.query<{ latest: Date | null }>(
      'SELECT max(updated_at) AS latest FROM resources',
    );
    return rows[0]?.latest ?? null;
  }

  async createResource(resource: NormalizedResource, meta: ChangeMeta): Promise<Written> {
    return this.afterCommit(
      await this.transaction(async (client) => {
        const outcome = await saveResource(client, resource, meta.at, { expect: 'new', lock: true });
        if (outcome === 'exists') throw new ResourceExists(resource.id);
        return this.recorded(client, resource.id, undefined, 'create', meta);
      }),
    );
  }

  async changeResource(
    id: string,
    action: Exclude<HistoryAction, 'create'>,
    decide: (current: Resource, version: number) => NormalizedResource,
    meta: ChangeMeta,
  ): Promise<Written> {
    return this.afterCommit(
      await this.transaction(async (client) => {
        const [current] = await readResources(client, [id]);
        if (!current) throw new ResourceNotFound(id);
        const next = decide(current.resource, current.version);
        if (next.id !== id) throw new Error(`decide returned the resource '${next.id}' for '${id}'`);
        const outcome = await saveResource(client, next, meta.at, { expect: current.version, lock: true });
        if (outcome === 'unchanged') {
          // Nothing written: no history entry, no new version (as on SQLite).
          const version = await currentVersion(client);
          return { ...current, receipt: { from: version, to: version, ids: [id] }, scrubbed: false };
        }
        return this.recorded(client, id, current.resource, action, meta);
      }),
    );
  }

  async importDataset(
    dataset: ParsedDataset,
    meta: ChangeMeta,
  ): Promise<DatasetReport & { receipt: WriteReceipt }> {
    const report: DatasetReport = {
      inventories: dataset.inventories.length,
      created: 0,
      updated: 0,
      unchanged: 0,
    };
    const { scrubbed, receipt } = await this.transaction(async (client) => {
      await lockWrites(client);
      for (const inventory of dataset.inventories) await saveInventory(client, inventory);
      const written: string[] = [];
      let scrubbed = false;
      // A batch at a time, as on SQLite: the entries as they stood, saved, then each change recorded.
      for (let i = 0; i < dataset.resources.length; i += importBatch) {
        const batch = dataset.resources.slice(i, i + importBatch);
        const before = new Map(
          (
            await readResources(
              client,
              batch.map((r) => r.id),
            )
          ).map((r) => [r.resource.id, r]),
        );
        for (const resource of batch) {
          const was = before.get(resource.id);
          const outcome = await saveResource(client, resource, meta.at, {
            expect: was ? was.version : 'new',
            lock: false,
          });
          // The batch was read in this transaction after taking the writers' lock, so only a write from
          // outside the store (plain SQL) can have come between; the import then fails whole rather than
          // overwrite it (VersionConflict, or ResourceExists for an id created meanwhile).
          if (outcome === 'exists') throw new ResourceExists(resource.id);
          report[outcome] += 1;
          if (outcome === 'unchanged') continue;
          const { scrubbed: removed } = await this.recordHistory(
            client,
            resource.id,
            was?.resource,
            was ? 'update' : 'create',
            meta,
          );
          if (removed) scrubbed = true;
          written.push(resource.id);
        }
      }
      return { scrubbed, receipt: await receiptOf(client, written, this.changeRetentionMs) };
    });
    if (scrubbed) await this.forgetWithdrawnData();
    return { ...report, receipt };
  }

  async recordUntrackedStates(): Promise<number> {
    return this.transaction(async (client) => {
      // History ids follow commit order only for rows written under the writers' lock (docs/postgresql.md).
      await lockWrites(client);
      const { rows } = await client.query<{ id: string }>(
        `SELECT id FROM resources r WHERE NOT EXISTS
           (SELECT 1 FROM resource_history h WHERE h.resource_id = r.id AND h.version = r.version)
         ORDER BY id COLLATE "C"`,
      );
      for (let i = 0; i < rows.length; i += importBatch) {
        const ids = rows.slice(i, i + importBatch).map((row) => row.id);
        for (const { resource, version } of await readResources(client, ids)) {
          const last = await client.query<{ after: Snapshot | null }>(
            'SELECT after FROM resource_history WHERE resource_id = $1 ORDER BY id DESC LIMIT 1',
            [resource.id],
          );
          const before = last.rows[0];
          await client.query(
            `INSERT INTO resource_history (resource_id, at, token_name, action, before, after, version)
             VALUES ($1, $2, NULL, $3, $4::jsonb, $5::jsonb, $6)`,
            [
              resource.id,
              resource.updatedAt,
              before === undefined ? 'create' : 'update',
              before === undefined ? null : JSON.stringify(before.after),
              snapshot(resource),
              version,
            ],
          );
        }
      }
      return rows.length;
    });
  }

  async history(
    resourceId: string,
    window: { offset: number; limit: number },
  ): Promise<{ rows: HistoryRow[]; totalItems: number }> {
    const { pool } = this.database;
    const total = await pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM resource_history WHERE resource_id = $1',
      [resourceId],
    );
    const { rows } = await pool.query<HistoryRow>(
      `SELECT ${iso('at')} AS at, action, token_name AS "tokenName", before, after FROM resource_history
       WHERE resource_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
      [resourceId, window.limit, window.offset],
    );
    return { rows, totalItems: Number(total.rows[0]?.n ?? 0) };
  }

  /**
   * Rewrites both tables that can have held a withdrawn address, and their TOAST, dropping the old files:
   * plain VACUUM marks dead row versions free but need not overwrite them. Outside any transaction.
   */
  async forgetWithdrawnData(): Promise<void> {
    // A bulk load of this process's read model is ended first (its snapshot would keep the old versions).
    await withdrawn(this.database);
    await this.database.pool.query('VACUUM FULL resource_locations, resource_history');
  }

  /** After a resource was saved in `client`'s transaction: its history entry, redaction and receipt. */
  private async recorded(
    client: pg.ClientBase,
    id: string,
    before: Resource | undefined,
    action: HistoryAction,
    meta: ChangeMeta,
  ): Promise<Written & { scrubbed: boolean }> {
    const { after, scrubbed } = await this.recordHistory(client, id, before, action, meta);
    return { ...after, receipt: await receiptOf(client, [id], this.changeRetentionMs), scrubbed };
  }

  /** Writes the history row of a saved change; where the resource has a confidential location, redacts. */
  private async recordHistory(
    client: pg.ClientBase,
    id: string,
    before: Resource | undefined,
    action: HistoryAction,
    meta: ChangeMeta,
  ): Promise<{ after: Versioned; scrubbed: boolean }> {
    const after = (await readResources(client, [id]))[0] as Versioned;
    await client.query(
      `INSERT INTO resource_history (resource_id, at, token_name, action, before, after, version)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)`,
      [id, meta.at, meta.tokenName, action, snapshot(before), snapshot(after.resource), after.version],
    );
    const scrubbed =
      after.resource.locations.some((l) => l.visibility === 'confidential') &&
      (await scrubLocationHistory(client, id));
    return { after, scrubbed };
  }

  private async afterCommit({ scrubbed, ...saved }: Written & { scrubbed: boolean }): Promise<Written> {
    if (scrubbed) await this.forgetWithdrawnData();
    return saved;
  }

  /** Runs `work` in one transaction on one pooled connection; any failure rolls all of it back. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.database.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => {
        // A connection that cannot roll back is not handed to the next query.
        broken = rollback;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/** Upserts an inventory by county and date, as SQLite's saveInventory (src/places/repository.ts). */
async function saveInventory(client: pg.ClientBase, inventory: InventoryInput): Promise<void> {
  await client.query(
    `INSERT INTO inventories (county_code, completed_on, completeness, source_title, source_url, note,
       not_assessed)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)
     ON CONFLICT (county_code, completed_on) DO UPDATE SET completeness = excluded.completeness,
       source_title = excluded.source_title, source_url = excluded.source_url, note = excluded.note,
       not_assessed = excluded.not_assessed`,
    [
      inventory.county,
      inventory.completedOn,
      inventory.completeness,
      inventory.source.title,
      inventory.source.url ?? null,
      inventory.note ?? null,
      JSON.stringify(inventory.notAssessed ?? []),
    ],
  );
}

/** How many entries an import reads, saves and records at a time. */
const importBatch = 500;

type Queryable = pg.Pool | pg.ClientBase;

/**
 * Every writing transaction takes the dataset version's row lock before its first write, so that writers
 * lock in one order: version row, organisations, resources. The triggers of migration 0002 take that lock
 * at the first written resource row anyway (writers are serialised from there to commit); taken later, after
 * an organisation upsert had locked an organisation row, an import and an API write sharing an organisation
 * could wait for each other (a deadlock PostgreSQL resolves by aborting one). Reading and deciding happen
 * before it, unserialised: that is where two replicas can race, and the conditional UPDATE settles it.
 */
async function lockWrites(client: pg.ClientBase): Promise<void> {
  await client.query('SELECT 1 FROM dataset_version WHERE id = 1 FOR UPDATE');
}

async function currentVersion(client: Queryable): Promise<number> {
  const { rows } = await client.query<{ version: string }>(
    'SELECT version FROM dataset_version WHERE id = 1',
  );
  return Number(rows[0]?.version);
}

/**
 * What this transaction wrote: the triggers of migration 0002 raised the dataset version once, at the first
 * written row, and left the new version in a transaction-local setting; nothing written, no new version.
 */
async function receiptOf(client: pg.ClientBase, ids: string[], retentionMs: number): Promise<WriteReceipt> {
  const { rows } = await client.query<{ version: string | null }>(
    "SELECT nullif(current_setting('stodkartan.transaction_version', true), '') AS version",
  );
  const raised = rows[0]?.version;
  if (raised === null || raised === undefined) {
    const version = await currentVersion(client);
    return { from: version, to: version, ids };
  }
  // The writer prunes, under the version row's lock (one pruner at a time), and only ever a prefix of the
  // versions, up to the newest one recorded before the cutoff: `changesSince` takes the oldest version left
  // as the start of an unbroken record. (Versions follow lock order, not start order, so a version may be
  // recorded earlier than the one before it.) This transaction's own rows are at now() and always stay.
  await client.query(
    `DELETE FROM dataset_changes WHERE version <= (
       SELECT max(version) FROM dataset_changes WHERE at < now() - make_interval(secs => $1))`,
    [retentionMs / 1_000],
  );
  return { from: Number(raised) - 1, to: Number(raised), ids };
}

/** The resources with these ids and their versions, in the order given (unknown ids are skipped). */
export async function readResources(client: Queryable, ids: readonly string[]): Promise<Versioned[]> {
  if (ids.length === 0) return [];
  const list = [...ids];
  const resources = await client.query<ResourceRow>(`${resourceSelect} WHERE r.id = ANY($1::text[])`, [list]);
  if (resources.rows.length === 0) return [];
  const parts = await readParts(client, list);
  const rows = new Map(resources.rows.map((row) => [row.id, row]));
  return list.flatMap((id) => {
    const row = rows.get(id);
    return row ? [{ resource: assemble(row, parts), version: row.version }] : [];
  });
}

/** Cells in key order, service areas by code, locations by position: as SQLite's readParts. */
async function readParts(client: Queryable, ids: string[]): Promise<ResourceParts> {
  const parts: ResourceParts = { cells: new Map(), served: new Map(), locations: new Map() };
  const rows = async <Row extends unknown[]>(text: string) =>
    (await client.query<Row>({ text, values: [ids], rowMode: 'array' })).rows;
  for (const [id, area, role, group] of await rows<[string, string, string, string]>(
    `SELECT resource_id, area, role, "group" FROM resource_cells WHERE resource_id = ANY($1::text[])
     ORDER BY resource_id, area COLLATE "C", role COLLATE "C", "group" COLLATE "C"`,
  )) {
    append<Cell>(parts.cells, id, Object.freeze({ area, role, group }));
  }
  for (const [id, code] of await rows<[string, string]>(
    `SELECT resource_id, municipality_code FROM resource_municipalities WHERE resource_id = ANY($1::text[])
     ORDER BY resource_id, municipality_code COLLATE "C"`,
  )) {
    append(parts.served, id, code);
  }
  for (const row of await rows<LocationRow>(
    `SELECT resource_id, visibility, municipality_code, street, postal_code, city, ST_Y(point), ST_X(point),
       opening_hours::text FROM resource_locations WHERE resource_id = ANY($1::text[])
     ORDER BY resource_id, position`,
  )) {
    append(parts.locations, row[0], toLocation(row));
  }
  return parts;
}

async function organizationId(
  client: pg.ClientBase,
  organization: NormalizedResource['organization'],
): Promise<number> {
  // Organisations are shared across counties: an entry may fill in a missing number, never replace one.
  const { rows } = await client.query<{ id: number }>(
    `INSERT INTO organizations (name, type, organisation_number) VALUES ($1, $2, $3)
     ON CONFLICT (name, type) DO UPDATE
       SET organisation_number = coalesce(organizations.organisation_number, excluded.organisation_number)
     RETURNING id`,
    [organization.name, organization.type, organization.organisationNumber ?? null],
  );
  return (rows[0] as { id: number }).id;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * Inserts (`expect: 'new'`) or updates (`expect`: the version read) a resource with its cells, service area
 * and locations, in the caller's transaction. An unchanged content hash writes nothing. Throws
 * `VersionConflict` when the resource is no longer at the version read; says 'exists' when a resource
 * expected to be new exists (a concurrent create). `lock`: take the writers' lock first (`lockWrites`), unless
 * the transaction holds it already.
 */
async function saveResource(
  client: pg.ClientBase,
  resource: NormalizedResource,
  now: Date,
  { expect, lock }: { expect: number | 'new'; lock: boolean },
): Promise<SaveOutcome | 'exists'> {
  if (expect !== 'new') {
    const { rows } = await client.query<{ contentHash: string }>(
      'SELECT content_hash AS "contentHash" FROM resources WHERE id = $1',
      [resource.id],
    );
    if (rows[0]?.contentHash === resource.contentHash) return 'unchanged';
  }
  if (lock) await lockWrites(client);
  const values = [
    resource.name,
    resource.kind,
    await organizationId(client, resource.organization),
    resource.description.sv,
    resource.description.en ?? null,
    resource.status,
    resource.activeFrom ?? null,
    resource.activeUntil ?? null,
    resource.audiences.includes('individuals'),
    resource.audiences.includes('professionals'),
    resource.national,
    resource.contact.phone ?? null,
    resource.contact.email ?? null,
    resource.contact.website ?? null,
    resource.contact.chat ?? null,
    resource.open24h ?? false,
    resource.hours ?? null,
    json(resource.openingHours),
    JSON.stringify(resource.languages ?? []),
    resource.anonymous ?? null,
    resource.withoutReferral ?? null,
    resource.freeOfCharge ?? null,
    resource.ageMin ?? null,
    resource.ageMax ?? null,
    resource.accessibility ?? null,
    resource.specialCompetence ?? null,
    resource.note ?? null,
    resource.source.title,
    resource.source.url ?? null,
    resource.source.seen ?? null,
    JSON.stringify(resource.sources ?? []),
    resource.lastVerified,
    resource.contentHash,
    now,
  ];
  const columns = `name, kind, organization_id, description_sv, description_en, status, active_from,
    active_until, for_individuals, for_professionals, national, phone, email, website, chat, open_24h, hours,
    opening_hours, languages, anonymous, without_referral, free_of_charge, age_min, age_max, accessibility,
    special_competence, note, source_title, source_url, source_seen, sources, last_verified, content_hash,
    updated_at`;
  const placeholders = values.map((_, i) => `$${i + 1}`);
  if (expect === 'new') {
    const inserted = await client.query(
      `INSERT INTO resources (${columns}, id, created_at) VALUES (${placeholders.join(', ')},
         $${values.length + 1}, $${values.length})
       ON CONFLICT (id) DO NOTHING`,
      [...values, resource.id],
    );
    if (inserted.rowCount === 0) return 'exists';
  } else {
    // Under READ COMMITTED a concurrent writer's UPDATE makes this one wait, then re-check the version
    // against the committed row: exactly one of two writers holding the same version updates a row.
    const updated = await client.query(
      `UPDATE resources SET (${columns}) = (${placeholders.join(', ')}), version = version + 1
       WHERE id = $${values.length + 1} AND version = $${values.length + 2}`,
      [...values, resource.id, expect],
    );
    if (updated.rowCount === 0) {
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM resources WHERE id = $1',
        [resource.id],
      );
      const stored = rows[0];
      if (!stored) throw new ResourceNotFound(resource.id);
      throw new VersionConflict(resource.id, stored.version);
    }
    for (const table of ['resource_cells', 'resource_municipalities', 'resource_locations']) {
      await client.query(`DELETE FROM ${table} WHERE resource_id = $1`, [resource.id]);
    }
  }
  await saveParts(client, resource);
  return expect === 'new' ? 'created' : 'updated';
}

/** The cells, service area and locations, one statement each. A confidential location keeps its municipality. */
async function saveParts(client: pg.ClientBase, resource: NormalizedResource): Promise<void> {
  const { id, cells, municipalityCodes, locations } = resource;
  if (cells.length > 0) {
    await client.query(
      `INSERT INTO resource_cells (resource_id, area, role, "group")
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[])`,
      [id, cells.map((c) => c.area), cells.map((c) => c.role), cells.map((c) => c.group)],
    );
  }
  if (municipalityCodes.length > 0) {
    await client.query(
      `INSERT INTO resource_municipalities (resource_id, municipality_code) SELECT $1, * FROM unnest($2::text[])`,
      [id, municipalityCodes],
    );
  }
  if (locations.length > 0) {
    // Only a public location's address, point and hours are bound at all; the CHECK refuses them otherwise.
    const shown = locations.map((l) => (l.visibility === 'public' ? l : undefined));
    await client.query(
      `INSERT INTO resource_locations (resource_id, position, visibility, municipality_code, street,
         postal_code, city, point, opening_hours)
       SELECT $1, l.position - 1, l.visibility, l.municipality, l.street, l.postal_code, l.city,
         CASE WHEN l.lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(l.lon, l.lat), 4326) END,
         l.hours::json
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[],
         $9::text[]) WITH ORDINALITY
         AS l(visibility, municipality, street, postal_code, city, lat, lon, hours, position)`,
      [
        id,
        locations.map((l) => l.visibility),
        locations.map((l) => l.municipality),
        shown.map((l) => l?.address?.street ?? null),
        shown.map((l) => l?.address?.postalCode ?? null),
        shown.map((l) => l?.address?.city ?? null),
        shown.map((l) => l?.lat ?? null),
        shown.map((l) => l?.lon ?? null),
        shown.map((l) => json(l?.openingHours)),
      ],
    );
  }
}

/**
 * Removes every address, coordinate and location hours from the resource's history except its newest
 * snapshot (the resource as the API shows it now), as SQLite's scrubLocationHistory does. Says whether it
 * removed anything: then it has also dropped the saved read models' key, and the caller rewrites the tables
 * after commit.
 */
async function scrubLocationHistory(client: pg.ClientBase, resourceId: string): Promise<boolean> {
  const { rows } = await client.query<{ id: number; before: Snapshot | null; after: Snapshot | null }>(
    'SELECT id, before, after FROM resource_history WHERE resource_id = $1 ORDER BY id',
    [resourceId],
  );
  let scrubbed = false;
  for (const [i, row] of rows.entries()) {
    const before = redactedSnapshot(row.before);
    const after = i === rows.length - 1 ? undefined : redactedSnapshot(row.after);
    // Only rows that held an address are written: a shelter confidential for years costs no rewrite.
    if (before === undefined && after === undefined) continue;
    await client.query('UPDATE resource_history SET before = $1::jsonb, after = $2::jsonb WHERE id = $3', [
      json(before ?? row.before),
      json(after ?? row.after),
      row.id,
    ]);
    scrubbed = true;
  }
  // Saved read models were built with the address too: dropping their key, in the transaction that withdraws
  // the address, makes every one unreadable (src/read-model/snapshot.ts), as on SQLite.
  if (scrubbed) await client.query('DELETE FROM read_model_key');
  return scrubbed;
}
