// The places that change or are large: inventories (which counties have had their support resources
// mapped) and municipality boundaries. Coverage for a county without an inventory is "not inventoried".
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import type { InventoryInput } from '../resources/schemas.js';

export interface Inventory {
  completedOn: string;
  source: { title: string; url?: string };
}

export function saveInventory(db: Db, inventory: InventoryInput): void {
  db.insert(schema.inventories)
    .values({
      countyCode: inventory.county,
      completedOn: inventory.completedOn,
      sourceTitle: inventory.source.title,
      sourceUrl: inventory.source.url ?? null,
    })
    .onConflictDoUpdate({
      target: [schema.inventories.countyCode, schema.inventories.completedOn],
      set: { sourceTitle: inventory.source.title, sourceUrl: inventory.source.url ?? null },
    })
    .run();
}

/** The latest inventory of each county that has one. */
export function latestInventories(db: Db): Map<string, Inventory> {
  const latest = new Map<string, Inventory>();
  const rows = db.select().from(schema.inventories).orderBy(desc(schema.inventories.completedOn)).all();
  for (const row of rows) {
    if (latest.has(row.countyCode)) continue;
    latest.set(row.countyCode, {
      completedOn: row.completedOn,
      source: { title: row.sourceTitle, ...(row.sourceUrl ? { url: row.sourceUrl } : {}) },
    });
  }
  return latest;
}

export function municipalityBoundary(db: Db, code: string): unknown {
  const row = db
    .select({ boundary: schema.municipalities.boundary })
    .from(schema.municipalities)
    .where(eq(schema.municipalities.code, code))
    .get();
  return row ? JSON.parse(row.boundary) : undefined;
}
