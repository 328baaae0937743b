// What coverage needs to know of every resource, held in memory as flat typed arrays so that a county
// report or the national overview is one pass over them instead of a set of SQL queries. The index holds
// raw facts only (status and dates, cells, service area, points); what counts on a date is decided by
// `countsAt` in compute.ts, so the rule stays in one place. Built from the database by repository.ts and
// from plain objects by compute.ts; immutable once built.
import type { CompiledHours } from '../hours/open-at.js';
import type { Point } from '../places/geo.js';
import { StringList, type StringListParts } from '../read-model/string-list.js';
import type { Cell } from '../vocabulary/vocabulary.js';
import { PointGrid } from './point-grid.js';

export type ResourceStatus = 'active' | 'planned' | 'inactive' | 'closed';

/** What decides whether a resource counts as support on a date (`countsAt`). */
export interface CountingTerms {
  status: ResourceStatus;
  activeFrom: string | null;
  activeUntil: string | null;
  forIndividuals: boolean;
  /** Its opening hours, for coverage at an instant; absent: unknown, never open. */
  hours?: CompiledHours;
}

/** A resource's own fields, as the index keeps them. */
export interface IndexedResource extends CountingTerms {
  id: string;
  name: string;
  kind: string;
  /** A national line or service: serves every municipality, but never makes one "regional". */
  national: boolean;
  /** When the main source, a web page, was seen; absent or null for a report. */
  sourceSeen?: string | null;
  /** Tells one set of opening hours from another (equal hours, equal keys); absent with `hours`. */
  hoursKey?: string;
}

export interface ResourceSummary {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  /** Whether the entry comes from after the county's inventory (see `SupportIndexData.datedOn`). */
  readonly afterInventory: boolean;
}

/**
 * A listed resource's JSON as UTF-8 after a comma (`,{"id":…}`), made with its summary and kept on it where
 * JSON.stringify, Object.entries, a spread and deep comparisons do not look (a symbol key, not enumerable):
 * a county's report lists the same summaries tens of thousands of times, and json.ts copies each from
 * these bytes, the comma that comes before all but the first of a list included.
 */
const bytesOfSummary = Symbol('json');

/** ',' + JSON.stringify(summary) as UTF-8: from the bytes kept with a summary the index made. */
export function summaryBytesAfterComma(summary: ResourceSummary): Buffer {
  return (
    (summary as { [bytesOfSummary]?: Buffer })[bytesOfSummary] ??
    Buffer.from(`,${JSON.stringify(summary)}`, 'utf8')
  );
}

/** The later of two optional dates (YYYY-MM-DD compare as strings). */
export const laterDate = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null ? a : a > b ? a : b;

const swedishOrder = new Intl.Collator('sv');
const byCode = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The cells an index knows, one bit each, in the order given. */
class CellBits {
  /** The cells without repeats. */
  readonly cells: readonly Cell[];
  /** How many 32-bit words hold one resource's cells. */
  readonly words: number;
  private readonly bitByKey = new Map<string, number>();

  constructor(cells: readonly Cell[]) {
    const unique: Cell[] = [];
    for (const cell of cells) {
      const key = `${cell.area}|${cell.role}|${cell.group}`;
      if (this.bitByKey.has(key)) continue;
      this.bitByKey.set(key, unique.length);
      unique.push(cell);
    }
    this.cells = unique;
    this.words = Math.max(1, Math.ceil(unique.length / 32));
  }

  /** The bit of a cell; −1 for a cell not in the list, which nothing covers. */
  bitOf(area: string, role: string, group: string): number {
    return this.bitByKey.get(`${area}|${role}|${group}`) ?? -1;
  }
}

/**
 * The arrays of an index, as the builder lays them out. Resources are numbered in the order reports list
 * them (by name as Swedish sorts it, then by id), so a pass in index order needs no sorting afterwards.
 */
interface SupportIndexData {
  cellBits: CellBits;
  /** Municipality codes; service areas hold positions in this list. */
  municipalities: readonly string[];
  /** Held outside the heap (a string each, 100 000 of them, would be inside). */
  ids: StringList;
  names: StringList;
  kinds: readonly string[];
  /**
   * The latest date each entry rests on: when it started or when its main source was seen. An entry dated
   * after a county's inventory was learned since, not found by the inventory.
   */
  datedOn: readonly (string | null)[];
  national: Uint8Array;
  /** The distinct counting terms: many resources share one, so a date is checked once per term. */
  terms: readonly CountingTerms[];
  termOf: Uint32Array;
  /** Resource r's cells: bit b of words r × words … r × words + words − 1 is `cells[b]`. */
  cellWords: Uint32Array;
  /** Resource r serves the municipalities `area[areaStart[r]]` … `area[areaStart[r + 1] − 1]`. */
  areaStart: Uint32Array;
  area: Uint16Array;
  /** Resource r receives people at points `pointStart[r]` … `pointStart[r + 1] − 1`. */
  pointStart: Uint32Array;
  pointLat: Float64Array;
  pointLon: Float64Array;
}

/** An index's arrays as plain values, its cells in place of their bit map: what a saved model holds. */
export type SupportIndexParts = Omit<SupportIndexData, 'cellBits' | 'ids' | 'names'> & {
  cells: readonly Cell[];
  ids: StringListParts;
  names: StringListParts;
};

export class SupportIndex {
  private readonly cellBits: CellBits;
  readonly municipalities: readonly string[];
  readonly ids: StringList;
  readonly names: StringList;
  readonly kinds: readonly string[];
  readonly datedOn: readonly (string | null)[];
  readonly national: Uint8Array;
  readonly terms: readonly CountingTerms[];
  readonly termOf: Uint32Array;
  readonly cellWords: Uint32Array;
  readonly areaStart: Uint32Array;
  readonly area: Uint16Array;
  readonly pointStart: Uint32Array;
  readonly pointLat: Float64Array;
  readonly pointLon: Float64Array;
  readonly words: number;
  private readonly municipalityByCode: ReadonlyMap<string, number>;
  private readonly grids: (PointGrid | undefined)[];
  /** Two summaries per resource, as it comes before or after an inventory: 2r and 2r + 1. */
  private readonly summaries: (ResourceSummary | undefined)[];

  constructor(data: SupportIndexData) {
    this.cellBits = data.cellBits;
    this.municipalities = data.municipalities;
    this.ids = data.ids;
    this.names = data.names;
    this.kinds = data.kinds;
    this.datedOn = data.datedOn;
    this.national = data.national;
    this.terms = data.terms;
    this.termOf = data.termOf;
    this.cellWords = data.cellWords;
    this.areaStart = data.areaStart;
    this.area = data.area;
    this.pointStart = data.pointStart;
    this.pointLat = data.pointLat;
    this.pointLon = data.pointLon;
    this.words = data.cellBits.words;
    this.municipalityByCode = new Map(data.municipalities.map((code, i) => [code, i]));
    this.grids = new Array(data.cellBits.cells.length).fill(undefined);
    this.summaries = new Array(2 * data.ids.length).fill(undefined);
  }

  static fromParts({ cells, ids, names, ...data }: SupportIndexParts): SupportIndex {
    return new SupportIndex({
      ...data,
      ids: new StringList(ids),
      names: new StringList(names),
      cellBits: new CellBits(cells),
    });
  }

  toParts(): SupportIndexParts {
    const { cells, municipalities, kinds, datedOn, national, terms, termOf } = this;
    const { cellWords, areaStart, area, pointStart, pointLat, pointLon } = this;
    return {
      ...{ cells, municipalities, ids: this.ids.toParts(), names: this.names.toParts() },
      ...{ kinds, datedOn, national, terms, termOf },
      ...{ cellWords, areaStart, area, pointStart, pointLat, pointLon },
    };
  }

  get size(): number {
    return this.ids.length;
  }

  get cells(): readonly Cell[] {
    return this.cellBits.cells;
  }

  /** The bit of a cell; −1 for a cell the index does not know, which nothing covers. */
  bitOf(cell: Cell): number {
    return this.cellBits.bitOf(cell.area, cell.role, cell.group);
  }

  /** The position of a municipality; −1 for one the index has never heard of, which nothing serves. */
  municipalityOf(code: string): number {
    return this.municipalityByCode.get(code) ?? -1;
  }

  /**
   * The id, name and kind of a resource as reports list it, and whether it is dated after the inventory
   * completed on `inventoryDate` (never, without one); made once per variant and shared.
   */
  summary(resource: number, inventoryDate: string | null = null): ResourceSummary {
    const datedOn = this.datedOn[resource] ?? null;
    const afterInventory = inventoryDate !== null && datedOn !== null && datedOn > inventoryDate;
    const slot = 2 * resource + (afterInventory ? 1 : 0);
    let summary = this.summaries[slot];
    if (!summary) {
      const made = {
        id: this.ids.at(resource),
        name: this.names.at(resource),
        kind: this.kinds[resource] as string,
        afterInventory,
      };
      Object.defineProperty(made, bytesOfSummary, {
        value: Buffer.from(`,${JSON.stringify(made)}`, 'utf8'),
        enumerable: false,
      });
      summary = Object.freeze(made);
      this.summaries[slot] = summary;
    }
    return summary;
  }

  /**
   * The points of every non-national resource covering a cell, wherever it is, in a grid for nearest-point
   * search; each point's owner is its resource, so that a query can pass over those that do not count.
   * Built on first use and kept, as it does not depend on the date.
   */
  pointsCovering(bit: number): PointGrid {
    let grid = this.grids[bit];
    if (!grid) {
      const word = bit >>> 5;
      const mask = 1 << (bit & 31);
      const lat: number[] = [];
      const lon: number[] = [];
      const owner: number[] = [];
      for (let r = 0; r < this.size; r++) {
        if (((this.cellWords[r * this.words + word] as number) & mask) === 0) continue;
        for (let p = this.pointStart[r] as number; p < (this.pointStart[r + 1] as number); p++) {
          lat.push(this.pointLat[p] as number);
          lon.push(this.pointLon[p] as number);
          owner.push(r);
        }
      }
      grid = new PointGrid(lat, lon, owner);
      this.grids[bit] = grid;
    }
    return grid;
  }
}

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * Collects resources and their cells, service areas and points in any order (rows of one resource need not
 * be adjacent), then lays them out in flat arrays in the order reports list resources. Service areas and
 * points are kept as pairs until `build`, which groups them by resource with a counting sort.
 */
export class SupportIndexBuilder {
  private readonly cellBits: CellBits;
  private readonly municipalities: string[] = [];
  private readonly municipalityByCode = new Map<string, number>();
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly kinds: string[] = [];
  private readonly datedOn: (string | null)[] = [];
  private readonly national: number[] = [];
  private readonly terms: CountingTerms[] = [];
  private readonly termByKey = new Map<string, number>();
  private readonly termOf: number[] = [];
  private readonly cellWords: number[] = [];
  private readonly areaOwner: number[] = [];
  private readonly areaMunicipality: number[] = [];
  private readonly pointOwner: number[] = [];
  private readonly pointLat: number[] = [];
  private readonly pointLon: number[] = [];
  /** Kinds repeat: one string each rather than one per resource. */
  private readonly kindByCode = new Map<string, string>();

  constructor(cells: readonly Cell[], municipalities: Iterable<string> = []) {
    this.cellBits = new CellBits(cells);
    for (const code of municipalities) this.municipalityIndex(code);
  }

  get cells(): readonly Cell[] {
    return this.cellBits.cells;
  }

  private municipalityIndex(code: string): number {
    let index = this.municipalityByCode.get(code);
    if (index === undefined) {
      index = this.municipalities.length;
      if (index > 0xffff) throw new RangeError('more municipalities than a service area can index');
      this.municipalities.push(code);
      this.municipalityByCode.set(code, index);
    }
    return index;
  }

  /** Adds a resource and answers its number, for the cells, municipalities and points that follow. */
  add(resource: IndexedResource): number {
    const r = this.ids.length;
    this.ids.push(resource.id);
    this.names.push(resource.name);
    this.kinds.push(getOrAdd(this.kindByCode, resource.kind, () => resource.kind));
    this.datedOn.push(laterDate(resource.activeFrom, resource.sourceSeen ?? null));
    this.national.push(resource.national ? 1 : 0);
    const { status, activeFrom, activeUntil, forIndividuals, hours } = resource;
    // NUL and SOH never occur in a date or a status, so the key tells null from any string.
    const key = `${status}\0${activeFrom ?? '\u0001'}\0${activeUntil ?? '\u0001'}\0${forIndividuals ? 1 : 0}\0${resource.hoursKey ?? ''}`;
    this.termOf.push(
      getOrAdd(this.termByKey, key, () => {
        this.terms.push(
          Object.freeze({ status, activeFrom, activeUntil, forIndividuals, ...(hours ? { hours } : {}) }),
        );
        return this.terms.length - 1;
      }),
    );
    for (let w = 0; w < this.cellBits.words; w++) this.cellWords.push(0);
    return r;
  }

  /** Marks a cell as covered by resource r; a cell the index does not know is left out. */
  addCell(r: number, area: string, role: string, group: string): void {
    const bit = this.cellBits.bitOf(area, role, group);
    if (bit >= 0) this.setBit(r, bit);
  }

  private setBit(r: number, bit: number): void {
    if (bit >= this.cellBits.cells.length) throw new RangeError(`no cell has bit ${bit}`);
    const at = r * this.cellBits.words + (bit >>> 5);
    this.cellWords[at] = ((this.cellWords[at] as number) | (1 << (bit & 31))) >>> 0;
  }

  addMunicipality(r: number, code: string): void {
    this.areaOwner.push(r);
    this.areaMunicipality.push(this.municipalityIndex(code));
  }

  /**
   * Adds a point where resource r receives people. A national resource's points are not kept: a national
   * line is never the place to travel to for regional support.
   */
  addPoint(r: number, point: Point): void {
    if (this.national[r] === 1) return;
    this.pointOwner.push(r);
    this.pointLat.push(point.lat);
    this.pointLon.push(point.lon);
  }

  /** Lays the resources out by name, so that one pass in index order lists them as reports do. */
  build(): SupportIndex {
    const size = this.ids.length;
    const order = nameOrder(this.ids, this.names);
    const rank = new Uint32Array(size);
    order.forEach((r, position) => {
      rank[r] = position;
    });
    const reorder = <T>(list: readonly T[]) => Array.from(order, (r) => list[r] as T);
    const words = this.cellBits.words;
    const cellWords = new Uint32Array(size * words);
    order.forEach((r, position) => {
      for (let w = 0; w < words; w++)
        cellWords[position * words + w] = this.cellWords[r * words + w] as number;
    });

    const areaOwner = this.areaOwner.map((r) => rank[r] as number);
    const areaStart = startsOf(areaOwner, size);
    const area = new Uint16Array(areaOwner.length);
    placeByOwner(areaOwner, areaStart, (from, to) => {
      area[to] = this.areaMunicipality[from] as number;
    });
    const pointOwner = this.pointOwner.map((r) => rank[r] as number);
    const pointStart = startsOf(pointOwner, size);
    const pointLat = new Float64Array(pointOwner.length);
    const pointLon = new Float64Array(pointOwner.length);
    placeByOwner(pointOwner, pointStart, (from, to) => {
      pointLat[to] = this.pointLat[from] as number;
      pointLon[to] = this.pointLon[from] as number;
    });

    return new SupportIndex({
      cellBits: this.cellBits,
      municipalities: this.municipalities,
      ids: StringList.of(reorder(this.ids)),
      names: StringList.of(reorder(this.names)),
      kinds: reorder(this.kinds),
      datedOn: reorder(this.datedOn),
      national: Uint8Array.from(order, (r) => this.national[r] as number),
      terms: this.terms,
      termOf: Uint32Array.from(order, (r) => this.termOf[r] as number),
      cellWords,
      areaStart,
      area,
      pointStart,
      pointLat,
      pointLon,
    });
  }
}

/**
 * Resource numbers in report order: by name as Swedish sorts it, then by id. A sort by code units first
 * puts names nearly in Swedish order (they differ mostly in case and letters beyond z), which the final
 * sort's merge of runs (TimSort) then finishes in far fewer of the costly Swedish comparisons.
 */
function nameOrder(ids: readonly string[], names: readonly string[]): number[] {
  const order = Array.from(ids, (_, r) => r);
  order.sort(
    (a, b) => byCode(names[a] as string, names[b] as string) || byCode(ids[a] as string, ids[b] as string),
  );
  return order.sort(
    (a, b) =>
      swedishOrder.compare(names[a] as string, names[b] as string) ||
      byCode(ids[a] as string, ids[b] as string),
  );
}

/** Where each owner's run begins once pairs are grouped by owner: a prefix sum of the counts. */
function startsOf(owners: readonly number[], size: number): Uint32Array {
  const start = new Uint32Array(size + 1);
  for (const owner of owners) start[owner + 1] = (start[owner + 1] as number) + 1;
  for (let r = 1; r <= size; r++) start[r] = (start[r] as number) + (start[r - 1] as number);
  return start;
}

/** Moves pair `from` to its place `to` in its owner's run, keeping the order pairs were added in. */
function placeByOwner(
  owners: readonly number[],
  start: Uint32Array,
  move: (from: number, to: number) => void,
) {
  const next = start.slice(0, -1);
  owners.forEach((owner, from) => {
    const to = next[owner] as number;
    next[owner] = to + 1;
    move(from, to);
  });
}
