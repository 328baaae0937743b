// The shapes of the coverage endpoints: query strings and the JSON they answer.
import { type Static, Type } from 'typebox';
import { InventorySchema } from '../places/views.js';
import { CountyCode, MunicipalityCode, SubregionCode, VocabularyCode } from '../resources/schemas.js';
import { coverageStatuses } from './compute.js';

const CellFilter = {
  area: Type.Optional(
    Type.Array(VocabularyCode, {
      maxItems: 20,
      description: 'Only cells of this area, e.g. `sexual-violence`; repeat for several.',
    }),
  ),
  role: Type.Optional(
    Type.Array(VocabularyCode, {
      maxItems: 20,
      description: 'Only cells of this role, `subjected` or `perpetrator`; repeat for several.',
    }),
  ),
  group: Type.Optional(
    Type.Array(VocabularyCode, {
      maxItems: 20,
      description: 'Only cells of this target group, e.g. `lgbtqi`; repeat for several.',
    }),
  ),
  at: Type.Optional(
    Type.String({
      format: 'date',
      description:
        'Compute as of this date (YYYY-MM-DD); default today (UTC). A resource counts only while its status ' +
        'and dates say it was running.',
    }),
  ),
};

export const CoverageQuery = Type.Object(
  {
    county: Type.Optional({ ...CountyCode, description: 'The county (län) to report on, e.g. `06`.' }),
    subregion: Type.Optional({
      ...SubregionCode,
      description: 'The subregion (delregion) to report on, e.g. `skaraborg`.',
    }),
    municipality: Type.Optional({
      ...MunicipalityCode,
      description: 'The municipality (kommun) to report on, e.g. `1480`.',
    }),
    ...CellFilter,
    format: Type.Optional(
      Type.Enum(['json', 'csv'], {
        description: '`csv` answers a spreadsheet of the matrix, as `Accept: text/csv` does.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

export const NationalCoverageQuery = Type.Object(CellFilter, { additionalProperties: false });

const CodeName = Type.Object({ code: Type.String(), name: Type.String() });
const Status = Type.Enum(coverageStatuses, {
  description:
    '`covered`: every municipality has regional support; `partial`: some do; `national-only`: none has ' +
    'regional support but a national line or service covers the cell; `gap`: nothing; `unknown`: the ' +
    'county has not been inventoried.',
});
const NullableInventory = Type.Union([Type.Object(InventorySchema.properties), Type.Null()], {
  description: "The county's latest inventory of its support resources; null when it has none.",
});

export const CoverageSummarySchema = Type.Object(
  {
    covered: Type.Integer({ minimum: 0 }),
    partial: Type.Integer({ minimum: 0 }),
    nationalOnly: Type.Integer({ minimum: 0 }),
    gap: Type.Integer({ minimum: 0 }),
    unknown: Type.Integer({ minimum: 0 }),
  },
  { $id: 'CoverageSummary', description: 'How many of the reported cells have each status.' },
);

export const CoverageCellSchema = Type.Object(
  {
    area: Type.String(),
    role: Type.String(),
    group: Type.String(),
    status: Status,
    lackingMunicipalities: Type.Array(CodeName, {
      description: 'The municipalities without regional support for the cell (empty when `unknown`).',
    }),
    affectedPopulation: Type.Integer({
      minimum: 0,
      description: 'The population of the lacking municipalities, 2016 (SCB).',
    }),
    resources: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }), {
      description:
        'The counted resources covering the cell whose service area includes part of the place, national ' +
        'ones included; regional first, then by name.',
    }),
    reach: Type.Object(
      {
        medianKm: Type.Union([Type.Number(), Type.Null()]),
        maxKm: Type.Union([Type.Number(), Type.Null()]),
      },
      {
        description:
          'Great-circle distance from each lacking municipality’s seat to the nearest location of a regional ' +
          'resource covering the cell, anywhere in the country: median and maximum, to 0.1 km. A location ' +
          'without public coordinates counts from its municipality’s seat. null when no municipality lacks ' +
          'support or no such resource has a location.',
      },
    ),
  },
  { $id: 'CoverageCell', description: 'One cell of the matrix (area × role × group) in a place.' },
);

export const CoverageReportSchema = Type.Object(
  {
    place: Type.Object({
      type: Type.Enum(['county', 'subregion', 'municipality']),
      code: Type.String(),
      name: Type.String(),
      county: CodeName,
      municipalityCount: Type.Integer(),
      population2016: Type.Integer({ description: 'Population on 2016-12-31 (SCB).' }),
    }),
    inventoried: Type.Boolean({
      description: "Whether the place's county has been inventoried; if not, every cell is `unknown`.",
    }),
    inventory: NullableInventory,
    at: Type.String({ format: 'date', description: 'The date the report holds for.' }),
    summary: Type.Ref('CoverageSummary'),
    cells: Type.Array(Type.Ref('CoverageCell'), { description: 'The requested cells, in the matrix order.' }),
    gaps: Type.Array(Type.Ref('CoverageCell'), {
      description: 'The cells that are not covered, largest affected population first.',
    }),
  },
  { $id: 'CoverageReport', description: 'Coverage of the matrix in one county, subregion or municipality.' },
);

export const NationalCoverageSchema = Type.Object(
  {
    at: Type.String({ format: 'date' }),
    counties: Type.Array(
      Type.Object({
        county: CodeName,
        inventoried: Type.Boolean(),
        inventory: NullableInventory,
        municipalityCount: Type.Integer(),
        population2016: Type.Integer(),
        summary: Type.Ref('CoverageSummary'),
        largestGap: Type.Union(
          [
            Type.Object({
              area: Type.String(),
              role: Type.String(),
              group: Type.String(),
              status: Status,
              affectedPopulation: Type.Integer(),
              lackingMunicipalityCount: Type.Integer(),
            }),
            Type.Null(),
          ],
          { description: 'The cell that is not covered with the largest affected population.' },
        ),
      }),
      { description: 'The 21 counties, by code.' },
    ),
  },
  { $id: 'NationalCoverage', description: 'Coverage of the matrix in every county.' },
);
