// Inventories and municipality boundaries on PostgreSQL: the InventoryStore and the boundary of
// BoundaryStore (src/db/store.ts), answering as SQLite's (src/places/repository.ts) does.
import type { Inventory } from '../../places/repository.js';
import type { CellPattern } from '../../resources/schemas.js';
import type { PlaceStore } from '../store.js';
import type { OpenPostgres } from './client.js';

export class PostgresPlaceStore implements PlaceStore {
  constructor(private readonly database: OpenPostgres) {}

  async latestInventories(): Promise<Map<string, Inventory>> {
    const { rows } = await this.database.pool.query<{
      countyCode: string;
      completedOn: string;
      completeness: Inventory['completeness'];
      sourceTitle: string;
      sourceUrl: string | null;
      note: string | null;
      notAssessed: CellPattern[];
    }>(
      `SELECT DISTINCT ON (county_code) county_code AS "countyCode", completed_on::text AS "completedOn",
         completeness, source_title AS "sourceTitle", source_url AS "sourceUrl", note,
         not_assessed AS "notAssessed"
       FROM inventories ORDER BY county_code, completed_on DESC`,
    );
    // Newest first, as SQLite's: the map's order is the order of the inventories' dates.
    rows.sort((a, b) => (a.completedOn < b.completedOn ? 1 : a.completedOn > b.completedOn ? -1 : 0));
    return new Map(
      rows.map((row) => [
        row.countyCode,
        {
          completedOn: row.completedOn,
          completeness: row.completeness,
          source: { title: row.sourceTitle, ...(row.sourceUrl ? { url: row.sourceUrl } : {}) },
          ...(row.note ? { note: row.note } : {}),
          notAssessed: row.notAssessed,
        },
      ]),
    );
  }

  async municipalityBoundary(code: string): Promise<unknown | undefined> {
    const { rows } = await this.database.pool.query<{ boundary: string }>(
      'SELECT boundary FROM municipalities WHERE code = $1',
      [code],
    );
    const row = rows[0];
    return row ? JSON.parse(row.boundary) : undefined;
  }
}
