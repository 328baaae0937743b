// The search filters a client can send (query string or JSON body) and their translation into
// ResourceCriteria, refusing codes that name nothing with a 400 that names the code.
import { type Static, Type } from 'typebox';
import { instantOf } from '../hours/clock.js';
import { PagingQuery } from '../http/pagination.js';
import { badRequest, type ProblemDetail } from '../http/problem.js';
import type { Places } from '../places/places.js';
import { maxTerms, queryTerms, words } from '../read-model/text.js';
import type { Axis, Vocabulary } from '../vocabulary/vocabulary.js';
import { CountyCode, MunicipalityCode, SubregionCode, statuses, VocabularyCode } from './schemas.js';
import { isLanguageCode } from './validation.js';

/** What a search asks of the read model (`indexQuery` in index.ts turns it into key groups). */
export interface ResourceCriteria {
  /** Each entry is a set of municipality codes of which the service area must include one; AND-ed. */
  serves: string[][];
  kinds?: string[];
  statuses: (typeof statuses)[number][];
  national?: boolean;
  cell?: { area?: string; role?: string; group?: string };
  audience?: 'individuals' | 'professionals';
  language?: string;
  anonymous?: boolean;
  withoutReferral?: boolean;
  open24h?: boolean;
  /** Open at this instant (ms since the epoch). */
  openAt?: number;
  /** Takes a person of this age. */
  age?: number;
  /** The folded terms of the text asked for (`queryTerms`). */
  terms?: string[];
}

export const maxRadiusKm = 1000;

/** The bounds on what one query may cost, each refused up front with a 400 that says the limit. */
const maxTextRadiusKm = 100;
const maxPageDepth = 1000;

/**
 * Refuses a query whose cost is unbounded before any work: more than `maxTerms` words in `q`, a radius
 * over `maxTextRadiusKm` with `q` (each point in the radius is tested against the text), or a page deeper
 * than `maxPageDepth` items (page × limit). `where` says how the errors locate a field.
 */
export function boundCost(
  criteria: { q?: string; radiusKm?: number; page: number; limit: number },
  where: 'query' | 'body',
): void {
  const errors: ProblemDetail[] = [];
  const locate = (name: string) =>
    where === 'query' ? { in: where, name } : { in: where, pointer: `/${name}` };
  const count = criteria.q === undefined ? 0 : words(criteria.q).length;
  if (count > maxTerms) {
    errors.push({ ...locate('q'), reason: `has ${count} words; at most ${maxTerms} are allowed` });
  }
  if (criteria.q !== undefined && criteria.radiusKm !== undefined && criteria.radiusKm > maxTextRadiusKm) {
    errors.push({ ...locate('radiusKm'), reason: `must be at most ${maxTextRadiusKm} together with q` });
  }
  if (criteria.page * criteria.limit > maxPageDepth) {
    errors.push({
      ...locate('page'),
      reason: `page × limit must be at most ${maxPageDepth} (at limit ${criteria.limit}: page ${Math.max(1, Math.floor(maxPageDepth / criteria.limit))})`,
    });
  }
  const [first] = errors;
  if (first) {
    throw badRequest(
      'query-too-costly',
      `The query costs more than one request may: ${first.name ?? first.pointer} ${first.reason}.`,
      errors,
    );
  }
}

export const FilterProperties = {
  county: Type.Optional({
    ...CountyCode,
    description: 'Resources whose service area includes part of this county.',
  }),
  subregion: Type.Optional({
    ...SubregionCode,
    description: 'Resources whose service area includes part of this subregion (delregion).',
  }),
  municipality: Type.Optional({
    ...MunicipalityCode,
    description: 'Resources whose service area includes this municipality.',
  }),
  kind: Type.Optional(
    Type.Array(VocabularyCode, {
      maxItems: 20,
      description: 'Resource kind; repeat for several (any of them).',
    }),
  ),
  area: Type.Optional({ ...VocabularyCode, description: 'Matrix area, e.g. `prostitution-trafficking`.' }),
  role: Type.Optional({ ...VocabularyCode, description: 'Matrix role: `subjected` or `perpetrator`.' }),
  group: Type.Optional({
    ...VocabularyCode,
    description: 'Target group: `women`, `men`, `girls`, `boys`, `lgbtqi`.',
  }),
  audience: Type.Optional(
    Type.Enum(['individuals', 'professionals'], {
      description: 'Serves individuals (the person) or professionals (consultation).',
    }),
  ),
  language: Type.Optional(
    Type.String({ pattern: '^[a-z]{2}$', description: 'Offers this language (ISO 639-1).' }),
  ),
  anonymous: Type.Optional(Type.Boolean({ description: 'Can be contacted anonymously.' })),
  withoutReferral: Type.Optional(Type.Boolean({ description: 'Can be contacted without a referral.' })),
  open24h: Type.Optional(Type.Boolean({ description: 'Open around the clock.' })),
  openNow: Type.Optional(
    Type.Boolean({
      description:
        '`true`: only resources open now (as `openAt` with the present instant). Unknown hours never count ' +
        'as open: the answer counts them in `hoursUnknown`.',
    }),
  ),
  openAt: Type.Optional(
    Type.String({
      format: 'date-time',
      description:
        'Only resources open at this instant (RFC 3339 with `Z` or an offset such as `+02:00`; 02:00 on midsommarafton 2026 is `2026-06-19T00:00:00.000Z`), ' +
        'by their opening hours on the Stockholm wall clock and Swedish public holidays. Each resource in ' +
        'the answer carries `openingStatus` (open now, and when that next changes); `hoursUnknown` counts ' +
        'those left out because their hours at that instant are not known.',
      examples: ['2026-12-24T01:00:00.000Z'],
    }),
  ),
  age: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 120,
      description: 'Only resources that take a person of this age (in years); no age limit matches.',
    }),
  ),
  status: Type.Optional(
    Type.Array(Type.Enum(statuses), {
      maxItems: 4,
      description: 'Status; repeat for several. Default `active`.',
    }),
  ),
  national: Type.Optional(
    Type.Boolean({
      description: '`true`: national lines and services only; `false`: regional and local only.',
    }),
  ),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description:
        'Free text over name, kind and matrix labels, organisation and description; case and diacritics fold ' +
        '(`vald` finds `våld`), a word of three letters or more is found inside longer words (`jour` finds ' +
        `\`Brottsofferjouren\`), shorter ones at the start of words. At most ${maxTerms} words (more are refused ` +
        'with 400 `query-too-costly`). Results are ranked ' +
        'by relevance (name, then labels, organisation, description), then by name.',
    }),
  ),
};

export const PositionProperties = {
  lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84). Never logged precisely.' }),
  lon: Type.Number({
    minimum: -180,
    maximum: 180,
    description: 'Longitude (WGS84). Never logged precisely.',
  }),
  radiusKm: Type.Number({
    exclusiveMinimum: 0,
    maximum: maxRadiusKm,
    default: 50,
    description:
      `Search radius in kilometres, at most ${maxRadiusKm}; at most ${maxTextRadiusKm} together with \`q\` ` +
      '(larger is refused with 400 `query-too-costly`). Resources serving the municipality at the point are ' +
      'included however far.',
  }),
};

/**
 * `page` and `limit` for the resource lists, nearby and search: how deep a client may page is bounded, as
 * each page costs the ones before it. The whole dataset is a download (GET /v1/export/…), not a crawl.
 */
export const ResourcePagingQuery = {
  ...PagingQuery,
  page: {
    ...PagingQuery.page,
    description: `Page number, starting at 1. \`page × limit\` may be at most ${maxPageDepth} (larger is refused with 400 \`query-too-costly\`); the whole dataset is in GET /v1/export/resources.ndjson.`,
  },
};

const FiltersSchema = Type.Object(FilterProperties);
export type Filters = Static<typeof FiltersSchema>;

/** Validates the codes in the filters and builds the criteria; `where` says how errors locate a field. */
export function criteriaFrom(
  filters: Filters,
  reference: { places: Places; vocabulary: Vocabulary },
  where: 'query' | 'body',
): ResourceCriteria {
  const { places, vocabulary } = reference;
  const errors: ProblemDetail[] = [];
  const locate = (name: string) =>
    where === 'query' ? { in: where, name } : { in: where, pointer: `/${name}` };
  const unknown = (name: string, value: string, what: string) =>
    errors.push({ ...locate(name), reason: `no ${what} has the code '${value}'` });

  const serves: string[][] = [];
  if (filters.county !== undefined) {
    if (places.counties.has(filters.county))
      serves.push(places.municipalitiesOfCounty(filters.county).map((m) => m.code));
    else unknown('county', filters.county, 'county');
  }
  if (filters.subregion !== undefined) {
    if (places.subregions.has(filters.subregion)) {
      serves.push(places.municipalitiesOfSubregion(filters.subregion).map((m) => m.code));
    } else unknown('subregion', filters.subregion, 'subregion');
  }
  if (filters.municipality !== undefined) {
    if (places.municipalities.has(filters.municipality)) serves.push([filters.municipality]);
    else unknown('municipality', filters.municipality, 'municipality');
  }
  for (const kind of filters.kind ?? []) if (!vocabulary.has('kinds', kind)) unknown('kind', kind, 'kind');
  for (const [name, axis] of [
    ['area', 'areas'],
    ['role', 'roles'],
    ['group', 'groups'],
  ] as const satisfies readonly (readonly [keyof Filters, Axis])[]) {
    const code = filters[name];
    if (code !== undefined && !vocabulary.has(axis, code)) unknown(name, code, name);
  }
  if (filters.language !== undefined && !isLanguageCode(filters.language)) {
    errors.push({ ...locate('language'), reason: `'${filters.language}' is not an ISO 639-1 language code` });
  }
  const terms = filters.q === undefined ? undefined : queryTerms(filters.q);
  if (terms?.length === 0) {
    errors.push({ ...locate('q'), reason: 'must contain at least one letter or digit' });
  }

  let openAt: number | undefined;
  if (filters.openNow === false)
    errors.push({ ...locate('openNow'), reason: 'only `true` filters; leave it out for every resource' });
  if (filters.openNow === true && filters.openAt !== undefined)
    errors.push({ ...locate('openAt'), reason: 'give either openNow or openAt, not both' });
  else if (filters.openNow === true) openAt = Date.now();
  else if (filters.openAt !== undefined) {
    openAt = instantOf(filters.openAt);
    if (openAt === undefined)
      errors.push({ ...locate('openAt'), reason: 'must be an instant from 1970 to 2099' });
  }

  const [first] = errors;
  if (first) {
    const subject = first.name ?? first.pointer;
    throw badRequest('invalid-filter', `Invalid ${where} parameter '${subject}': ${first.reason}.`, errors);
  }
  return {
    serves,
    kinds: filters.kind,
    statuses: filters.status ?? ['active'],
    national: filters.national,
    cell: { area: filters.area, role: filters.role, group: filters.group },
    audience: filters.audience,
    language: filters.language,
    anonymous: filters.anonymous,
    withoutReferral: filters.withoutReferral,
    open24h: filters.open24h,
    ...(openAt === undefined ? {} : { openAt }),
    ...(filters.age === undefined ? {} : { age: filters.age }),
    ...(terms === undefined ? {} : { terms }),
  };
}
