// What the places endpoints answer, assembled from the in-memory reference data. Pure functions.
import { type Static, Type } from 'typebox';
import { type Page, type Paging, pageWindow } from '../http/pagination.js';
import { unknownCode } from '../http/problem.js';
import { CellPatternSchema, Completeness } from '../resources/schemas.js';
import type { Municipality, Places } from './places.js';
import type { Inventory } from './repository.js';

export const CodeName = Type.Object({ code: Type.String(), name: Type.String() });

export const InventorySchema = Type.Object(
  {
    completedOn: Type.String({ format: 'date' }),
    completeness: Completeness,
    source: Type.Object({ title: Type.String(), url: Type.Optional(Type.String()) }),
    note: Type.Optional(
      Type.String({ description: "The source's method, and the cells it makes no finding on." }),
    ),
    notAssessed: Type.Array(CellPatternSchema, {
      description:
        'The cells the source makes no finding on: coverage reads them as a selection (not known, never a ' +
        'gap), even where the inventory is complete.',
    }),
  },
  { $id: 'Inventory', description: "The county's latest inventory of its support resources." },
);

export const CountySchema = Type.Object(
  {
    code: Type.String({ description: 'SCB county code.' }),
    name: Type.String(),
    shortName: Type.String(),
    municipalityCount: Type.Integer(),
    population2016: Type.Integer({ description: 'Population on 2016-12-31 (SCB).' }),
    subregions: Type.Array(CodeName, { description: 'Subregions (delregioner), where the county has them.' }),
    inventory: Type.Union([Type.Ref('Inventory'), Type.Null()], {
      description: 'null when the county has not been inventoried.',
    }),
  },
  { $id: 'County', description: 'A county (län).' },
);

export const CountyDetailSchema = Type.Object(
  {
    ...CountySchema.properties,
    municipalities: Type.Array(CodeName),
  },
  { description: 'A county (län) with its municipalities.' },
);

export const MunicipalitySchema = Type.Object(
  {
    code: Type.String({ description: 'SCB municipality code.' }),
    name: Type.String(),
    officialName: Type.String(),
    county: CodeName,
    subregion: Type.Union([CodeName, Type.Null()]),
    seat: Type.Object(
      { lat: Type.Number(), lon: Type.Number() },
      { description: 'The municipality seat (centralort), WGS84.' },
    ),
    population2016: Type.Integer({ description: 'Population on 2016-12-31 (SCB).' }),
  },
  { $id: 'Municipality', description: 'A municipality (kommun).' },
);

export const MunicipalityDetailSchema = Type.Object(
  {
    ...MunicipalitySchema.properties,
    boundary: Type.Object(
      { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
      { description: 'Simplified boundary as a GeoJSON Polygon or MultiPolygon geometry (WGS84).' },
    ),
  },
  { description: 'A municipality (kommun) with its boundary.' },
);

export type CountyView = Static<typeof CountySchema>;
export type MunicipalityView = Static<typeof MunicipalitySchema>;

export function countyView(places: Places, code: string, inventories: Map<string, Inventory>): CountyView {
  const county = places.counties.get(code);
  if (!county) throw new Error(`unknown county ${code}`);
  const municipalities = places.municipalitiesOfCounty(code);
  return {
    code: county.code,
    name: county.name,
    shortName: county.shortName,
    municipalityCount: municipalities.length,
    population2016: municipalities.reduce((sum, m) => sum + m.population2016, 0),
    subregions: [...places.subregions.values()]
      .filter((s) => s.countyCode === code)
      .map((s) => ({ code: s.code, name: s.name })),
    inventory: inventories.get(code) ?? null,
  };
}

export function municipalityView(places: Places, m: Municipality): MunicipalityView {
  const county = places.counties.get(m.countyCode);
  const subregion = m.subregionCode ? places.subregions.get(m.subregionCode) : undefined;
  return {
    code: m.code,
    name: m.name,
    officialName: m.officialName,
    county: { code: m.countyCode, name: county?.name ?? m.countyCode },
    subregion: subregion ? { code: subregion.code, name: subregion.name } : null,
    seat: { lat: m.seatLat, lon: m.seatLon },
    population2016: m.population2016,
  };
}

/** The municipalities of a county and/or subregion (all when neither is given); unknown codes are a 400. */
export function municipalitiesIn(
  places: Places,
  filter: { county?: string; subregion?: string },
): Municipality[] {
  const { county, subregion } = filter;
  if (county !== undefined && !places.counties.has(county)) throw unknownCode('county', county, 'county');
  if (subregion !== undefined && !places.subregions.has(subregion)) {
    throw unknownCode('subregion', subregion, 'subregion');
  }
  return [...places.municipalities.values()]
    .filter((m) => county === undefined || m.countyCode === county)
    .filter((m) => subregion === undefined || m.subregionCode === subregion);
}

export function pageOf<T>(all: readonly T[], paging: Paging): Page<T> {
  const { offset, totalPages } = pageWindow(paging, all.length);
  return {
    items: all.slice(offset, offset + paging.limit),
    page: paging.page,
    limit: paging.limit,
    totalItems: all.length,
    totalPages,
  };
}
