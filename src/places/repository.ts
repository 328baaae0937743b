// The places that change or are large: inventories (which counties have had their support resources
// mapped) and municipality boundaries. Coverage for a county without an inventory is "not inventoried".
import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import type { CellPattern, InventoryInput } from '../resources/schemas.js';

export interface Inventory {
  completedOn: string;
  completeness: 'complete' | 'selection';
  source: { title: string; url?: string };
  note?: string;
  /** The cells the source makes no finding on: read as a selection even in a complete inventory. */
  notAssessed: CellPattern[];
}

const inventoryFacts = (inventory: InventoryInput) => ({
  completeness: inventory.completeness,
  sourceTitle: inventory.source.title,
  sourceUrl: inventory.source.url ?? null,
  note: inventory.note ?? null,
  notAssessed: JSON.stringify(inventory.notAssessed ?? []),
});

export function saveInventory(db: Db, inventory: InventoryInput): void {
  db.insert(schema.inventories)
    .values({
      countyCode: inventory.county,
      completedOn: inventory.completedOn,
      ...inventoryFacts(inventory),
    })
    .onConflictDoUpdate({
      target: [schema.inventories.countyCode, schema.inventories.completedOn],
      set: inventoryFacts(inventory),
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
      completeness: row.completeness,
      source: { title: row.sourceTitle, ...(row.sourceUrl ? { url: row.sourceUrl } : {}) },
      ...(row.note ? { note: row.note } : {}),
      notAssessed: JSON.parse(row.notAssessed) as CellPattern[],
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
