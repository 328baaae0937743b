// The export formats, one resource at a time: a CSV record, GeoJSON features, an NDJSON line. Pure
// functions; streams.ts strings them together.
import { Type } from 'typebox';
import { describeOpeningHours } from '../hours/describe.js';
import type { Resource } from '../resources/schemas.js';

const list = (values: readonly string[]) => values.join(';');
const flag = (value: boolean | null) => (value === null ? '' : String(value));
const number = (value: number | null) => (value === null ? '' : String(value));

/** A public location's street address on one line; nothing for a confidential one, which never has one. */
const publicAddress = (location: Resource['locations'][number]): string[] =>
  location.visibility === 'public' && location.address
    ? [`${location.address.street}, ${location.address.postalCode} ${location.address.city}`]
    : [];

/** A public location's own visiting hours, named by its address (or municipality code) to tell places apart. */
const locationHours = (location: Resource['locations'][number]): string[] =>
  location.visibility === 'public' && location.openingHours
    ? [
        `${publicAddress(location)[0] ?? location.municipality}: ${describeOpeningHours(location.openingHours)}`,
      ]
    : [];

/** A further source in one cell: the facts it supports, its title, address and the day it was seen. */
const describeSource = (source: Resource['sources'][number]) =>
  `${source.facts.join(',')}: ${source.title}${source.url ? ` <${source.url}>` : ''}${source.seen ? ` (${source.seen})` : ''}`;

/** The CSV columns, in order, each with how a resource fills it. */
export const csvColumns: readonly (readonly [string, (resource: Resource) => string])[] = [
  ['id', (r) => r.id],
  ['name', (r) => r.name],
  ['kind', (r) => r.kind],
  ['status', (r) => r.status],
  ['activeFrom', (r) => r.activeFrom ?? ''],
  ['activeUntil', (r) => r.activeUntil ?? ''],
  ['audiences', (r) => list(r.audiences)],
  ['organization', (r) => r.organization.name],
  ['organizationType', (r) => r.organization.type],
  ['national', (r) => String(r.serviceArea.national)],
  ['cells', (r) => list(r.cells.map((c) => `${c.area}/${c.role}/${c.group}`))],
  ['municipalities', (r) => list(r.serviceArea.municipalities)],
  ['phone', (r) => r.contact.phone ?? ''],
  ['email', (r) => r.contact.email ?? ''],
  ['website', (r) => r.contact.website ?? ''],
  ['chat', (r) => r.contact.chat ?? ''],
  ['visitingAddresses', (r) => list(r.locations.flatMap(publicAddress))],
  ['open24h', (r) => String(r.open24h)],
  ['hours', (r) => r.hours ?? ''],
  ['openingHours', (r) => (r.openingHours ? describeOpeningHours(r.openingHours) : '')],
  ['locationOpeningHours', (r) => r.locations.flatMap(locationHours).join(' | ')],
  ['languages', (r) => list(r.languages)],
  ['anonymous', (r) => flag(r.anonymous)],
  ['withoutReferral', (r) => flag(r.withoutReferral)],
  ['freeOfCharge', (r) => flag(r.freeOfCharge)],
  ['ageMin', (r) => number(r.ageMin)],
  ['ageMax', (r) => number(r.ageMax)],
  ['sourceTitle', (r) => r.source.title],
  ['sourceUrl', (r) => r.source.url ?? ''],
  ['sourceSeen', (r) => r.source.seen ?? ''],
  ['sources', (r) => r.sources.map(describeSource).join(' | ')],
  ['lastVerified', (r) => r.lastVerified],
  ['updatedAt', (r) => r.updatedAt],
];

export const csvHeader = csvColumns.map(([name]) => name);

/**
 * A cell a spreadsheet will not run: text starting with `=`, `@`, a tab or a carriage return, or with `+`/`-`
 * followed by anything but a number, gets a leading apostrophe (OWASP's advice against CSV injection).
 * Anyone with a token can write a name; whoever opens the export in Excel must not execute it. Phone
 * numbers such as `+4620505050` are left alone.
 */
export function spreadsheetSafe(value: string): string {
  const risky = /^[=@\t\r]/.test(value) || (/^[+-]/.test(value) && !/^[+-][\d ().-]*$/.test(value));
  return risky ? `'${value}` : value;
}

/**
 * One CSV row: empty cells for unknown values, `;` between the members of a list whichever separator the file
 * uses. With `;` as separator such a cell is enclosed in double quotes (csv-stringify quotes every field holding
 * the separator, as RFC 4180 asks), so Excel and any CSV parser read it as one cell holding `a;b`.
 */
export const csvRecord = (resource: Resource): string[] =>
  csvColumns.map(([, value]) => spreadsheetSafe(value(resource)));

/** The separators a client may choose with the `delimiter` query parameter. */
export const csvDelimiters = { comma: ',', semicolon: ';' } as const;
export type CsvDelimiter = keyof typeof csvDelimiters;

export const CsvDelimiterParameter = Type.Enum(['comma', 'semicolon'], {
  description:
    'The field separator: `comma` (RFC 4180) or `semicolon`, which Excel in a Swedish locale expects (there ' +
    '`,` is the decimal mark). Default `semicolon` when the file is for a Swedish reader, `comma` otherwise.',
});

/**
 * The separator a CSV is written with: the one asked for, else `;` for a Swedish reader (Excel in a Swedish
 * locale splits on `;` and shows a comma-separated file as one column), else `,`.
 */
export function csvDelimiter(asked: CsvDelimiter | undefined, language: 'sv' | 'en'): string {
  return csvDelimiters[asked ?? (language === 'sv' ? 'semicolon' : 'comma')];
}

export interface PointFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { resourceId: string; name: string; kind: string; status: string; municipality: string };
}

/**
 * One Point feature per public location with coordinates. Confidential locations are left out entirely:
 * a feature without geometry would still place a sheltered address in a municipality on a map layer.
 */
export function geojsonFeatures(resource: Resource): PointFeature[] {
  return resource.locations.flatMap((location, index) =>
    location.visibility === 'public' && location.lat !== undefined && location.lon !== undefined
      ? [
          {
            type: 'Feature' as const,
            id: `${resource.id}/${index}`,
            // RFC 7946: longitude first.
            geometry: {
              type: 'Point' as const,
              coordinates: [location.lon, location.lat] as [number, number],
            },
            properties: {
              resourceId: resource.id,
              name: resource.name,
              kind: resource.kind,
              status: resource.status,
              municipality: location.municipality,
            },
          },
        ]
      : [],
  );
}

/** One line of NDJSON: the resource exactly as GET /v1/resources/{id} answers it. */
export const ndjsonLine = (resource: Resource) => `${JSON.stringify(resource)}\n`;
