// The open-data downloads (CSV, GeoJSON, NDJSON) and the dataset's DCAT-AP-SE description.

import type { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { currentCursor } from '../changes/feed.js';
import { changesCursorHeader } from '../changes/routes.js';
import { sqliteDatabase } from '../db/plugin.js';
import type { ResourceStore } from '../db/store.js';
import { originOf } from '../http/api-info.js';
import { preferredLanguage } from '../http/negotiation.js';
import { problemResponses } from '../http/problem.js';
import { isNotModified } from './conditional.js';
import { DcatDatasetSchema, datasetDescription, type exportFiles } from './dataset.js';
import { type CsvDelimiter, CsvDelimiterParameter, csvDelimiter } from './formats.js';
import { exportVersion } from './repository.js';
import { csvStream, geojsonStream, ndjsonStream } from './streams.js';

/** Bump when an export's layout changes, so that clients holding the old file get the new one. */
const exportRevision = 1;

interface Download {
  path: (typeof exportFiles)[number]['path'];
  example: string;
  operationId: string;
  summary: string;
  description: string;
  contentType: string;
  filename: string;
  /** A CSV: takes the `delimiter` query parameter, and `;` by default for a client that asks for Swedish. */
  delimited?: true;
  stream: (source: Pick<ResourceStore, 'resourcesAfter'>, delimiter: string) => Readable;
}

const downloads: Download[] = [
  {
    path: '/v1/export/resources.csv',
    operationId: 'exportResourcesCsv',
    summary: 'Every resource as CSV',
    description:
      'One row per resource of every status, for spreadsheets: id, name, kind, status, activeFrom, ' +
      'activeUntil, audiences, organization, organizationType, national, cells (`area/role/group`), ' +
      'municipalities served, phone, email, website, chat, visitingAddresses (public locations only), open24h, ' +
      'hours, openingHours (as text, e.g. `mon–fri 09:00–16:00; holidays closed`), locationOpeningHours ' +
      '(the visiting hours of the public locations that state their own, `address: hours`, separated by ` | `), languages, anonymous, withoutReferral, freeOfCharge, ageMin, ageMax, sourceTitle, sourceUrl, ' +
      'sourceSeen, sources (each `facts: title <url> (seen)`, separated by ` | `), lastVerified, updatedAt. ' +
      'Fields are separated by `,`, or by `;` when `delimiter=semicolon` or when the client prefers Swedish ' +
      '(`Accept-Language: sv`), as Excel in a Swedish locale expects. The members of a list are separated by `;` ' +
      'inside their cell either way; with `;` as field separator such a cell is enclosed in double quotes ' +
      '(RFC 4180), so it stays one cell. Unknown values are empty. UTF-8 with a byte order mark (so Excel ' +
      'reads å, ä, ö), CRLF line ends. ' +
      'Text a spreadsheet would run as a formula (starting with `=`, `@`, or `+`/`-` before anything but a ' +
      "number) is prefixed with `'`.",
    contentType: 'text/csv; charset=utf-8',
    example:
      'id,name,kind,status,activeFrom,activeUntil,audiences,organization,organizationType,national,cells,' +
      'municipalities,phone,email,website,chat,visitingAddresses,open24h,hours,openingHours,locationOpeningHours,languages,anonymous,' +
      'withoutReferral,freeOfCharge,ageMin,ageMax,sourceTitle,sourceUrl,sourceSeen,sources,lastVerified,' +
      'updatedAt\r\n' +
      '6ade485c-5401-44a1-bf5d-c45b4c687cfc,KAST Borås,kast,active,,,individuals,Borås Stad,kommun,false,' +
      'prostitution-trafficking/perpetrator/men;prostitution-trafficking/perpetrator/women,1490,,,,,,false,,,,,,,' +
      ',,,Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022,,,,2022-12-31,' +
      '2026-01-15T09:30:00.000Z\r\n',
    filename: 'stodkartan-resources.csv',
    delimited: true,
    stream: csvStream,
  },
  {
    path: '/v1/export/resources.geojson',
    operationId: 'exportResourcesGeojson',
    summary: 'The locations of every resource as GeoJSON',
    description:
      'An RFC 7946 FeatureCollection with one Point per public location that has coordinates; properties: ' +
      'resourceId, name, kind, status and the municipality code. Confidential locations (sheltered housing) ' +
      'are left out entirely.',
    contentType: 'application/geo+json',
    example:
      '{"type":"FeatureCollection","features":[{"type":"Feature","id":"0f6d5f8e-1c2b-4d3a-9e8f-7a6b5c4d3e2f/0",' +
      '"geometry":{"type":"Point","coordinates":[12.94,57.721]},"properties":{"resourceId":' +
      '"0f6d5f8e-1c2b-4d3a-9e8f-7a6b5c4d3e2f","name":"Exempeljouren Borås","kind":"kvinnojour",' +
      '"status":"active","municipality":"1490"}}]}\n',
    filename: 'stodkartan-resources.geojson',
    stream: geojsonStream,
  },
  {
    path: '/v1/export/resources.ndjson',
    operationId: 'exportResourcesNdjson',
    summary: 'Every resource as newline-delimited JSON',
    description:
      'One resource per line, of every status, each exactly as GET /v1/resources/{id} answers it, in id order.',
    contentType: 'application/x-ndjson',
    example:
      '{"id":"6ade485c-5401-44a1-bf5d-c45b4c687cfc","name":"KAST Borås","kind":"kast","status":"active",…}\n' +
      '{"id":"86bb7b80-f0ab-4f2d-b758-0647cc3f2e14","name":"Kvinnofridslinjen","kind":"stodlinje",…}\n',
    filename: 'stodkartan-resources.ndjson',
    stream: ndjsonStream,
  },
];

const ConditionalHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({
      description: 'The ETag of the copy the client holds; the answer is 304 if it is current.',
      examples: ['"3Zb0iJ1d7kq5xY9wT2mHcA4eRf6gN8sLpUvQ"'],
    }),
  ),
  'if-modified-since': Type.Optional(
    Type.String({
      description: 'The Last-Modified of the copy the client holds; ignored when If-None-Match is sent.',
      examples: ['Mon, 23 Nov 2026 08:00:00 GMT'],
    }),
  ),
});

const DelimitedQuery = Type.Object(
  { delimiter: Type.Optional(CsvDelimiterParameter) },
  { additionalProperties: false },
);

const downloadHeaders = {
  ...changesCursorHeader,
  etag: { type: 'string', description: 'The version of the dataset; send it back in If-None-Match.' },
  'last-modified': { type: 'string', description: 'When a resource last changed (HTTP date).' },
  'content-disposition': { type: 'string', description: 'attachment, with a file name.' },
};

export async function exportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema({
    ...DcatDatasetSchema,
    examples: [datasetDescription('https://stodkartan.se', new Date('2026-11-23T08:00:00.000Z'))],
  });

  for (const download of downloads) {
    const [mediaType = download.contentType] = download.contentType.split(';');
    app.get(
      download.path,
      {
        schema: {
          tags: ['open-data'],
          operationId: download.operationId,
          summary: download.summary,
          description: `${download.description} Streamed as it is read. Supports conditional requests (ETag, Last-Modified → 304). The \`Changes-Cursor\` header is the change feed position the file holds every change up to: follow GET /v1/changes?after= from it. The data is CC0.`,
          querystring: download.delimited ? DelimitedQuery : Type.Object({}, { additionalProperties: false }),
          headers: ConditionalHeaders,
          response: {
            200: {
              description: `The export, as an attachment named \`${download.filename}\`.`,
              headers: downloadHeaders,
              content: {
                [mediaType]: {
                  schema: Type.Unsafe<Readable>({ type: 'string', examples: [download.example] }),
                },
              },
            },
            304: { description: 'The copy the client holds is current.', type: 'null' },
            ...problemResponses(400),
          },
        },
      },
      async (request, reply) => {
        const query: { delimiter?: CsvDelimiter } = request.query;
        // English is the default reader of the open data; a client that prefers Swedish gets Excel's `;`.
        const delimiter = download.delimited
          ? csvDelimiter(query.delimiter, preferredLanguage(request.headers['accept-language'], ['en', 'sv']))
          : ',';
        // Each separator is its own representation with its own ETag; the comma file keeps the one it had.
        const representation = `${download.path}@${exportRevision}${delimiter === ',' ? '' : ';delimiter=semicolon'}`;
        // Read before the first batch: a change committed while the file streams is after this cursor, so a
        // consumer following the feed from it gets that change again (harmless) and never misses one.
        reply.header('changes-cursor', currentCursor(sqliteDatabase(app).sqlite));
        const version = await exportVersion(app.changeFeed, app.resources, representation);
        if (download.delimited) reply.header('vary', 'Accept-Language');
        reply.header('etag', version.etag).header('cache-control', 'no-cache');
        if (version.lastModified) reply.header('last-modified', version.lastModified.toUTCString());
        if (isNotModified(request.headers, version)) return reply.code(304).send(null);
        return reply
          .type(download.contentType)
          .header('content-disposition', `attachment; filename="${download.filename}"`)
          .send(download.stream(app.resources, delimiter));
      },
    );
  }

  app.get(
    '/v1/dataset',
    {
      schema: {
        tags: ['open-data'],
        operationId: 'getDataset',
        summary: 'DCAT-AP-SE metadata of the open dataset (JSON-LD)',
        description:
          'The dataset as a catalogue such as dataportal.se harvests it: title and description in Swedish and ' +
          'English, publisher, contact point, the CC0 licence, and one distribution per export (CSV, GeoJSON, ' +
          'NDJSON) and per API (the REST API and the HSDS view, each a dcat:DataService described by ' +
          '/openapi.json). URLs are absolute, on the host the request was made to.',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: {
            description: 'The DCAT-AP-SE description in JSON-LD.',
            headers: changesCursorHeader,
            content: { 'application/ld+json': { schema: Type.Ref('DcatDataset') } },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { lastModified } = await exportVersion(app.changeFeed, app.resources, 'dataset');
      reply.header('changes-cursor', currentCursor(sqliteDatabase(app).sqlite));
      return reply.type('application/ld+json').send(datasetDescription(originOf(request), lastModified));
    },
  );
}
