// Coverage of the matrix: for each cell, whether a place's municipalities have regional support, only
// national support, or none, as the domain notes define it ("Coverage: what 'a gap' means"). Pure: data
// in, report out, no I/O, so the definitions can be tested on hand-built fixtures and random data alike.
// The data is a SupportIndex (support-index.ts): built from the database by repository.ts, or here from
// plain resource objects, so that both paths run the same computation.
import { stateAt } from '../hours/open-at.js';
import type { Point } from '../places/geo.js';
import type { Municipality } from '../places/places.js';
import type { Inventory } from '../places/repository.js';
import type { Cell } from '../vocabulary/vocabulary.js';
import { PointGrid } from './point-grid.js';
import {
  type CountingTerms,
  type IndexedResource,
  type ResourceSummary,
  type SupportIndex,
  SupportIndexBuilder,
} from './support-index.js';

/**
 * What can be said of a cell in a place. A complete inventory (the source looked for every actor) makes an
 * empty cell a finding: `partial`, `national-only`, `gap`. A selection (the source lists some resources)
 * does not: there the municipalities without known support are not known (`partly-known`, `none-known`),
 * never lacking. `covered` needs known regional support in every municipality, whichever the inventory.
 */
export const coverageStatuses = [
  'covered',
  'partial',
  'partly-known',
  'none-known',
  'national-only',
  'gap',
  'not-inventoried',
] as const;
export type CoverageStatus = (typeof coverageStatuses)[number];
export type Completeness = Inventory['completeness'];

export interface CoverageLocation {
  visibility: 'public' | 'confidential';
  municipality: string;
  lat: number | null;
  lon: number | null;
}

/** What coverage needs to know of a resource. */
export interface CoverageResource extends IndexedResource {
  cells: readonly Cell[];
  /** The municipalities served; empty (and ignored) when national. */
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

export interface PlaceQuery {
  place: CoveragePlace;
  /** The latest inventory of the place's county; null when its resources have not been mapped. */
  inventory: Inventory | null;
  /** The date the report is computed for, YYYY-MM-DD. */
  at: string;
  /** An instant (ms): only resources open then count. */
  openAt?: number;
  /** The cells to report, in report order. */
  cells: readonly Cell[];
}

export interface CoverageInput extends PlaceQuery {
  /** The resources: wherever they are, as reach looks across the whole country. */
  resources: readonly CoverageResource[];
  /** The seat of every municipality: a location without public coordinates is placed there. */
  seats: ReadonlyMap<string, Seat>;
}

export interface CoverageSummary {
  covered: number;
  partial: number;
  partlyKnown: number;
  noneKnown: number;
  nationalOnly: number;
  gap: number;
  notInventoried: number;
}

export interface CellCoverage extends Cell {
  status: CoverageStatus;
  /** Whether a counted national line or service covers the cell. */
  nationalSupport: boolean;
  /** Complete inventory: the municipalities without regional support, a finding. */
  lackingMunicipalities: { code: string; name: string }[];
  affectedPopulation: number;
  /** Selection: the municipalities without known regional support, of which nothing is known. */
  notKnownMunicipalities: { code: string; name: string }[];
  notKnownPopulation: number;
  resources: ResourceSummary[];
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
  /** The instant asked for (RFC 3339, UTC): only resources open then count. */
  openAt?: string;
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
export function countsAt(resource: CountingTerms, at: string): boolean {
  if (!resource.forIndividuals) return false;
  if (resource.activeFrom !== null && resource.activeFrom > at) return false;
  if (resource.status === 'active') return resource.activeUntil === null || at < resource.activeUntil;
  if (resource.status === 'closed') return resource.activeUntil !== null && at < resource.activeUntil;
  return false;
}

/**
 * `countsAt` for each of the index's distinct terms: 1 where resources with those terms count; with an
 * instant, only those open then (unknown hours never count as open).
 */
function countedTerms(support: SupportIndex, at: string, openAt?: number): Uint8Array {
  return Uint8Array.from(support.terms, (terms) =>
    countsAt(terms, at) &&
    (openAt === undefined || (terms.hours !== undefined && stateAt(terms.hours, openAt) === 'open'))
      ? 1
      : 0,
  );
}

/**
 * Where a location receives people, for reach: its public coordinates where published, otherwise its
 * municipality's seat (a confidential location never has coordinates); undefined for an unknown one.
 */
export function locatedPoint(
  location: CoverageLocation,
  seats: ReadonlyMap<string, Seat>,
): Point | undefined {
  if (location.visibility === 'public' && location.lat !== null && location.lon !== null) {
    return { lat: location.lat, lon: location.lon };
  }
  const seat = seats.get(location.municipality);
  return seat ? { lat: seat.seatLat, lon: seat.seatLon } : undefined;
}

/** An index of plain resource objects, keeping the `cells` given (other cells change no report). */
export function supportIndexOf(
  resources: readonly CoverageResource[],
  cells: readonly Cell[],
  seats: ReadonlyMap<string, Seat>,
): SupportIndex {
  const builder = new SupportIndexBuilder(cells, seats.keys());
  for (const resource of resources) {
    const r = builder.add(resource);
    for (const cell of resource.cells) builder.addCell(r, cell.area, cell.role, cell.group);
    for (const code of resource.serviceArea) builder.addMunicipality(r, code);
    for (const location of resource.locations) {
      const point = locatedPoint(location, seats);
      if (point) builder.addPoint(r, point);
    }
  }
  return builder.build();
}

/**
 * The status of a cell in a place of `total` municipalities, `without` of which have no (known) regional
 * support, by the completeness of the county's inventory: only a complete one makes absence a finding.
 */
export function cellStatus(
  total: number,
  without: number,
  national: boolean,
  completeness: Completeness,
): Exclude<CoverageStatus, 'not-inventoried'> {
  if (without === 0) return 'covered';
  if (completeness === 'selection') return without < total ? 'partly-known' : 'none-known';
  if (without < total) return 'partial';
  return national ? 'national-only' : 'gap';
}

/**
 * What an inventory can tell of one cell: a complete inventory is a selection for the cells its source makes
 * no finding on.
 */
export function completenessOf(inventory: Inventory, cell: Cell): Completeness {
  if (inventory.completeness === 'selection') return 'selection';
  const unassessed = inventory.notAssessed.some(
    (p) =>
      (p.area === undefined || p.area === cell.area) &&
      (p.role === undefined || p.role === cell.role) &&
      (p.group === undefined || p.group === cell.group),
  );
  return unassessed ? 'selection' : 'complete';
}

/** The fields of a cell without municipalities to name: not inventoried, or covered. */
const nothingWithout = {
  lackingMunicipalities: [],
  affectedPopulation: 0,
  notKnownMunicipalities: [],
  notKnownPopulation: 0,
};

/**
 * The municipalities without (known) regional support, under the name the inventory's completeness gives
 * them: lacking (a finding) or not known. Never both.
 */
function without(municipalities: readonly PlaceMunicipality[], completeness: Completeness) {
  const named = municipalities.map((m) => ({ code: m.code, name: m.name }));
  const population = municipalities.reduce((sum, m) => sum + m.population2016, 0);
  return completeness === 'complete'
    ? { ...nothingWithout, lackingMunicipalities: named, affectedPopulation: population }
    : { ...nothingWithout, notKnownMunicipalities: named, notKnownPopulation: population };
}

/** The requested cells as a mask over the index's bits, and which requested rows each bit stands for. */
function cellSelection(support: SupportIndex, cells: readonly Cell[]) {
  const mask = new Uint32Array(support.words);
  const rowsOfBit: number[][] = support.cells.map(() => []);
  const bits = cells.map((cell, row) => {
    const bit = support.bitOf(cell);
    if (bit >= 0) {
      mask[bit >>> 5] = ((mask[bit >>> 5] as number) | (1 << (bit & 31))) >>> 0;
      rowsOfBit[bit]?.push(row);
    }
    return bit;
  });
  return { mask, rowsOfBit, bits };
}

/**
 * Writes into `out` the bits that resource r shares with `mask`; answers how many. Bits are taken one
 * word at a time, lowest first.
 */
function commonBits(support: SupportIndex, r: number, mask: Uint32Array, out: Int32Array): number {
  let found = 0;
  for (let w = 0; w < mask.length; w++) {
    let bits = ((support.cellWords[r * support.words + w] as number) & (mask[w] as number)) >>> 0;
    while (bits !== 0) {
      const lowest = bits & -bits;
      out[found++] = w * 32 + 31 - Math.clz32(lowest);
      bits = (bits ^ lowest) >>> 0;
    }
  }
  return found;
}

/** The report for one place from resources given as objects: indexes them, then `placeCoverage`. */
export function coverageReport(input: CoverageInput): CoverageReport {
  return placeCoverage(supportIndexOf(input.resources, input.cells, input.seats), input);
}

/**
 * A place's report in one pass over the index: for each counted resource covering a requested cell, the
 * place's municipalities it serves become regional for that cell (or the cell has national support), and
 * it is listed for the cell if it serves the place at all. The index numbers resources in name order, so
 * each cell's list comes out sorted: regional ones (what the county arranges), then national ones.
 */
export function placeCoverage(support: SupportIndex, query: PlaceQuery): CoverageReport {
  const { place, inventory, at } = query;
  const inventoried = inventory !== null;
  const municipalities = place.municipalities;
  const width = municipalities.length;
  const counted = countedTerms(support, at, query.openAt);
  const selection = cellSelection(support, query.cells);

  /** The position in the place of each of the index's municipalities; −1 outside it. */
  const slotOf = new Int32Array(support.municipalities.length).fill(-1);
  municipalities.forEach((m, slot) => {
    const index = support.municipalityOf(m.code);
    if (index >= 0) slotOf[index] = slot;
  });

  const rows = query.cells.length;
  const { words, termOf, area, areaStart, cellWords } = support;
  const { mask } = selection;
  /** Per municipality of the place, the index's cells it has regional support for: `words` words each. */
  const regional = new Uint32Array(width * words);
  const national = new Uint8Array(rows);
  const servingRegional: number[][] = query.cells.map(() => []);
  const servingNational: number[][] = query.cells.map(() => []);
  const shared = new Int32Array(support.cells.length);
  for (let r = 0; r < support.size; r++) {
    if (counted[termOf[r] as number] === 0) continue;
    if (support.national[r] === 1) {
      const count = commonBits(support, r, mask, shared);
      for (let c = 0; c < count; c++) {
        for (const row of selection.rowsOfBit[shared[c] as number] as number[]) {
          national[row] = 1;
          servingNational[row]?.push(r);
        }
      }
      continue;
    }
    // Most resources serve elsewhere: look at the service area before the cells.
    const first = areaStart[r] as number;
    const end = areaStart[r + 1] as number;
    let servesPlace = false;
    for (let a = first; a < end && !servesPlace; a++)
      servesPlace = (slotOf[area[a] as number] as number) >= 0;
    if (!servesPlace) continue;
    const count = commonBits(support, r, mask, shared);
    if (count === 0) continue;
    for (let c = 0; c < count; c++) {
      for (const row of selection.rowsOfBit[shared[c] as number] as number[]) servingRegional[row]?.push(r);
    }
    // Its requested cells become regional in each of the place's municipalities it serves: a word at a
    // time rather than a cell at a time.
    for (let a = first; a < end; a++) {
      const slot = slotOf[area[a] as number] as number;
      if (slot < 0) continue;
      for (let w = 0; w < words; w++) {
        regional[slot * words + w] =
          ((regional[slot * words + w] as number) |
            ((cellWords[r * words + w] as number) & (mask[w] as number))) >>>
          0;
      }
    }
  }
  /** Whether the municipality in `slot` has regional support for the cell of index bit `bit`. */
  const regionalAt = (slot: number, bit: number) =>
    bit >= 0 && ((regional[slot * words + (bit >>> 5)] as number) & (1 << (bit & 31))) !== 0;

  const inventoryDate = inventory?.completedOn ?? null;
  const cells = query.cells.map((cell, row): CellCoverage => {
    const resources = listed(
      support,
      servingRegional[row] as number[],
      servingNational[row] as number[],
      inventoryDate,
    );
    const nationalSupport = national[row] === 1;
    // Without an inventory an empty cell says nothing about need: not inventoried, never a gap.
    if (!inventory) {
      return {
        ...cell,
        status: 'not-inventoried',
        nationalSupport,
        ...nothingWithout,
        resources,
        reach: noReach,
      };
    }
    const bit = selection.bits[row] as number;
    const unserved = municipalities.filter((_, slot) => !regionalAt(slot, bit));
    const completeness = completenessOf(inventory, cell);
    return {
      ...cell,
      status: cellStatus(width, unserved.length, nationalSupport, completeness),
      nationalSupport,
      ...without(unserved, completeness),
      resources,
      reach: reach(support, selection.bits[row] as number, unserved, counted),
    };
  });

  return {
    place: {
      type: place.type,
      code: place.code,
      name: place.name,
      county: place.county,
      municipalityCount: municipalities.length,
      population2016: municipalities.reduce((sum, m) => sum + m.population2016, 0),
    },
    inventoried,
    inventory,
    at,
    ...(query.openAt === undefined ? {} : { openAt: new Date(query.openAt).toISOString() }),
    summary: summarize(cells),
    cells,
    gaps: gapsOf(cells),
  };
}

/**
 * The resources serving a cell as the report lists them: regional ones first, each group in index order,
 * each marked if it is dated after the inventory.
 */
function listed(
  support: SupportIndex,
  regional: readonly number[],
  national: readonly number[],
  inventoryDate: string | null,
) {
  const list = new Array<ResourceSummary>(regional.length + national.length);
  regional.forEach((r, i) => {
    list[i] = support.summary(r, inventoryDate);
  });
  national.forEach((r, i) => {
    list[regional.length + i] = support.summary(r, inventoryDate);
  });
  return list;
}

const noReach = { medianKm: null, maxKm: null };

/** The summary's member for each status. */
const summaryKey: Record<CoverageStatus, keyof CoverageSummary> = {
  covered: 'covered',
  partial: 'partial',
  'partly-known': 'partlyKnown',
  'none-known': 'noneKnown',
  'national-only': 'nationalOnly',
  gap: 'gap',
  'not-inventoried': 'notInventoried',
};

export function summarize(cells: readonly { status: CoverageStatus }[]): CoverageSummary {
  const summary: CoverageSummary = {
    covered: 0,
    partial: 0,
    partlyKnown: 0,
    noneKnown: 0,
    nationalOnly: 0,
    gap: 0,
    notInventoried: 0,
  };
  for (const { status } of cells) summary[summaryKey[status]] += 1;
  return summary;
}

/**
 * How much worse a cell that is not covered is, for ordering gaps with the same affected population. Only
 * findings of a complete inventory are gaps: what a selection does not know is no gap.
 */
const severity: Record<CoverageStatus, number> = {
  gap: 3,
  'national-only': 2,
  partial: 1,
  covered: 0,
  'partly-known': 0,
  'none-known': 0,
  'not-inventoried': 0,
};

/**
 * The cells a complete inventory finds not covered, largest affected population first. Between equals,
 * nothing at all comes before national support only, which comes before partial; then the matrix order.
 */
function gapsOf<C extends { status: CoverageStatus; affectedPopulation: number }>(cells: readonly C[]): C[] {
  return cells
    .filter((c) => severity[c.status] > 0)
    .sort((a, b) => b.affectedPopulation - a.affectedPopulation || severity[b.status] - severity[a.status]);
}

// --- Reach: how far people in a lacking municipality must travel to regional support for the cell ---

/** The distance in km from `from` to the nearest of `points`; null when there are none. */
export function nearestKm(from: Point, points: readonly Point[]): number | null {
  const grid = new PointGrid(
    points.map((p) => p.lat),
    points.map((p) => p.lon),
    points.map(() => 0),
  );
  return grid.nearestKm(from);
}

const toTenths = (km: number) => Math.round(km * 10) / 10;

export function median(sorted: readonly number[]): number {
  const middle = sorted.length >>> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * From each lacking municipality's seat to the nearest point of a counted regional resource covering the
 * cell, anywhere in the country: the median and the longest, in tenths of a km.
 */
function reach(
  support: SupportIndex,
  bit: number,
  lacking: readonly PlaceMunicipality[],
  counted: Uint8Array,
): CellCoverage['reach'] {
  if (lacking.length === 0 || bit < 0) return { medianKm: null, maxKm: null };
  const grid = support.pointsCovering(bit);
  const counts = (r: number) => counted[support.termOf[r] as number] === 1;
  const distances: number[] = [];
  for (const m of lacking) {
    const km = grid.nearestKm({ lat: m.seatLat, lon: m.seatLon }, counts);
    // Whether a point counts does not depend on where one starts: none for one seat is none for all.
    if (km === null) return { medianKm: null, maxKm: null };
    distances.push(km);
  }
  distances.sort((a, b) => a - b);
  return { medianKm: toTenths(median(distances)), maxKm: toTenths(distances.at(-1) as number) };
}

// --- The national overview: every county at once, from one pass ---

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
  /**
   * The cell a complete inventory finds not covered with the largest affected population; null when there
   * is none, and always for a selection or a county not inventoried.
   */
  largestGap:
    | (Cell & { status: CoverageStatus; affectedPopulation: number; lackingMunicipalityCount: number })
    | null;
}

export interface NationalOverview {
  at: string;
  /** The instant asked for (RFC 3339, UTC): only resources open then count. */
  openAt?: string;
  counties: CountyOverview[];
}

/** The level of support each cell has in each municipality of the country. */
export class SupportLevels {
  private readonly rowByCell: ReadonlyMap<string, number>;
  /** The index's bit of each row's cell; −1 for a cell the index does not know, which nothing covers. */
  private readonly bits: Int32Array;

  constructor(
    readonly cells: readonly Cell[],
    private readonly support: SupportIndex,
    /** Per municipality of the index, the cells it has regional support for: `support.words` words each. */
    private readonly regional: Uint32Array,
    /** The cells a counted national line or service covers (everywhere), as one municipality's words. */
    private readonly national: Uint32Array,
  ) {
    this.rowByCell = new Map(cells.map((cell, row) => [cellKey(cell), row]));
    this.bits = Int32Array.from(cells, (cell) => support.bitOf(cell));
  }

  /** The row of a cell; −1 for a cell not asked for. */
  rowOf(cell: Cell): number {
    return this.rowByCell.get(cellKey(cell)) ?? -1;
  }

  /** Whether national support exists for the cell of `row`. */
  nationalAt(row: number): boolean {
    const bit = this.bits[row] ?? -1;
    return bit >= 0 && ((this.national[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }

  /** Whether the municipality of the index's position `index` has regional support for the cell of `row`. */
  regionalAt(row: number, index: number): boolean {
    const bit = this.bits[row] ?? -1;
    if (bit < 0 || index < 0) return false;
    const word = this.regional[index * this.support.words + (bit >>> 5)] as number;
    return (word & (1 << (bit & 31))) !== 0;
  }

  /** The index's position of a municipality; −1 for one it does not know, which nothing serves. */
  municipalityOf(code: string): number {
    return this.support.municipalityOf(code);
  }
}

/**
 * Support per cell and municipality for the whole country in one pass over the index: a counted national
 * resource adds its cells to the national ones, a counted regional one adds its cells to each municipality
 * of its service area, a word of cells at a time.
 */
export function supportLevels(
  support: SupportIndex,
  cells: readonly Cell[],
  at: string,
  openAt?: number,
): SupportLevels {
  const counted = countedTerms(support, at, openAt);
  const { mask } = cellSelection(support, cells);
  const { words, termOf, area, areaStart, cellWords } = support;
  const regional = new Uint32Array(support.municipalities.length * words);
  const national = new Uint32Array(words);
  for (let r = 0; r < support.size; r++) {
    if (counted[termOf[r] as number] === 0) continue;
    if (support.national[r] === 1) {
      for (let w = 0; w < words; w++) {
        national[w] =
          ((national[w] as number) | ((cellWords[r * words + w] as number) & (mask[w] as number))) >>> 0;
      }
      continue;
    }
    for (let w = 0; w < words; w++) {
      const requested = ((cellWords[r * words + w] as number) & (mask[w] as number)) >>> 0;
      if (requested === 0) continue;
      for (let a = areaStart[r] as number; a < (areaStart[r + 1] as number); a++) {
        const word = (area[a] as number) * words + w;
        regional[word] = ((regional[word] as number) | requested) >>> 0;
      }
    }
  }
  return new SupportLevels(cells, support, regional, national);
}

/** Support levels from resources given as objects, for callers that hold objects rather than an index. */
export function cellSupport(
  resources: readonly CoverageResource[],
  cells: readonly Cell[],
  at: string,
): SupportLevels {
  return supportLevels(supportIndexOf(resources, cells, new Map()), cells, at);
}

/**
 * One row per county from one table of support levels, so the overview costs one pass rather than a full
 * report per county. Statuses follow `cellStatus`, exactly as in a county report.
 */
export function nationalOverview(input: {
  at: string;
  openAt?: number;
  cells: readonly Cell[];
  counties: readonly CountyInput[];
  support: SupportLevels;
}): NationalOverview {
  const counties = input.counties.map((county): CountyOverview => {
    const { inventory } = county;
    const inventoried = inventory !== null;
    const indexes = county.municipalities.map((m) => input.support.municipalityOf(m.code));
    const cells = input.cells.map((cell) => {
      if (!inventory)
        return {
          ...cell,
          status: 'not-inventoried' as const,
          affectedPopulation: 0,
          lackingMunicipalityCount: 0,
        };
      const row = input.support.rowOf(cell);
      let unserved = 0;
      let population = 0;
      county.municipalities.forEach((m, i) => {
        if (row >= 0 && input.support.regionalAt(row, indexes[i] as number)) return;
        unserved += 1;
        population += m.population2016;
      });
      const national = row >= 0 && county.municipalities.length > 0 && input.support.nationalAt(row);
      // What a selection does not know is neither lacking nor affected.
      const completeness = completenessOf(inventory, cell);
      const finding = completeness === 'complete';
      return {
        ...cell,
        status: cellStatus(county.municipalities.length, unserved, national, completeness),
        affectedPopulation: finding ? population : 0,
        lackingMunicipalityCount: finding ? unserved : 0,
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
  return {
    at: input.at,
    ...(input.openAt === undefined ? {} : { openAt: new Date(input.openAt).toISOString() }),
    counties,
  };
}
