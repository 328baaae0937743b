// Examples for the OpenAPI document, added centrally so that every operation shows one without each route
// file carrying them. Values come from the curated dataset and the reference data (Kvinnofridslinjen,
// Jönköpings län, Göteborg); addresses are made up and say so ("Exempelgatan"). A test validates every
// example against its schema, so a schema change that breaks one fails loudly.
import { problemTypeBase } from './problem.js';

/** Query and path parameter examples by name, where the schema alone does not suggest a good one. */
export const parameterExamples: Record<string, unknown> = {
  county: '06',
  subregion: 'skaraborg',
  municipality: '1480',
  kind: 'kast',
  area: 'prostitution-trafficking',
  role: 'perpetrator',
  group: 'men',
  audience: 'individuals',
  language: 'en',
  anonymous: true,
  withoutReferral: true,
  open24h: true,
  openNow: true,
  openAt: '2026-12-24T01:00:00.000Z',
  age: 15,
  status: 'active',
  national: false,
  q: 'barnahus',
  lat: 57.7089,
  lon: 11.9746,
  radiusKm: 25,
  page: 1,
  limit: 20,
  at: '2026-01-15',
  format: 'csv',
  olderThanDays: 365,
  missing: 'contact',
  'if-match': '"3"',
  after: 'djE6NDM',
  from: '2025-01-01',
  to: '2026-01-01',
};

/** Path parameters whose meaning depends on the path: `code` is a county's or a municipality's. */
export const pathParameterExamples: Record<string, Record<string, unknown>> = {
  '/v1/counties/{code}': { code: '06' },
  '/v1/municipalities/{code}': { code: '1480' },
};

const kvinnofridslinjen = {
  id: '86bb7b80-f0ab-4f2d-b758-0647cc3f2e14',
  name: 'Kvinnofridslinjen',
  kind: 'stodlinje',
  status: 'active',
  activeFrom: null,
  activeUntil: null,
  audiences: ['individuals', 'professionals'],
  description: {
    sv:
      'Nationell stödtelefon för den som utsatts för hot, våld eller sexuella övergrepp. Öppen dygnet runt, ' +
      'kostnadsfri och går att ringa anonymt.',
    en:
      'National support line for people subjected to threats, violence or sexual abuse. Open around the ' +
      'clock, free of charge and anonymous.',
  },
  organization: { name: 'Nationellt centrum för kvinnofrid (NCK), Uppsala universitet', type: 'stat' },
  cells: [
    { area: 'close-relationship', role: 'subjected', group: 'women' },
    { area: 'sexual-violence', role: 'subjected', group: 'men' },
  ],
  serviceArea: { national: true, municipalities: [] },
  locations: [],
  contact: { phone: '+4620505050', website: 'https://kvinnofridslinjen.se' },
  open24h: true,
  hours: null,
  openingHours: null,
  languages: [],
  anonymous: true,
  withoutReferral: true,
  freeOfCharge: true,
  ageMin: null,
  ageMax: null,
  accessibility: null,
  specialCompetence: null,
  note: null,
  source: {
    title: 'Kvinnofridslinjen ger stöd per telefon',
    url: 'https://nck.uu.se/kvinnofridslinjen/kvinnofridslinjen-ger-stod-per-telefon/',
    seen: '2026-11-30',
  },
  sources: [
    {
      title: 'Uppdrag att starta ny stödtelefon',
      url: 'https://www.nck.uu.se/nyhetsarkiv/nyhetsvisningssida/?tarContentId=1085352&languageId=3&id=164&type=researcher',
      seen: '2026-11-30',
      facts: ['contact', 'hours', 'status'],
    },
  ],
  lastVerified: '2026-11-23',
  createdAt: '2026-01-15T09:30:00.000Z',
  updatedAt: '2026-11-23T08:00:00.000Z',
};

/** Examples by the shape of a parameter's schema: SCB codes and ids are recognisable by pattern or format. */
export function exampleForSchema(schema: Record<string, unknown>): unknown {
  if (schema.pattern === '^[0-9]{2}$') return '06';
  if (schema.pattern === '^[0-9]{4}$') return '1480';
  if (schema.format === 'uuid') return kvinnofridslinjen.id;
  if (schema.format === 'date') return '2026-01-15';
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.type === 'boolean') return true;
  return undefined;
}

const kastBoras = {
  ...kvinnofridslinjen,
  id: '6ade485c-5401-44a1-bf5d-c45b4c687cfc',
  name: 'KAST Borås',
  kind: 'kast',
  audiences: ['individuals'],
  description: {
    sv: 'KAST (Köpare av sexuella tjänster) ger samtalsstöd till personer som köper eller riskerar att köpa sex.',
    en: 'KAST (buyers of sexual services) offers counselling to people who buy or risk buying sex.',
  },
  organization: { name: 'Borås Stad', type: 'kommun' },
  cells: [
    { area: 'prostitution-trafficking', role: 'perpetrator', group: 'men' },
    { area: 'prostitution-trafficking', role: 'perpetrator', group: 'women' },
  ],
  serviceArea: { national: false, municipalities: ['1490'] },
  locations: [{ visibility: 'public', municipality: '1490' }],
  contact: {},
  open24h: false,
  anonymous: null,
  withoutReferral: null,
  freeOfCharge: null,
  note: 'Source does not list the municipalities served; host municipality recorded only.',
  source: {
    title:
      'Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022. Uppdrag att förebygga och bekämpa ' +
      'mäns våld mot kvinnor enligt förordning 2021:995',
  },
  sources: [],
  lastVerified: '2022-12-31',
};

/** A line with stated hours, as an answer to `openAt` gives it: open, closing at 21:00 Stockholm time. */
const stodlinjenForMan = {
  ...kvinnofridslinjen,
  id: 'e1f61017-231c-497f-b219-9353249ad120',
  name: 'Stödlinjen för män',
  description: {
    sv: 'Nationell stödtelefon för män som utsatts för våld i nära relationer eller sexuellt våld.',
  },
  cells: [{ area: 'close-relationship', role: 'subjected', group: 'men' }],
  contact: { phone: '+4620808080' },
  open24h: false,
  hours: 'Alla dagar kl. 7–21.',
  openingHours: {
    weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], opens: '07:00', closes: '21:00' }],
    holidays: 'as-usual',
  },
  ageMin: 18,
  openingStatus: {
    at: '2026-12-24T09:00:00.000Z',
    state: 'open',
    next: { state: 'closed', at: '2026-12-24T20:00:00.000Z' },
  },
};

const jonkopingInventory = {
  completedOn: '2018-12-31',
  completeness: 'complete',
  source: {
    title:
      'Länsstyrelsen i Jönköpings län: Regional lägesrapport. Utvecklingen av insatser i Jönköpings län ' +
      'enligt den nationella strategin att förebygga och bekämpa mäns våld mot kvinnor för perioden ' +
      '2017–2018 (Meddelande nr 2019:04, mars 2019)',
    url: 'https://www.lansstyrelsen.se/jonkoping',
  },
  note: 'A complete inventory: the matrix was built from what each actor’s website said.',
  notAssessed: [
    { area: 'honour-related', role: 'perpetrator' },
    { area: 'prostitution-trafficking', role: 'perpetrator' },
  ],
};

const jonkopingCounty = {
  code: '06',
  name: 'Jönköpings län',
  shortName: 'Jönköping',
  municipalityCount: 13,
  population2016: 352735,
  subregions: [],
  inventory: jonkopingInventory,
};

const goteborg = {
  code: '1480',
  name: 'Göteborg',
  officialName: 'Göteborgs kommun',
  county: { code: '14', name: 'Västra Götalands län' },
  subregion: { code: 'goteborgsregionen', name: 'Göteborgsregionen' },
  seat: { lat: 57.70694, lon: 11.96667 },
  population2016: 556640,
};

const coverageSummary = {
  covered: 24,
  partial: 5,
  partlyKnown: 0,
  noneKnown: 0,
  nationalOnly: 6,
  gap: 5,
  notInventoried: 0,
};

const coverageCell = {
  area: 'sexual-violence',
  role: 'subjected',
  group: 'men',
  status: 'national-only',
  nationalSupport: true,
  lackingMunicipalities: [
    { code: '0604', name: 'Aneby' },
    { code: '0680', name: 'Jönköping' },
  ],
  affectedPopulation: 352735,
  notKnownMunicipalities: [],
  notKnownPopulation: 0,
  resources: [
    {
      id: 'e1f61017-231c-497f-b219-9353249ad120',
      name: 'Stödlinjen för män',
      kind: 'stodlinje',
      afterInventory: true,
    },
  ],
  reach: { medianKm: 136.7, maxKm: 187.3 },
};

const jonkopingPlace = {
  type: 'county',
  code: '06',
  name: 'Jönköpings län',
  county: { code: '06', name: 'Jönköpings län' },
  municipalityCount: 13,
  population2016: 352735,
};

/** Examples of the named component schemas, by component name. */
export const componentExamples: Record<string, unknown[]> = {
  Problem: [
    {
      type: `${problemTypeBase}not-found`,
      title: 'Not Found',
      status: 404,
      detail: "No resource has the id '00000000-0000-4000-8000-000000000000'.",
      instance: '/v1/resources/00000000-0000-4000-8000-000000000000',
      code: 'not-found',
    },
  ],
  Cell: [{ area: 'close-relationship', role: 'subjected', group: 'women' }],
  Term: [
    {
      code: 'close-relationship',
      label: { sv: 'Våld i nära relationer', en: 'Violence in close relationships' },
    },
  ],
  Location: [
    {
      visibility: 'public',
      municipality: '1480',
      address: { street: 'Exempelgatan 1', postalCode: '411 04', city: 'Göteborg' },
      lat: 57.7089,
      lon: 11.9746,
    },
    { visibility: 'confidential', municipality: '1490' },
  ],
  Resource: [kvinnofridslinjen, kastBoras, stodlinjenForMan],
  ResourceInput: [
    {
      id: kastBoras.id,
      name: 'KAST Borås',
      kind: 'kast',
      status: 'active',
      audiences: ['individuals'],
      description: kastBoras.description,
      organization: { name: 'Borås Stad', type: 'kommun', organisationNumber: '212000-1561' },
      cells: kastBoras.cells,
      serviceArea: { municipalities: ['1490'] },
      locations: [
        {
          visibility: 'public',
          municipality: '1490',
          address: { street: 'Exempelgatan 1', postalCode: '503 30', city: 'Borås' },
          lat: 57.721,
          lon: 12.94,
        },
        { visibility: 'confidential', municipality: '1490' },
      ],
      contact: { phone: '033-35 70 00', website: 'https://example.org/kast' },
      open24h: false,
      hours: 'Mån–fre 8–16',
      openingHours: {
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '08:00', closes: '16:00' }],
        holidays: 'closed',
      },
      languages: ['sv', 'en'],
      anonymous: true,
      withoutReferral: true,
      freeOfCharge: true,
      ageMin: 18,
      source: { title: kastBoras.source.title },
      lastVerified: '2026-01-15',
    },
  ],
  HistoryEntry: [
    {
      at: '2026-01-15T09:30:00.000Z',
      action: 'update',
      changes: [{ field: 'hours', before: null, after: 'Mån–fre 8–16' }],
    },
  ],
  NearbyResource: [{ ...kastBoras, distanceKm: 0.5, distanceApproximate: true, servesLocation: true }],
  Inventory: [jonkopingInventory],
  County: [jonkopingCounty],
  Municipality: [goteborg],
  CoverageSummary: [coverageSummary],
  CoverageCell: [coverageCell],
  CoverageReport: [
    {
      place: jonkopingPlace,
      inventoried: true,
      inventory: jonkopingInventory,
      at: '2026-01-15',
      summary: coverageSummary,
      cells: [coverageCell],
      gaps: [coverageCell],
    },
  ],
  NationalCoverage: [
    {
      at: '2026-01-15',
      counties: [
        {
          county: { code: '06', name: 'Jönköpings län' },
          inventoried: true,
          inventory: jonkopingInventory,
          municipalityCount: 13,
          population2016: 352735,
          summary: coverageSummary,
          largestGap: {
            area: 'sexual-violence',
            role: 'subjected',
            group: 'men',
            status: 'national-only',
            affectedPopulation: 352735,
            lackingMunicipalityCount: 13,
          },
        },
        {
          county: { code: '07', name: 'Kronobergs län' },
          inventoried: false,
          inventory: null,
          municipalityCount: 8,
          population2016: 194628,
          summary: {
            covered: 0,
            partial: 0,
            partlyKnown: 0,
            noneKnown: 0,
            nationalOnly: 0,
            gap: 0,
            notInventoried: 40,
          },
          largestGap: null,
        },
      ],
    },
  ],
};

const page = <T>(items: T[]) => ({ items, page: 1, limit: 20, totalItems: items.length, totalPages: 1 });

/**
 * Media-level examples for operations whose answer is not a named component (or a page of one), by
 * operationId and status; `requestBody` is the example of the request body.
 */
export const operationExamples: Record<
  string,
  { requestBody?: unknown; responses?: Record<string, unknown> }
> = {
  getHealth: { responses: { 200: { status: 'ok' } } },
  getReadiness: { responses: { 200: { status: 'ready' } } },
  getVocabulary: {
    responses: {
      200: {
        areas: componentExamples.Term,
        roles: [{ code: 'subjected', label: { sv: 'Utsatt', en: 'Subjected to violence' } }],
        groups: [{ code: 'women', label: { sv: 'Kvinnor', en: 'Women' } }],
        kinds: [{ code: 'barnahus', label: { sv: 'Barnahus', en: "Barnahus (children's advocacy centre)" } }],
      },
    },
  },
  listCounties: { responses: { 200: page([jonkopingCounty]) } },
  getCounty: {
    responses: {
      200: {
        ...jonkopingCounty,
        municipalities: [
          { code: '0604', name: 'Aneby' },
          { code: '0680', name: 'Jönköping' },
        ],
      },
    },
  },
  listMunicipalities: { responses: { 200: page([goteborg]) } },
  getMunicipality: {
    responses: {
      200: {
        ...goteborg,
        boundary: {
          type: 'Polygon',
          coordinates: [
            [
              [11.6, 57.6],
              [12.2, 57.6],
              [12.2, 57.85],
              [11.6, 57.85],
              [11.6, 57.6],
            ],
          ],
        },
      },
    },
  },
  lookupPlace: {
    responses: {
      200: {
        municipality: { code: '1480', name: 'Göteborg' },
        county: { code: '14', name: 'Västra Götalands län' },
        subregion: { code: 'goteborgsregionen', name: 'Göteborgsregionen' },
      },
    },
  },
  listResources: { responses: { 200: { ...page([stodlinjenForMan]), hoursUnknown: 3 } } },
  listNearbyResources: {
    responses: {
      200: {
        municipality: { code: '1490', name: 'Borås', county: { code: '14', name: 'Västra Götalands län' } },
        items: componentExamples.NearbyResource,
        helplines: [kvinnofridslinjen],
        helplinesTotal: 1,
        helplinesUrl: '/v1/resources?national=true',
        page: 1,
        limit: 20,
        totalItems: 1,
        totalPages: 1,
      },
    },
  },
  getCoverageChanges: {
    responses: {
      200: {
        place: jonkopingPlace,
        inventoried: true,
        inventory: jonkopingInventory,
        from: '2025-01-01',
        to: '2026-01-01',
        summary: { improved: 0, worsened: 1, changed: 0 },
        cells: [
          {
            area: 'sexual-violence',
            role: 'subjected',
            group: 'girls',
            direction: 'worsened',
            from: {
              status: 'covered',
              lackingMunicipalities: [],
              affectedPopulation: 0,
              notKnownMunicipalities: [],
              notKnownPopulation: 0,
            },
            to: {
              status: 'partial',
              lackingMunicipalities: [{ code: '0604', name: 'Aneby' }],
              affectedPopulation: 6685,
              notKnownMunicipalities: [],
              notKnownPopulation: 0,
            },
            started: [],
            stopped: [
              {
                id: '074f36e5-f15b-48cb-9e85-b7cb5d596397',
                name: 'Barnahus Jönköpings län',
                kind: 'barnahus',
              },
            ],
          },
        ],
      },
    },
  },
  listChanges: {
    responses: {
      200: {
        items: [
          {
            cursor: 'djE6NDQ',
            at: kvinnofridslinjen.updatedAt,
            resourceId: kvinnofridslinjen.id,
            action: 'verify',
            resource: kvinnofridslinjen,
          },
        ],
        next: 'djE6NDQ',
        hasMore: false,
      },
    },
  },
  searchNearbyResources: {
    requestBody: { lat: 57.721, lon: 12.94, radiusKm: 25, kind: ['kast', 'mikamottagning'] },
  },
};
// The nearby answer and its POST twin are the same shape.
operationExamples.searchNearbyResources = {
  ...operationExamples.searchNearbyResources,
  responses: operationExamples.listNearbyResources?.responses,
};

const problemCodes: Record<number, { code: string; title: string; detail: string }> = {
  400: {
    code: 'validation-failed',
    title: 'Bad Request',
    detail: "Invalid query 'county': must match pattern.",
  },
  401: { code: 'unauthorized', title: 'Unauthorized', detail: 'A valid bearer token is required.' },
  403: { code: 'forbidden', title: 'Forbidden', detail: 'The token may not edit resources in this county.' },
  404: { code: 'not-found', title: 'Not Found', detail: 'Nothing has that id or code.' },
  409: { code: 'conflict', title: 'Conflict', detail: 'The change conflicts with the current state.' },
  412: { code: 'precondition-failed', title: 'Precondition Failed', detail: 'The If-Match ETag is stale.' },
  413: { code: 'content-too-large', title: 'Content Too Large', detail: 'Request body is too large' },
  415: { code: 'unsupported-media-type', title: 'Unsupported Media Type', detail: 'Send application/json.' },
  428: { code: 'precondition-required', title: 'Precondition Required', detail: 'Send If-Match.' },
  429: { code: 'too-many-requests', title: 'Too Many Requests', detail: 'Retry after 60 seconds.' },
  503: { code: 'service-unavailable', title: 'Service Unavailable', detail: 'Try again shortly.' },
};

/** A problem+json example for a status, located at `instance`. */
export function problemExample(status: number, instance: string): Record<string, unknown> {
  const { code, title, detail } = problemCodes[status] ?? {
    code: 'error',
    title: 'Error',
    detail: 'Failed.',
  };
  return {
    type: `${problemTypeBase}${code}`,
    title,
    status,
    detail,
    instance,
    code,
    ...(status === 400
      ? { errors: [{ in: 'query', name: 'county', reason: 'must match pattern "^[0-9]{2}$"' }] }
      : {}),
  };
}
