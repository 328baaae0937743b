// The shapes of a resource: what clients and seed files send (input) and what the API answers (output).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Static, Type } from 'typebox';
import { OpeningHoursSchema, OpeningStatusSchema } from '../hours/schedule.js';

export const MunicipalityCode = Type.String({
  pattern: '^[0-9]{4}$',
  description: 'SCB municipality code, e.g. `1480`.',
});
export const CountyCode = Type.String({ pattern: '^[0-9]{2}$', description: 'SCB county code, e.g. `14`.' });
export const SubregionCode = Type.String({
  pattern: '^[a-z][a-z-]{1,39}$',
  description: 'Subregion (delregion) code, e.g. `skaraborg`.',
});
export const VocabularyCode = Type.String({ pattern: '^[a-z][a-z0-9-]{0,39}$' });
export const ResourceId = Type.String({ format: 'uuid', description: 'The resource id (UUID).' });
const IsoDate = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD.' });
/**
 * Text a person writes: no control characters but tab, line feed and carriage return (a NUL or an escape
 * sequence in a name breaks exports, logs and terminals downstream).
 */
const printable = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';
const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: printable, ...(description ? { description } : {}) });

export const statuses = ['active', 'planned', 'inactive', 'closed'] as const;
export const audiences = ['individuals', 'professionals'] as const;
export const organizationTypes = ['kommun', 'region', 'ideell', 'stat', 'privat'] as const;

export const CellSchema = Type.Object(
  {
    area: { ...VocabularyCode, description: 'Area code, e.g. `close-relationship`.' },
    role: { ...VocabularyCode, description: '`subjected` or `perpetrator`.' },
    group: { ...VocabularyCode, description: '`women`, `men`, `girls`, `boys` or `lgbtqi`.' },
  },
  { $id: 'Cell', additionalProperties: false, description: 'One cell of the matrix: area × role × group.' },
);

const Address = Type.Object(
  { street: Text(200), postalCode: Type.String({ pattern: '^[0-9]{3} ?[0-9]{2}$' }), city: Text(100) },
  { additionalProperties: false },
);

export const factGroups = [
  'cells',
  'serviceArea',
  'status',
  'organization',
  'description',
  'locations',
  'contact',
  'hours',
  'eligibility',
] as const;

const sourceMembers = {
  title: Text(500, 'The report (by its published title) or the web page (its title as published).'),
  url: Type.Optional(Text(2000, 'Where the report or page is published.')),
  seen: Type.Optional({ ...IsoDate, description: 'When the page was read (YYYY-MM-DD). Pages change.' }),
};

const Source = Type.Object(sourceMembers, {
  additionalProperties: false,
  description: 'The main source of an entry: every fact not attributed to one of `sources`.',
});

export const FactSourceSchema = Type.Object(
  {
    ...sourceMembers,
    facts: Type.Array(Type.Enum(factGroups), {
      minItems: 1,
      maxItems: factGroups.length,
      uniqueItems: true,
      description:
        'The facts this source supports: `cells`, `serviceArea`, `status` (status and dates), ' +
        '`organization`, `description`, `locations` (incl. visiting addresses), `contact` (phone, e-mail, ' +
        'website, chat), `hours` (hours, open24h), `eligibility` (ages, anonymity, referral, cost, languages).',
    }),
  },
  {
    $id: 'FactSource',
    additionalProperties: false,
    description: 'A further source of an entry and the fact groups it supports.',
  },
);

const Organization = Type.Object(
  {
    name: Text(200),
    type: Type.Enum(organizationTypes, {
      description: 'kommun, region, ideell (civil society), stat (state) or privat.',
    }),
    organisationNumber: Type.Optional(
      Type.String({ maxLength: 20, description: 'Swedish organisationsnummer.' }),
    ),
  },
  { additionalProperties: false },
);

const Contact = Type.Object(
  {
    phone: Type.Optional(Type.String({ minLength: 3, maxLength: 40 })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    website: Type.Optional(Text(2000)),
    chat: Type.Optional(Text(2000)),
  },
  { additionalProperties: false },
);

export const ResourceInputSchema = Type.Object(
  {
    id: Type.Optional(ResourceId),
    name: Text(200),
    kind: { ...VocabularyCode, description: 'Kind code from /v1/vocabulary, e.g. `barnahus`.' },
    status: Type.Enum(statuses, { description: 'active, planned, inactive or closed.' }),
    activeFrom: Type.Optional(IsoDate),
    activeUntil: Type.Optional(IsoDate),
    audiences: Type.Array(Type.Enum(audiences), {
      minItems: 1,
      maxItems: 2,
      uniqueItems: true,
    }),
    description: Type.Object(
      { sv: Text(5000), en: Type.Optional(Text(5000)) },
      { additionalProperties: false },
    ),
    organization: Organization,
    cells: Type.Array(Type.Ref('Cell'), { minItems: 1, maxItems: 40 }),
    serviceArea: Type.Object(
      {
        national: Type.Optional(Type.Boolean()),
        municipalities: Type.Optional(Type.Array(MunicipalityCode, { maxItems: 290, uniqueItems: true })),
        counties: Type.Optional(Type.Array(CountyCode, { maxItems: 21, uniqueItems: true })),
        subregions: Type.Optional(Type.Array(SubregionCode, { maxItems: 10, uniqueItems: true })),
      },
      { additionalProperties: false },
    ),
    locations: Type.Array(
      Type.Object(
        {
          visibility: Type.Union([Type.Literal('public'), Type.Literal('confidential')]),
          municipality: MunicipalityCode,
          address: Type.Optional(Address),
          lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
          lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
          openingHours: Type.Optional(
            Type.Ref('OpeningHours', {
              description:
                "This place's visiting hours, where they differ from the resource's `openingHours`. Public locations only.",
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 50 },
    ),
    contact: Contact,
    open24h: Type.Optional(Type.Boolean()),
    hours: Type.Optional(Text(500, 'The hours as a person reads them: a note beside `openingHours`.')),
    openingHours: Type.Optional(Type.Ref('OpeningHours')),
    languages: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-z]{2}$' }), { maxItems: 50, uniqueItems: true }),
    ),
    anonymous: Type.Optional(Type.Boolean()),
    withoutReferral: Type.Optional(Type.Boolean()),
    freeOfCharge: Type.Optional(Type.Boolean()),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
    accessibility: Type.Optional(Text(2000)),
    specialCompetence: Type.Optional(Text(2000)),
    note: Type.Optional(Text(2000)),
    source: Source,
    sources: Type.Optional(
      Type.Array(Type.Ref('FactSource'), {
        maxItems: 20,
        description: 'Further sources, one per page, each naming the facts it supports.',
      }),
    ),
    lastVerified: IsoDate,
  },
  { $id: 'ResourceInput', additionalProperties: false },
);
export type ResourceInput = Static<
  typeof ResourceInputSchema,
  { Cell: typeof CellSchema; FactSource: typeof FactSourceSchema; OpeningHours: typeof OpeningHoursSchema }
>;
export type FactSource = Static<typeof FactSourceSchema>;

export const completenesses = ['complete', 'selection'] as const;
export const Completeness = Type.Enum(completenesses, {
  description:
    '`complete`: the source looked for every actor in the county, so a cell without support is a finding ' +
    '(a gap). `selection`: the source lists some resources only, so a cell without known support is not ' +
    'known, never a gap.',
});

export const CellPatternSchema = Type.Object(
  {
    area: Type.Optional(VocabularyCode),
    role: Type.Optional(VocabularyCode),
    group: Type.Optional(VocabularyCode),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description:
      'Cells by any of their axes: `{ "area": "honour-related", "role": "perpetrator" }` is five cells.',
  },
);
export type CellPattern = Static<typeof CellPatternSchema>;

export const InventoryInputSchema = Type.Object(
  {
    county: CountyCode,
    completedOn: IsoDate,
    completeness: Completeness,
    source: Source,
    note: Type.Optional(Text(2000, "The source's method, and the cells it makes no finding on.")),
    notAssessed: Type.Optional(
      Type.Array(CellPatternSchema, {
        maxItems: 40,
        description:
          'The cells the source makes no finding on. In a complete inventory these read as a selection: ' +
          'what is not known there is not a gap.',
      }),
    ),
  },
  { $id: 'InventoryInput', additionalProperties: false },
);
export type InventoryInput = Static<typeof InventoryInputSchema>;

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const LocationSchema = Type.Object(
  {
    visibility: Type.Union([Type.Literal('public'), Type.Literal('confidential')]),
    municipality: MunicipalityCode,
    address: Type.Optional(Address),
    lat: Type.Optional(Type.Number()),
    lon: Type.Optional(Type.Number()),
    openingHours: Type.Optional(
      Type.Ref('OpeningHours', {
        description:
          "This place's visiting hours: they replace the resource's `openingHours` for this place. Never on a confidential location.",
      }),
    ),
  },
  {
    $id: 'Location',
    description:
      'Where the resource receives people. A confidential location (sheltered housing) carries its municipality only.',
  },
);

export const ResourceSchema = Type.Object(
  {
    id: ResourceId,
    name: Type.String(),
    kind: Type.String(),
    status: Type.String(),
    activeFrom: Nullable(Type.String({ format: 'date' })),
    activeUntil: Nullable(Type.String({ format: 'date' })),
    audiences: Type.Array(Type.String()),
    description: Type.Object({ sv: Type.String(), en: Type.Optional(Type.String()) }),
    organization: Type.Object({
      name: Type.String(),
      type: Type.String(),
      organisationNumber: Type.Optional(Type.String()),
    }),
    cells: Type.Array(Type.Ref('Cell')),
    serviceArea: Type.Object({
      national: Type.Boolean(),
      municipalities: Type.Array(Type.String(), {
        description: 'Municipalities served; empty when national.',
      }),
    }),
    locations: Type.Array(Type.Ref('Location')),
    contact: Type.Object({
      phone: Type.Optional(Type.String({ description: 'E.164.' })),
      email: Type.Optional(Type.String()),
      website: Type.Optional(Type.String()),
      chat: Type.Optional(Type.String()),
    }),
    open24h: Type.Boolean(),
    hours: Nullable(Type.String({ description: 'The hours as a person reads them (a note).' })),
    openingHours: Nullable(Type.Ref('OpeningHours')),
    languages: Type.Array(Type.String()),
    anonymous: Nullable(Type.Boolean()),
    withoutReferral: Nullable(Type.Boolean()),
    freeOfCharge: Nullable(Type.Boolean()),
    ageMin: Nullable(Type.Integer()),
    ageMax: Nullable(Type.Integer()),
    accessibility: Nullable(Type.String()),
    specialCompetence: Nullable(Type.String()),
    note: Nullable(Type.String()),
    source: Type.Object(
      {
        title: Type.String(),
        url: Type.Optional(Type.String()),
        seen: Type.Optional(Type.String({ format: 'date' })),
      },
      { description: 'The main source: every fact not attributed to one of `sources`.' },
    ),
    sources: Type.Array(Type.Ref('FactSource'), {
      description:
        'Further sources, each naming the facts it supports (e.g. the page giving the phone number).',
    }),
    lastVerified: Type.String({ format: 'date' }),
    openingStatus: Type.Optional(Type.Ref('OpeningStatus')),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Resource', description: 'A support resource with its matrix cells, service area and locations.' },
);
/** The named schemas a Type.Ref may point at, so that static types see through references. */
type SharedSchemas = {
  Cell: typeof CellSchema;
  Location: typeof LocationSchema;
  FactSource: typeof FactSourceSchema;
  OpeningHours: typeof OpeningHoursSchema;
  OpeningStatus: typeof OpeningStatusSchema;
};
export type Resource = Static<typeof ResourceSchema, SharedSchemas>;
export type Location = Static<typeof LocationSchema>;

/** Registers the shared resource schemas at the root, so every feature can Type.Ref them by $id. */
export const resourceSchemasPlugin = fp(
  async (app: FastifyInstance) => {
    for (const schema of [
      CellSchema,
      FactSourceSchema,
      OpeningHoursSchema,
      OpeningStatusSchema,
      LocationSchema,
      ResourceSchema,
      ResourceInputSchema,
    ])
      app.addSchema(schema);
  },
  { name: 'resource-schemas' },
);
