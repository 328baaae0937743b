// Counties, subregions and municipalities: static reference data, read from the database once at start
// and kept in memory, so validation and search never query it per request.
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import { type Geometry, MunicipalityLocator, type Point } from './geo.js';

export interface County {
  code: string;
  name: string;
  shortName: string;
}
export interface Subregion {
  code: string;
  name: string;
  countyCode: string;
}
export interface Municipality {
  code: string;
  name: string;
  officialName: string;
  countyCode: string;
  subregionCode: string | null;
  seatLat: number;
  seatLon: number;
  population2016: number;
}

export interface PlaceSelection {
  counties?: readonly string[];
  subregions?: readonly string[];
  municipalities?: readonly string[];
}

export class Places {
  readonly counties: ReadonlyMap<string, County>;
  readonly subregions: ReadonlyMap<string, Subregion>;
  readonly municipalities: ReadonlyMap<string, Municipality>;
  private readonly byCounty = new Map<string, Municipality[]>();
  private readonly bySubregion = new Map<string, Municipality[]>();

  private readonly locator: MunicipalityLocator;

  constructor(
    counties: County[],
    subregions: Subregion[],
    municipalities: Municipality[],
    boundaries: Iterable<[string, Geometry]>,
  ) {
    this.locator = new MunicipalityLocator(boundaries);
    this.counties = new Map(counties.map((c) => [c.code, c]));
    this.subregions = new Map(subregions.map((s) => [s.code, s]));
    this.municipalities = new Map(municipalities.map((m) => [m.code, m]));
    for (const m of municipalities) {
      push(this.byCounty, m.countyCode, m);
      if (m.subregionCode) push(this.bySubregion, m.subregionCode, m);
    }
  }

  municipalitiesOfCounty(code: string): readonly Municipality[] {
    return this.byCounty.get(code) ?? [];
  }

  municipalitiesOfSubregion(code: string): readonly Municipality[] {
    return this.bySubregion.get(code) ?? [];
  }

  /** The municipality whose boundary contains the point; undefined outside Sweden. */
  municipalityAt(point: Point): Municipality | undefined {
    const code = this.locator.locate(point);
    return code === null ? undefined : this.municipalities.get(code);
  }

  /** Expands counties and subregions to their municipalities; sorted, without duplicates. */
  expand(selection: PlaceSelection): string[] {
    const codes = new Set(selection.municipalities ?? []);
    for (const c of selection.counties ?? [])
      for (const m of this.municipalitiesOfCounty(c)) codes.add(m.code);
    for (const s of selection.subregions ?? [])
      for (const m of this.municipalitiesOfSubregion(s)) codes.add(m.code);
    return [...codes].sort();
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export function loadPlaces(db: Db): Places {
  const counties = db.select().from(schema.counties).orderBy(schema.counties.code).all();
  const subregions = db.select().from(schema.subregions).orderBy(schema.subregions.name).all();
  const municipalities = db
    .select({
      code: schema.municipalities.code,
      name: schema.municipalities.name,
      officialName: schema.municipalities.officialName,
      countyCode: schema.municipalities.countyCode,
      subregionCode: schema.municipalities.subregionCode,
      seatLat: schema.municipalities.seatLat,
      seatLon: schema.municipalities.seatLon,
      population2016: schema.municipalities.population2016,
    })
    .from(schema.municipalities)
    .orderBy(schema.municipalities.code)
    .all();
  const boundaries = db
    .select({ code: schema.municipalities.code, boundary: schema.municipalities.boundary })
    .from(schema.municipalities)
    .all()
    .map((row): [string, Geometry] => [row.code, JSON.parse(row.boundary) as Geometry]);
  return new Places(counties, subregions, municipalities, boundaries);
}
