import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { type CsvDelimiter, csvDelimiter } from '../exports/formats.js';
import { dateOfDay, instantOf, wallTimeAt } from '../hours/clock.js';
import { preferredLanguage, preferredMediaType } from '../http/negotiation.js';
import { badRequest, problemResponses, unknownCode } from '../http/problem.js';
import type { Axis, Cell } from '../vocabulary/vocabulary.js';
import { AnswerCache, type CachedAnswer } from './answer-cache.js';
import { coverageChanges } from './changes.js';
import { type CoveragePlace, cellKey } from './compute.js';
import { changesCsvFilename, coverageChangesCsv, coverageCsv, csvFilename, languages } from './csv.js';
import { coverageReportJson } from './json.js';
import { coverageOfCountry, coverageOfPlace } from './repository.js';
import {
  CoverageCellSchema,
  CoverageChangesQuery,
  CoverageChangesSchema,
  CoverageQuery,
  CoverageReportSchema,
  CoverageSummarySchema,
  NationalCoverageQuery,
  NationalCoverageSchema,
} from './schemas.js';

const placeParameters = ['county', 'subregion', 'municipality'] as const;

const jsonType = 'application/json; charset=utf-8';

/**
 * What a coverage answer depends on besides the read model, as a cache key: the place, the cells (the
 * filters normalised: two spellings of one selection share an answer), the date and instant it is for (a
 * default date is today's, so an answer of yesterday is never today's), the inventories it reads and the
 * representation.
 */
const answerKey = (
  place: readonly string[],
  cells: readonly Cell[],
  moment: { at: string; openAt?: number },
  inventories: readonly unknown[],
  representation: readonly string[],
) =>
  JSON.stringify([place, cells.map(cellKey), moment.at, moment.openAt ?? null, inventories, representation]);

/** Whether to answer CSV: `format` when given, else the client's Accept. */
const wantsCsv = (format: 'json' | 'csv' | undefined, accept: string | undefined) =>
  (format ??
    (preferredMediaType(accept, ['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json')) === 'csv';

/** Today in UTC, the default date of a report. */
const today = () => new Date().toISOString().slice(0, 10);

/** The instant of `openAt`, if asked, and the date the report holds for: `at`, or that instant's date. */
function when(query: { at?: string; openAt?: string }): { at: string; openAt?: number } {
  if (query.openAt === undefined) return { at: query.at ?? today() };
  const openAt = instantOf(query.openAt);
  if (openAt === undefined) {
    throw badRequest(
      'invalid-filter',
      "Invalid query parameter 'openAt': must be an instant from 1970 to 2099.",
      [{ in: 'query', name: 'openAt', reason: 'must be an instant from 1970 to 2099' }],
    );
  }
  return { at: query.at ?? dateOfDay(wallTimeAt(openAt).day), openAt };
}

/** The language and field separator of a CSV answer: as the client prefers and asks. */
function csvFormat(request: FastifyRequest, asked: CsvDelimiter | undefined) {
  const language = preferredLanguage(request.headers['accept-language'], languages);
  return { language, delimiter: csvDelimiter(asked, language) };
}

/**
 * A coverage CSV: labelled in the language the client prefers, separated as it asks (or as that language's
 * spreadsheets expect), as a download named `filename`.
 */
const csvAnswer = (language: string, filename: string, csv: string): CachedAnswer => ({
  body: Buffer.from(csv, 'utf8'),
  contentType: 'text/csv; charset=utf-8',
  headers: { 'content-language': language, 'content-disposition': `attachment; filename="${filename}"` },
});

function send(reply: FastifyReply, answer: CachedAnswer) {
  return reply.type(answer.contentType).headers(answer.headers).send(answer.body);
}

export interface CoverageRoutesOptions {
  /** The most bytes of answers kept for the current read model (src/coverage/answer-cache.ts); 0: none. */
  answerCacheBytes: number;
}

export async function coverageRoutes(fastify: FastifyInstance, options: CoverageRoutesOptions) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const answers = new AnswerCache(options.answerCacheBytes);
  app.addSchema(CoverageSummarySchema);
  app.addSchema(CoverageCellSchema);
  app.addSchema(CoverageReportSchema);
  app.addSchema(NationalCoverageSchema);
  app.addSchema(CoverageChangesSchema);
  // The read model's support index: rebuilt off the request path after writes (src/read-model/store.ts).
  const support = { current: () => app.readModel.current().support };

  /** The one place the query names, with its municipalities; rejects none, several or unknown codes. */
  function placeFrom(query: Pick<CoverageQuery, (typeof placeParameters)[number]>): CoveragePlace {
    const given = placeParameters.filter((name) => query[name] !== undefined);
    if (given.length === 0) {
      throw badRequest(
        'place-required',
        'Name the place to report on with one of the query parameters county, subregion or municipality.',
        placeParameters.map((name) => ({ in: 'query', name, reason: 'one of these is required' })),
      );
    }
    if (given.length > 1) {
      throw badRequest(
        'contradictory-parameters',
        `Name one place only: ${given.join(' and ')} were both given.`,
        given.map((name) => ({ in: 'query', name, reason: `give only one of ${given.join(', ')}` })),
      );
    }
    const { places } = app;
    const countyOf = (code: string) => ({ code, name: places.counties.get(code)?.name ?? code });
    if (query.county !== undefined) {
      const county = places.counties.get(query.county);
      if (!county) throw unknownCode('county', query.county, 'county');
      return {
        type: 'county',
        code: county.code,
        name: county.name,
        county: countyOf(county.code),
        municipalities: places.municipalitiesOfCounty(county.code),
      };
    }
    if (query.subregion !== undefined) {
      const subregion = places.subregions.get(query.subregion);
      if (!subregion) throw unknownCode('subregion', query.subregion, 'subregion');
      return {
        type: 'subregion',
        code: subregion.code,
        name: subregion.name,
        county: countyOf(subregion.countyCode),
        municipalities: places.municipalitiesOfSubregion(subregion.code),
      };
    }
    const code = query.municipality as string;
    const municipality = places.municipalities.get(code);
    if (!municipality) throw unknownCode('municipality', code, 'municipality');
    return {
      type: 'municipality',
      code,
      name: municipality.name,
      county: countyOf(municipality.countyCode),
      municipalities: [municipality],
    };
  }

  /** The cells the query asks for, in matrix order: all 40 unless area, role or group narrow them. */
  function cellsFrom(query: { area?: string[]; role?: string[]; group?: string[] }): Cell[] {
    const chosen = (parameter: 'area' | 'role' | 'group', axis: Axis, what: string) => {
      const codes = query[parameter];
      if (codes === undefined) return undefined;
      for (const code of codes) if (!app.vocabulary.has(axis, code)) throw unknownCode(parameter, code, what);
      return new Set(codes);
    };
    const areas = chosen('area', 'areas', 'area');
    const roles = chosen('role', 'roles', 'role');
    const groups = chosen('group', 'groups', 'target group');
    return app.vocabulary
      .cells()
      .filter(
        (cell) =>
          (!areas || areas.has(cell.area)) &&
          (!roles || roles.has(cell.role)) &&
          (!groups || groups.has(cell.group)),
      );
  }

  app.get(
    '/v1/coverage',
    {
      schema: {
        tags: ['coverage'],
        operationId: 'getCoverage',
        summary: 'Coverage of the matrix in a county, subregion or municipality: where the gaps are',
        description:
          'For each of the 40 cells (area × role × target group): what is known of support in the place, by ' +
          'what its county’s inventory can tell. Every municipality has regional support: `covered`. Where ' +
          'the inventory is `complete` (its source looked for every actor), absence is a finding: some ' +
          'municipalities lack regional support (`partial`), only national lines cover the cell ' +
          '(`national-only`) or nothing does (`gap`), with the municipalities lacking it and their ' +
          'population. Where the inventory is a `selection` (its source lists some resources only), absence ' +
          'is not known: `partly-known` or `none-known`, with the municipalities where support is not known; ' +
          'never a gap. A county that has not been inventoried answers `not-inventoried`. Each cell lists ' +
          'the resources that serve it there, each marked `afterInventory` when it comes from after the ' +
          'inventory, and how far the nearest one is. Only resources that serve individuals and are running ' +
          'on the date count. Name exactly one of `county`, `subregion`, `municipality`. `Accept: text/csv` ' +
          'or `format=csv` answers the matrix as a spreadsheet (UTF-8 with BOM), labelled in Swedish or, ' +
          'with `Accept-Language: en`, English; its fields are separated by `;` when the labels are Swedish ' +
          '(as Excel in a Swedish locale expects) and by `,` when they are English, unless `delimiter` ' +
          'chooses. Lists of municipalities and resources keep `; ` inside their cell; with `;` as separator ' +
          'such a cell is enclosed in double quotes (RFC 4180), so it stays one cell.',
        querystring: CoverageQuery,
        response: {
          200: {
            description: 'The coverage report (täckningsrapport).',
            content: {
              'application/json': { schema: Type.Ref('CoverageReport') },
              'text/csv': {
                schema: Type.String({
                  description:
                    'One row per cell: area, role, group, status, lacking municipalities, affected population, ' +
                    'municipalities where support is not known, their population, serving resources.',
                }),
              },
            },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      const place = placeFrom(query);
      const cells = cellsFrom(query);
      const moment = when(query);
      const index = support.current();
      const inventories = await app.placeStore.latestInventories();
      const csv = wantsCsv(query.format, request.headers.accept) ? csvFormat(request, query.delimiter) : null;
      reply.header('vary', 'Accept, Accept-Language');
      const key = answerKey(
        ['place', place.type, place.code],
        cells,
        moment,
        [inventories.get(place.county.code) ?? null],
        csv ? ['csv', csv.language, csv.delimiter] : ['json'],
      );
      const answer = answers.answer(index, key, () => {
        const report = coverageOfPlace(index, { place, cells, ...moment }, inventories);
        // A county's report can list tens of thousands of resources (several MB): it is assembled from
        // pieces made once (json.ts) rather than serialised from its schema, which took three times as
        // long. The report is built to the schema (compute.ts), so there is nothing for the schema to strip.
        if (!csv) return { body: coverageReportJson(report), contentType: jsonType, headers: {} };
        return csvAnswer(
          csv.language,
          csvFilename(report),
          coverageCsv(report, app.vocabulary, csv.language, csv.delimiter),
        );
      });
      return send(reply, answer);
    },
  );

  app.get(
    '/v1/coverage/changes',
    {
      schema: {
        tags: ['coverage'],
        operationId: 'getCoverageChanges',
        summary: 'What changed in the coverage of a place between two dates',
        description:
          'For a yearly report: the cells of the matrix whose status, municipalities without (known) regional ' +
          'support or their population differ between the report for `from` and the report for `to` (each as ' +
          'GET /v1/coverage?at= answers it: the data as it stands now, a resource counting on the dates its ' +
          'status and activeFrom/activeUntil say it ran), whether each improved or worsened, and the resources ' +
          'that started or stopped serving it. Both dates use the county’s latest inventory. Name exactly ' +
          'one of `county`, `subregion`, `municipality`; `area`, `role`, `group` narrow the cells. ' +
          '`Accept: text/csv` or `format=csv` answers a spreadsheet, one row per changed cell, labelled and ' +
          'separated as the coverage CSV is.',
        querystring: CoverageChangesQuery,
        response: {
          200: {
            description: 'The changed cells.',
            content: {
              'application/json': { schema: Type.Ref('CoverageChanges') },
              'text/csv': {
                schema: Type.String({
                  description:
                    'One row per changed cell: area, role, group, change, the status on each date, the ' +
                    'municipalities without regional support and their population on each date, the ' +
                    'municipalities where support is not known on each date, resources that started, stopped.',
                }),
              },
            },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { query } = request;
      if (query.from >= query.to) {
        throw badRequest('invalid-period', `'from' (${query.from}) must be before 'to' (${query.to}).`, [
          { in: 'query', name: 'from', reason: 'must be a date before `to`' },
        ]);
      }
      const place = placeFrom(query);
      const cells = cellsFrom(query);
      const index = support.current();
      const inventories = await app.placeStore.latestInventories();
      const changes = coverageChanges(
        coverageOfPlace(index, { place, cells, at: query.from }, inventories),
        coverageOfPlace(index, { place, cells, at: query.to }, inventories),
      );
      reply.header('vary', 'Accept, Accept-Language');
      if (!wantsCsv(query.format, request.headers.accept)) return changes;
      const { language, delimiter } = csvFormat(request, query.delimiter);
      return send(
        reply,
        csvAnswer(
          language,
          changesCsvFilename(changes),
          coverageChangesCsv(changes, app.vocabulary, language, delimiter),
        ),
      );
    },
  );

  app.get(
    '/v1/coverage/national',
    {
      schema: {
        tags: ['coverage'],
        operationId: 'getNationalCoverage',
        summary: 'Coverage in every county: the national overview',
        description:
          'One row per county (län), inventoried or not: how many cells have each status, and the largest ' +
          'gap (the cell a complete inventory finds not covered with the most people in municipalities ' +
          'lacking regional support; none for a selection). Statuses are those of `getCoverage` for the ' +
          'county.',
        querystring: NationalCoverageQuery,
        response: { 200: Type.Ref('NationalCoverage'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const cells = cellsFrom(request.query);
      const moment = when(request.query);
      const index = support.current();
      const inventories = await app.placeStore.latestInventories();
      const answer = answers.answer(
        index,
        answerKey(['national'], cells, moment, [...inventories], ['json']),
        () => {
          const overview = coverageOfCountry(app.places, index, { cells, ...moment }, inventories);
          // Serialised by the route's response schema, as fastify would (a schema's serializer answers a
          // string), once per answer kept.
          const body = Buffer.from(reply.serialize(overview) as string, 'utf8');
          return { body, contentType: jsonType, headers: {} };
        },
      );
      return send(reply, answer);
    },
  );
}
