// The shapes of the coverage endpoints: query strings and the JSON they answer.
import { type Static, Type } from 'typebox';
import { CsvDelimiterParameter } from '../exports/formats.js';
import { InventorySchema } from '../places/views.js';
import { CountyCode, MunicipalityCode, SubregionCode, VocabularyCode } from '../resources/schemas.js';
import { coverageStatuses } from './compute.js';

const CellAxes = {
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
};

const CellFilter = {
  ...CellAxes,
  at: Type.Optional(
    Type.String({
      format: 'date',
      description:
        'Compute as of this date (YYYY-MM-DD); default today (UTC), or the Stockholm date of `openAt`. A ' +
        'resource counts only while its status and dates say it was running.',
    }),
  ),
  openAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'Coverage at an instant (RFC 3339 with `Z` or an offset such as `+02:00`; 02:00 on midsommarafton 2026 is `2026-06-19T00:00:00.000Z`): a resource counts ' +
        'only if its opening hours say it is open then (Stockholm wall clock, Swedish public holidays); unknown ' +
        "hours never count. Shows, say, that a county's support for girls ends at 16:00.",
      examples: ['2026-12-24T01:00:00.000Z'],
    }),
  ),
};

const PlaceParameters = {
  county: Type.Optional({ ...CountyCode, description: 'The county (län) to report on, e.g. `06`.' }),
  subregion: Type.Optional({
    ...SubregionCode,
    description: 'The subregion (delregion) to report on, e.g. `skaraborg`.',
  }),
  municipality: Type.Optional({
    ...MunicipalityCode,
    description: 'The municipality (kommun) to report on, e.g. `1480`.',
  }),
};

const CsvParameters = {
  format: Type.Optional(
    Type.Enum(['json', 'csv'], {
      description: '`csv` answers a spreadsheet, as `Accept: text/csv` does.',
    }),
  ),
  delimiter: Type.Optional({
    ...CsvDelimiterParameter,
    description:
      'The CSV field separator, `comma` or `semicolon` (what Excel in a Swedish locale expects); default ' +
      '`semicolon` when the labels are Swedish, `comma` when they are English. Only for the CSV answer.',
  }),
};

export const CoverageQuery = Type.Object(
  { ...PlaceParameters, ...CellFilter, ...CsvParameters },
  { additionalProperties: false },
);

const ReportDate = (description: string) => Type.String({ format: 'date', description });

export const CoverageChangesQuery = Type.Object(
  {
    ...PlaceParameters,
    ...CellAxes,
    from: ReportDate('The earlier date (YYYY-MM-DD), e.g. the date of the last report.'),
    to: ReportDate('The later date (YYYY-MM-DD), after `from`; e.g. today.'),
    ...CsvParameters,
  },
  { additionalProperties: false },
);
export type CoverageQuery = Static<typeof CoverageQuery>;

export const NationalCoverageQuery = Type.Object(CellFilter, { additionalProperties: false });

const CodeName = Type.Object({ code: Type.String(), name: Type.String() });
const Status = Type.Enum(coverageStatuses, {
  description:
    'What is known of support for the cell in the place. ' +
    '`covered`: every municipality has regional support (support arranged in the county, not only a ' +
    'national line). ' +
    'Where the county’s inventory is complete (its source looked for every actor, so what it did not find ' +
    'is missing): `partial`: some municipalities have regional support and the others lack it; ' +
    '`national-only`: no municipality has regional support, only a national line or service; `gap`: no ' +
    'support at all, not even national. ' +
    'Where the inventory is a selection (its source lists some resources only, so what it does not list may ' +
    'still exist): `partly-known`: regional support is known in some municipalities, for the others it is ' +
    'not known; `none-known`: no regional support is known in any municipality (national support may be, ' +
    'see `nationalSupport`). These two are never gaps. ' +
    '`not-inventoried`: the county’s support has not been mapped, so nothing can be said.',
});
const NullableInventory = Type.Union([Type.Object(InventorySchema.properties), Type.Null()], {
  description: "The county's latest inventory of its support resources; null when it has none.",
});

export const CoverageSummarySchema = Type.Object(
  {
    covered: Type.Integer({ minimum: 0 }),
    partial: Type.Integer({ minimum: 0 }),
    partlyKnown: Type.Integer({ minimum: 0 }),
    noneKnown: Type.Integer({ minimum: 0 }),
    nationalOnly: Type.Integer({ minimum: 0 }),
    gap: Type.Integer({ minimum: 0 }),
    notInventoried: Type.Integer({ minimum: 0 }),
  },
  { $id: 'CoverageSummary', description: 'How many of the reported cells have each status.' },
);

export const CoverageCellSchema = Type.Object(
  {
    area: Type.String(),
    role: Type.String(),
    group: Type.String(),
    status: Status,
    nationalSupport: Type.Boolean({ description: 'Whether a national line or service covers the cell.' }),
    lackingMunicipalities: Type.Array(CodeName, {
      description:
        'Complete inventory only: the municipalities without regional support for the cell, a finding. ' +
        'Empty for a selection or a county not inventoried.',
    }),
    affectedPopulation: Type.Integer({
      minimum: 0,
      description: 'The population of the lacking municipalities, 2016 (SCB); 0 for a selection.',
    }),
    notKnownMunicipalities: Type.Array(CodeName, {
      description:
        'Selection only: the municipalities where no regional support for the cell is known. Whether they ' +
        'lack it is not known; they are not a gap.',
    }),
    notKnownPopulation: Type.Integer({
      minimum: 0,
      description: 'The population of the municipalities in `notKnownMunicipalities`, 2016 (SCB).',
    }),
    resources: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        kind: Type.String(),
        afterInventory: Type.Boolean({
          description:
            'The entry comes from after the county’s inventory: it started after the inventory date, or its ' +
            'source is a page seen after it. The inventory’s own picture is the entries marked false.',
        }),
      }),
      {
        description:
          'The counted resources covering the cell whose service area includes part of the place, national ' +
          'ones included; regional first, then by name.',
      },
    ),
    reach: Type.Object(
      {
        medianKm: Type.Union([Type.Number(), Type.Null()]),
        maxKm: Type.Union([Type.Number(), Type.Null()]),
      },
      {
        description:
          'Great-circle distance from the seat of each municipality without (known) regional support to the nearest location of a regional ' +
          'resource covering the cell, anywhere in the country: median and maximum, to 0.1 km. A location ' +
          'without public coordinates counts from its municipality’s seat. null when no municipality lacks ' +
          'support or no such resource has a location.',
      },
    ),
  },
  { $id: 'CoverageCell', description: 'One cell of the matrix (area × role × group) in a place.' },
);

const OpenAtAnswer = Type.Optional(
  Type.String({
    format: 'date-time',
    description: 'With `openAt`: the instant (UTC) at which only open resources count.',
  }),
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
      description:
        "Whether the place's county has been inventoried; if not, every cell is `not-inventoried`.",
    }),
    inventory: NullableInventory,
    at: Type.String({ format: 'date', description: 'The date the report holds for.' }),
    openAt: OpenAtAnswer,
    summary: Type.Ref('CoverageSummary'),
    cells: Type.Array(Type.Ref('CoverageCell'), { description: 'The requested cells, in the matrix order.' }),
    gaps: Type.Array(Type.Ref('CoverageCell'), {
      description:
        'The cells a complete inventory finds not covered (`partial`, `national-only`, `gap`), largest ' +
        'affected population first. Always empty for a selection.',
    }),
  },
  { $id: 'CoverageReport', description: 'Coverage of the matrix in one county, subregion or municipality.' },
);

export const NationalCoverageSchema = Type.Object(
  {
    at: Type.String({ format: 'date' }),
    openAt: OpenAtAnswer,
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
          {
            description:
              'The cell a complete inventory finds not covered with the largest affected population; null ' +
              'when there is none, and always for a selection or a county not inventoried.',
          },
        ),
      }),
      { description: 'The 21 counties, by code.' },
    ),
  },
  { $id: 'NationalCoverage', description: 'Coverage of the matrix in every county.' },
);

const CellStandingSchema = Type.Object(
  {
    status: Status,
    lackingMunicipalities: Type.Array(CodeName),
    affectedPopulation: Type.Integer({ minimum: 0 }),
    notKnownMunicipalities: Type.Array(CodeName),
    notKnownPopulation: Type.Integer({ minimum: 0 }),
  },
  { description: 'The cell on one date, as GET /v1/coverage?at= reports it.' },
);
const ResourceRefs = (description: string) =>
  Type.Array(Type.Object({ id: Type.String(), name: Type.String(), kind: Type.String() }), { description });

export const CoverageChangesSchema = Type.Object(
  {
    place: CoverageReportSchema.properties.place,
    inventoried: Type.Boolean(),
    inventory: NullableInventory,
    from: Type.String({ format: 'date' }),
    to: Type.String({ format: 'date' }),
    summary: Type.Object(
      {
        improved: Type.Integer({ minimum: 0 }),
        worsened: Type.Integer({ minimum: 0 }),
        changed: Type.Integer({ minimum: 0 }),
      },
      { description: 'How many of the listed cells went each way.' },
    ),
    cells: Type.Array(
      Type.Object({
        area: Type.String(),
        role: Type.String(),
        group: Type.String(),
        direction: Type.Enum(['improved', 'worsened', 'changed'], {
          description:
            '`improved`: a status claiming more support (gap → national-only or none-known → partial or ' +
            'partly-known → covered), or the same status with fewer people without (known) regional support; ' +
            '`worsened`: the reverse; `changed`: neither (e.g. other municipalities, as many people).',
        }),
        from: CellStandingSchema,
        to: CellStandingSchema,
        started: ResourceRefs('Resources serving the cell in the place on `to` and not on `from`.'),
        stopped: ResourceRefs('Resources serving the cell in the place on `from` and not on `to`.'),
      }),
      {
        description:
          'The cells whose status, municipalities without (known) regional support or their population differ ' +
          'between the two dates, in matrix order.',
      },
    ),
  },
  { $id: 'CoverageChanges', description: 'What changed in the coverage of a place between two dates.' },
);
