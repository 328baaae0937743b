// Coverage of the matrix: for each cell, whether a place's municipalities have regional support, only
// national support, or none, as the domain notes define it ("Coverage: what 'a gap' means"). Pure: data
// in, report out, no I/O, so the definitions can be tested on hand-built fixtures and random data alike.
import { distanceKm, type Point } from '../places/geo.js';
import type { Municipality } from '../places/places.js';
import type { Inventory } from '../places/repository.js';
import type { Cell } from '../vocabulary/vocabulary.js';

export const coverageStatuses = ['covered', 'partial', 'national-only', 'gap', 'unknown'] as const;
export type CoverageStatus = (typeof coverageStatuses)[number];

export interface CoverageLocation {
  visibility: 'public' | 'confidential';
  municipality: string;
  lat: number | null;
  lon: number | null;
}

/** What coverage needs to know of a resource. */
export interface CoverageResource {
  id: string;
  name: string;
  kind: string;
  status: 'active' | 'planned' | 'inactive' | 'closed';
  activeFrom: string | null;
  activeUntil: string | null;
  forIndividuals: boolean;
  /** A national line or service: serves every municipality, but never makes one "regional". */
  national: boolean;
  cells: readonly Cell[];
  /**
   * The municipalities served; empty when national. A loader may leave out the municipalities outside
   * the place, as nothing outside it changes the place's report.
   */
  serviceArea: readonly string[];
  locations: readonly CoverageLocation[];
}

export type PlaceMunicipality = Pick<
  Municipality,
  'code' | 'name' | 'population2016' | 'seatLat' | 'seatLon'
>;
type Seat = Pick<Municipality, 'seatLat' | 'seatLon'>;

export interface CoveragePlace {
  type: 'county' | 'subregion' | 'municipality';
  code: string;
  name: string;
  county: { code: string; name: string };
  municipalities: readonly PlaceMunicipality[];
}

export interface CoverageInput {
  place: CoveragePlace;
  /** The latest inventory of the place's county; null when its resources have not been mapped. */
  inventory: Inventory | null;
  /** The date the report is computed for, YYYY-MM-DD. */
  at: string;
  /** The cells to report, in report order. */
  cells: readonly Cell[];
  /** At least every resource serving the place and every located one; others are ignored. */
  resources: readonly CoverageResource[];
  /** The seat of every municipality: a location without public coordinates is placed there. */
  seats: ReadonlyMap<string, Seat>;
}

export interface CoverageSummary {
  covered: number;
  partial: number;
  nationalOnly: number;
  gap: number;
  unknown: number;
}

export interface CellCoverage extends Cell {
  status: CoverageStatus;
  lackingMunicipalities: { code: string; name: string }[];
  affectedPopulation: number;
  resources: { id: string; name: string; kind: string }[];
  reach: { medianKm: number | null; maxKm: number | null };
}

export interface CoverageReport {
  place: {
    type: CoveragePlace['type'];
    code: string;
    name: string;
    county: { code: string; name: string };
    municipalityCount: number;
    population2016: number;
  };
  inventoried: boolean;
  inventory: Inventory | null;
  at: string;
  summary: CoverageSummary;
  cells: CellCoverage[];
  gaps: CellCoverage[];
}

export const cellKey = (cell: Cell) => `${cell.area}|${cell.role}|${cell.group}`;

/**
 * Whether a resource counts as support on date `at`: it serves individuals (support for professionals
 * is not support for the person), and it is active then, or was until it closed. `activeUntil` is the
 * first day it no longer runs. Planned and inactive resources never count.
 */
export function countsAt(resource: CoverageResource, at: string): boolean {
  if (!resource.forIndividuals) return false;
  if (resource.activeFrom !== null && resource.activeFrom > at) return false;
  if (resource.status === 'active') return resource.activeUntil === null || at < resource.activeUntil;
  if (resource.status === 'closed') return resource.activeUntil !== null && at < resource.activeUntil;
  return false;
}

/** Who supports one cell: the municipalities with regional support, and whether national support exists. */
export interface CellSupport {
  regional: ReadonlySet<string>;
  national: boolean;
}

interface CellFindings {
  regional: Set<string>;
  national: boolean;
  /** Counted resources covering the cell whose service area reaches into the place, by id. */
  serving: Map<string, CoverageResource>;
  /** Where counted regional resources covering the cell receive people, anywhere in the country. */
  points: Point[];
}

/**
 * What each requested cell has, from the resources that count on `at`. Municipalities of the place
 * decide which resources are listed as serving it; `regional` holds every municipality served.
 */
function findings(
  resources: readonly CoverageResource[],
  cells: readonly Cell[],
  at: string,
  place: ReadonlySet<string>,
  seats: ReadonlyMap<string, Seat>,
): Map<string, CellFindings> {
  const byCell = new Map<string, CellFindings>(
    cells.map((cell) => [
      cellKey(cell),
      { regional: new Set(), national: false, serving: new Map(), points: [] },
    ]),
  );
  for (const resource of resources) {
    if (!countsAt(resource, at)) continue;
    const servesPlace = resource.national || resource.serviceArea.some((code) => place.has(code));
    const points = resource.national ? [] : locatedPoints(resource, seats);
    for (const cell of resource.cells) {
      const found = byCell.get(cellKey(cell));
      if (!found) continue;
      if (servesPlace) found.serving.set(resource.id, resource);
      if (resource.national) found.national = true;
      else {
        for (const code of resource.serviceArea) found.regional.add(code);
        found.points.push(...points);
      }
    }
  }
  return byCell;
}

/** The point of each location: public coordinates where published, otherwise the municipality's seat. */
function locatedPoints(resource: CoverageResource, seats: ReadonlyMap<string, Seat>): Point[] {
  const points: Point[] = [];
  for (const location of resource.locations) {
    if (location.visibility === 'public' && location.lat !== null && location.lon !== null) {
      points.push({ lat: location.lat, lon: location.lon });
      continue;
    }
    const seat = seats.get(location.municipality);
    if (seat) points.push({ lat: seat.seatLat, lon: seat.seatLon });
  }
  return points;
}

/** Which municipalities of a place lack regional support for a cell, and the cell's status there. */
export function cellStatus(
  municipalities: readonly PlaceMunicipality[],
  support: CellSupport,
): { status: Exclude<CoverageStatus, 'unknown'>; lacking: PlaceMunicipality[] } {
  const lacking = municipalities.filter((m) => !support.regional.has(m.code));
  if (lacking.length === 0) return { status: 'covered', lacking };
  if (lacking.length < municipalities.length) return { status: 'partial', lacking };
  return { status: support.national ? 'national-only' : 'gap', lacking };
}

const swedishOrder = new Intl.Collator('sv');

/** Regional resources first (they are what the county arranges), then by name as Swedish sorts it. */
function byRegionalThenName(a: CoverageResource, b: CoverageResource): number {
  return (
    Number(a.national) - Number(b.national) ||
    swedishOrder.compare(a.name, b.name) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

export function coverageReport(input: CoverageInput): CoverageReport {
  const { place, inventory, at, seats } = input;
  const inventoried = inventory !== null;
  const placeCodes = new Set(place.municipalities.map((m) => m.code));
  const byCell = findings(input.resources, input.cells, at, placeCodes, seats);

  const cells = input.cells.map((cell): CellCoverage => {
    const found = byCell.get(cellKey(cell)) as CellFindings;
    const resources = [...found.serving.values()]
      .sort(byRegionalThenName)
      .map((r) => ({ id: r.id, name: r.name, kind: r.kind }));
    // Without an inventory an empty cell says nothing about need: report it unknown, not a gap.
    if (!inventoried) {
      return { ...cell, status: 'unknown', ...nothingLacking, resources };
    }
    const { status, lacking } = cellStatus(place.municipalities, found);
    return {
      ...cell,
      status,
      lackingMunicipalities: lacking.map((m) => ({ code: m.code, name: m.name })),
      affectedPopulation: lacking.reduce((sum, m) => sum + m.population2016, 0),
      resources,
      reach: reach(lacking, found.points),
    };
  });

  return {
    place: {
      type: place.type,
      code: place.code,
      name: place.name,
      county: place.county,
      municipalityCount: place.municipalities.length,
      population2016: place.municipalities.reduce((sum, m) => sum + m.population2016, 0),
    },
    inventoried,
    inventory,
    at,
    summary: summarize(cells),
    cells,
    gaps: gapsOf(cells),
  };
}

const nothingLacking = {
  lackingMunicipalities: [],
  affectedPopulation: 0,
  reach: { medianKm: null, maxKm: null },
};

export function summarize(cells: readonly { status: CoverageStatus }[]): CoverageSummary {
  const summary = { covered: 0, partial: 0, nationalOnly: 0, gap: 0, unknown: 0 };
  for (const { status } of cells) {
    if (status === 'national-only') summary.nationalOnly += 1;
    else summary[status] += 1;
  }
  return summary;
}

/** How much worse a cell that is not covered is, for ordering cells with the same affected population. */
const severity: Record<CoverageStatus, number> = {
  gap: 3,
  'national-only': 2,
  partial: 1,
  covered: 0,
  unknown: 0,
};

/**
 * The cells that are not covered, largest affected population first. Between equals, nothing at all
 * comes before national support only, which comes before partial; then the matrix order.
 */
function gapsOf<C extends { status: CoverageStatus; affectedPopulation: number }>(cells: readonly C[]): C[] {
  return cells
    .filter((c) => severity[c.status] > 0)
    .sort((a, b) => b.affectedPopulation - a.affectedPopulation || severity[b.status] - severity[a.status]);
}

// --- Reach: how far people in a lacking municipality must travel to regional support for the cell ---

/** A little under geo.ts's mean radius, so the latitude bound below never prunes a nearer point. */
const lowerBoundRadiusKm = 6371;
const latitudeGapKm = (a: Point, b: Point) => (Math.abs(a.lat - b.lat) * Math.PI * lowerBoundRadiusKm) / 180;

/**
 * Nearest-point search over points sorted by latitude: walk outwards from the seat's latitude and stop
 * when the latitude difference alone is farther than the best distance found, since a great-circle
 * distance is never shorter than its north–south component.
 */
export function nearestKm(from: Point, byLatitude: readonly Point[]): number | null {
  let low = 0;
  let high = byLatitude.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((byLatitude[middle] as Point).lat < from.lat) low = middle + 1;
    else high = middle;
  }
  let best = Number.POSITIVE_INFINITY;
  let up = low;
  let down = low - 1;
  while (up < byLatitude.length || down >= 0) {
    const above = byLatitude[up];
    const below = byLatitude[down];
    const aboveGap = above ? latitudeGapKm(from, above) : Number.POSITIVE_INFINITY;
    const belowGap = below ? latitudeGapKm(from, below) : Number.POSITIVE_INFINITY;
    if (Math.min(aboveGap, belowGap) >= best) break;
    if (aboveGap <= belowGap) {
      best = Math.min(best, distanceKm(from, above as Point));
      up += 1;
    } else {
      best = Math.min(best, distanceKm(from, below as Point));
      down -= 1;
    }
  }
  return Number.isFinite(best) ? best : null;
}

const toTenths = (km: number) => Math.round(km * 10) / 10;

export function median(sorted: readonly number[]): number {
  const middle = sorted.length >>> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function reach(lacking: readonly PlaceMunicipality[], points: readonly Point[]): CellCoverage['reach'] {
  if (lacking.length === 0 || points.length === 0) return { medianKm: null, maxKm: null };
  const byLatitude = [...points].sort((a, b) => a.lat - b.lat);
  const distances = lacking
    .map((m) => nearestKm({ lat: m.seatLat, lon: m.seatLon }, byLatitude) as number)
    .sort((a, b) => a - b);
  return { medianKm: toTenths(median(distances)), maxKm: toTenths(distances.at(-1) as number) };
}

// --- The national overview: every county at once, from one load ---

export interface CountyInput {
  code: string;
  name: string;
  inventory: Inventory | null;
  municipalities: readonly PlaceMunicipality[];
}

export interface CountyOverview {
  county: { code: string; name: string };
  inventoried: boolean;
  inventory: Inventory | null;
  municipalityCount: number;
  population2016: number;
  summary: CoverageSummary;
  /** The cell that is not covered with the largest affected population; null when there is none. */
  largestGap:
    | (Cell & { status: CoverageStatus; affectedPopulation: number; lackingMunicipalityCount: number })
    | null;
}

export interface NationalOverview {
  at: string;
  counties: CountyOverview[];
}

/** Builds who supports each cell from resources, for callers that hold resources rather than SQL aggregates. */
export function cellSupport(
  resources: readonly CoverageResource[],
  cells: readonly Cell[],
  at: string,
): Map<string, CellSupport> {
  return findings(resources, cells, at, new Set(), new Map());
}

/**
 * One row per county from a single table of support per cell, so the overview costs one load and one
 * pass rather than a full report per county. Statuses follow `cellStatus`, exactly as in a county report.
 */
export function nationalOverview(input: {
  at: string;
  cells: readonly Cell[];
  counties: readonly CountyInput[];
  support: ReadonlyMap<string, CellSupport>;
}): NationalOverview {
  const none: CellSupport = { regional: new Set(), national: false };
  const counties = input.counties.map((county): CountyOverview => {
    const inventoried = county.inventory !== null;
    const cells = input.cells.map((cell) => {
      if (!inventoried)
        return { ...cell, status: 'unknown' as const, affectedPopulation: 0, lackingMunicipalityCount: 0 };
      const { status, lacking } = cellStatus(county.municipalities, input.support.get(cellKey(cell)) ?? none);
      return {
        ...cell,
        status,
        affectedPopulation: lacking.reduce((sum, m) => sum + m.population2016, 0),
        lackingMunicipalityCount: lacking.length,
      };
    });
    return {
      county: { code: county.code, name: county.name },
      inventoried,
      inventory: county.inventory,
      municipalityCount: county.municipalities.length,
      population2016: county.municipalities.reduce((sum, m) => sum + m.population2016, 0),
      summary: summarize(cells),
      largestGap: gapsOf(cells)[0] ?? null,
    };
  });
  return { at: input.at, counties };
}
