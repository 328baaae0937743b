import type { Db } from '../db/client.js';
import type { Places } from '../places/places.js';
import { type Inventory, latestInventories } from '../places/repository.js';
import type { Cell } from '../vocabulary/vocabulary.js';
import {
  type CountyInput,
  type CoveragePlace,
  type CoverageReport,
  type NationalOverview,
  nationalOverview,
  placeCoverage,
  supportLevels,
} from './compute.js';
import type { SupportIndex } from './support-index.js';

export function coverageOfPlace(
  db: Db,
  support: SupportIndex,
  query: { place: CoveragePlace; cells: readonly Cell[]; at: string; openAt?: number },
  inventories: ReadonlyMap<string, Inventory> = latestInventories(db),
): CoverageReport {
  return placeCoverage(support, {
    ...query,
    inventory: inventories.get(query.place.county.code) ?? null,
  });
}

export function coverageOfCountry(
  db: Db,
  places: Places,
  support: SupportIndex,
  query: { cells: readonly Cell[]; at: string; openAt?: number },
  inventories: ReadonlyMap<string, Inventory> = latestInventories(db),
): NationalOverview {
  const counties: CountyInput[] = [...places.counties.values()].map((county) => ({
    code: county.code,
    name: county.name,
    inventory: inventories.get(county.code) ?? null,
    municipalities: places.municipalitiesOfCounty(county.code),
  }));
  return nationalOverview({
    at: query.at,
    ...(query.openAt === undefined ? {} : { openAt: query.openAt }),
    cells: query.cells,
    counties,
    support: supportLevels(support, query.cells, query.at, query.openAt),
  });
}
