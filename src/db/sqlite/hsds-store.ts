// The HSDS view's own questions on SQLite (src/db/store.ts HsdsStore); the statements stay in
// src/hsds/repository.ts.
import {
  countLocations,
  locationsPage,
  organizationsWithServices,
  serviceIds,
  serviceIdsOfOrganization,
} from '../../hsds/repository.js';
import type { OpenDatabase } from '../client.js';
import type { HsdsStore } from '../store.js';

export class SqliteHsdsStore implements HsdsStore {
  constructor(private readonly database: OpenDatabase) {}

  async serviceIds(window: { offset: number; limit: number }): Promise<string[]> {
    return serviceIds(this.database.db, window);
  }

  async organizationsWithServices(): ReturnType<HsdsStore['organizationsWithServices']> {
    return organizationsWithServices(this.database.db);
  }

  async serviceIdsOfOrganization(organization: { name: string; type: string }): Promise<string[]> {
    return serviceIdsOfOrganization(this.database.db, organization);
  }

  async countLocations(): Promise<number> {
    return countLocations(this.database.db);
  }

  async locationsPage(window: { offset: number; limit: number }): ReturnType<HsdsStore['locationsPage']> {
    return locationsPage(this.database.db, window);
  }
}
