import type { Places } from '../places/places.js';
import type { Inventory } from '../places/repository.js';
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

/** Coverage of one place, with the latest inventories (the store's `latestInventories`). */
export function coverageOfPlace(
  support: SupportIndex,
  query: { place: CoveragePlace; cells: readonly Cell[]; at: string; openAt?: number },
  inventories: ReadonlyMap<string, Inventory>,
): CoverageReport {
  return placeCoverage(support, {
    ...query,
    inventory: inventories.get(query.place.county.code) ?? null,
  });
}

/** The national overview, with the latest inventories (the store's `latestInventories`). */
export function coverageOfCountry(
  places: Places,
  support: SupportIndex,
  query: { cells: readonly Cell[]; at: string; openAt?: number },
  inventories: ReadonlyMap<string, Inventory>,
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
