// The HSDS view's own questions on PostgreSQL (src/db/store.ts HsdsStore), in SQLite's order: text is
// compared byte by byte (`COLLATE "C"`, as SQLite's BINARY), whatever the database's collation.
import type { Resource } from '../../resources/schemas.js';
import type { HsdsStore } from '../store.js';
import type { OpenPostgres } from './client.js';

export class PostgresHsdsStore implements HsdsStore {
  constructor(private readonly database: OpenPostgres) {}

  async serviceIds(window: { offset: number; limit: number }): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ id: string }>(
      'SELECT id FROM resources ORDER BY id COLLATE "C" LIMIT $1 OFFSET $2',
      [window.limit, window.offset],
    );
    return rows.map((row) => row.id);
  }

  async organizationsWithServices(): Promise<Resource['organization'][]> {
    const { rows } = await this.database.pool.query<
      Resource['organization'] & { organisationNumber: string | null }
    >(
      `SELECT o.name, o.type, o.organisation_number AS "organisationNumber" FROM organizations o
       WHERE EXISTS (SELECT 1 FROM resources r WHERE r.organization_id = o.id)
       ORDER BY o.name COLLATE "C", o.type COLLATE "C"`,
    );
    return rows.map(({ organisationNumber, ...organization }) =>
      organisationNumber ? { ...organization, organisationNumber } : organization,
    );
  }

  async serviceIdsOfOrganization(organization: { name: string; type: string }): Promise<string[]> {
    const { rows } = await this.database.pool.query<{ id: string }>(
      `SELECT r.id FROM resources r JOIN organizations o ON o.id = r.organization_id
       WHERE o.name = $1 AND o.type = $2 ORDER BY r.id COLLATE "C"`,
      [organization.name, organization.type],
    );
    return rows.map((row) => row.id);
  }

  async countLocations(): Promise<number> {
    const { rows } = await this.database.pool.query<{ n: string }>(
      'SELECT count(*) AS n FROM resource_locations',
    );
    return Number(rows[0]?.n ?? 0);
  }

  async locationsPage(window: { offset: number; limit: number }): ReturnType<HsdsStore['locationsPage']> {
    const { rows } = await this.database.pool.query<{ resourceId: string; index: number }>(
      `SELECT resource_id AS "resourceId",
         (row_number() OVER (PARTITION BY resource_id ORDER BY position) - 1)::int AS index
       FROM resource_locations ORDER BY resource_id COLLATE "C", position LIMIT $1 OFFSET $2`,
      [window.limit, window.offset],
    );
    return rows;
  }
}
