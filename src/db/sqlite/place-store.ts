// Inventories and municipality boundaries on SQLite: the InventoryStore and the BoundaryStore
// (src/db/store.ts). The statements stay in src/places/repository.ts, which imports also write through.
import { latestInventories, municipalityBoundary } from '../../places/repository.js';
import type { OpenDatabase } from '../client.js';
import type { PlaceStore } from '../store.js';

export class SqlitePlaceStore implements PlaceStore {
  constructor(private readonly database: OpenDatabase) {}

  async latestInventories(): ReturnType<PlaceStore['latestInventories']> {
    return latestInventories(this.database.db);
  }

  async municipalityBoundary(code: string): Promise<unknown | undefined> {
    return municipalityBoundary(this.database.db, code);
  }
}
