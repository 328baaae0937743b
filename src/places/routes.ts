import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { PagingQuery, pageSchema, setPageLinks } from '../http/pagination.js';
import { notFound, problemResponses } from '../http/problem.js';
import { CountyCode, MunicipalityCode, SubregionCode } from '../resources/schemas.js';
import {
  CodeName,
  CountyDetailSchema,
  CountySchema,
  countyView,
  InventorySchema,
  MunicipalityDetailSchema,
  MunicipalitySchema,
  municipalitiesIn,
  municipalityView,
  pageOf,
} from './views.js';

export async function placesRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(InventorySchema);
  app.addSchema(CountySchema);
  app.addSchema(MunicipalitySchema);

  app.get(
    '/v1/counties',
    {
      schema: {
        tags: ['places'],
        operationId: 'listCounties',
        summary: 'List the 21 counties (län)',
        description:
          'Every county with its municipality count, 2016 population, subregions and latest inventory.',
        querystring: Type.Object(PagingQuery, { additionalProperties: false }),
        response: { 200: pageSchema(Type.Ref('County'), 'A page of counties.'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const inventories = await app.placeStore.latestInventories();
      const all = [...app.places.counties.keys()].map((code) => countyView(app.places, code, inventories));
      const page = pageOf(all, request.query);
      setPageLinks(request, reply, page);
      return page;
    },
  );

  app.get(
    '/v1/counties/:code',
    {
      schema: {
        tags: ['places'],
        operationId: 'getCounty',
        summary: 'One county (län) with its municipalities',
        description:
          'A county by its two-digit SCB code, e.g. `06` (Jönköpings län) or `14` (Västra Götalands län).',
        params: Type.Object({ code: CountyCode }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: CountyDetailSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { code } = request.params;
      if (!app.places.counties.has(code)) throw notFound(`No county has the code '${code}'.`);
      return {
        ...countyView(app.places, code, await app.placeStore.latestInventories()),
        municipalities: app.places.municipalitiesOfCounty(code).map((m) => ({ code: m.code, name: m.name })),
      };
    },
  );

  app.get(
    '/v1/municipalities',
    {
      schema: {
        tags: ['places'],
        operationId: 'listMunicipalities',
        summary: 'List municipalities (kommuner)',
        description: 'The 290 municipalities, optionally those of one county or one subregion (delregion).',
        querystring: Type.Object(
          {
            county: Type.Optional({ ...CountyCode, description: 'Only municipalities in this county.' }),
            subregion: Type.Optional({
              ...SubregionCode,
              description: 'Only municipalities in this subregion.',
            }),
            ...PagingQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: pageSchema(Type.Ref('Municipality'), 'A page of municipalities, by code.'),
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const all = municipalitiesIn(app.places, request.query).map((m) => municipalityView(app.places, m));
      const page = pageOf(all, request.query);
      setPageLinks(request, reply, page);
      return page;
    },
  );

  // Registered as a static path: find-my-way prefers it to /v1/municipalities/:code (whose code must be four
  // digits anyway), whatever the order of registration.
  app.get(
    '/v1/municipalities/boundaries.geojson',
    {
      schema: {
        tags: ['places'],
        operationId: 'getMunicipalityBoundaries',
        summary: 'Municipality boundaries (kommungränser) as GeoJSON',
        description:
          'An RFC 7946 FeatureCollection with one Feature per municipality (kommun): the simplified boundary as ' +
          'a Polygon or MultiPolygon (WGS84) and the properties `code`, `name`, `county` and `subregion` ' +
          '(codes; `subregion` is null outside Västra Götaland). Filtered like GET /v1/municipalities: by ' +
          'county, by subregion (delregion), or both; without either, all 290. Enough to draw a county map, ' +
          'as the coverage page at /coverage does.',
        querystring: Type.Object(
          {
            county: Type.Optional({ ...CountyCode, description: 'Only the municipalities of this county.' }),
            subregion: Type.Optional({
              ...SubregionCode,
              description: 'Only the municipalities of this subregion.',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: {
            description: 'The boundaries, by municipality code.',
            content: {
              'application/geo+json': {
                schema: Type.Object(
                  {
                    type: Type.Literal('FeatureCollection'),
                    features: Type.Array(
                      Type.Object({
                        type: Type.Literal('Feature'),
                        id: Type.String({ description: 'The municipality code.' }),
                        properties: Type.Object({
                          code: Type.String({ description: 'SCB municipality code.' }),
                          name: Type.String(),
                          county: Type.String({ description: 'SCB county code.' }),
                          subregion: Type.Union([Type.String(), Type.Null()], {
                            description: 'Subregion code, where the county has subregions.',
                          }),
                        }),
                        geometry: Type.Object(
                          { type: Type.String(), coordinates: Type.Array(Type.Unknown()) },
                          { description: 'Simplified boundary, a GeoJSON Polygon or MultiPolygon (WGS84).' },
                        ),
                      }),
                    ),
                  },
                  {
                    examples: [
                      {
                        type: 'FeatureCollection',
                        features: [
                          {
                            type: 'Feature',
                            id: '0643',
                            properties: { code: '0643', name: 'Habo', county: '06', subregion: null },
                            geometry: {
                              type: 'Polygon',
                              coordinates: [
                                [
                                  [14.0, 57.85],
                                  [14.25, 57.85],
                                  [14.25, 58.0],
                                  [14.0, 58.0],
                                  [14.0, 57.85],
                                ],
                              ],
                            },
                          },
                        ],
                      },
                    ],
                  },
                ),
              },
            },
          },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const features = await Promise.all(
        municipalitiesIn(app.places, request.query).map(async (m) => ({
          type: 'Feature' as const,
          id: m.code,
          properties: { code: m.code, name: m.name, county: m.countyCode, subregion: m.subregionCode },
          geometry: (await app.placeStore.municipalityBoundary(m.code)) as {
            type: string;
            coordinates: unknown[];
          },
        })),
      );
      return reply.type('application/geo+json').send({ type: 'FeatureCollection' as const, features });
    },
  );

  app.get(
    '/v1/places/lookup',
    {
      schema: {
        tags: ['places'],
        operationId: 'lookupPlace',
        summary: 'The municipality, county and subregion at a point',
        description:
          'Resolves a WGS84 point to the municipality whose (simplified) boundary contains it. Outside Sweden ' +
          'every field is null. Within a few hundred metres of a border the neighbour may answer.',
        querystring: Type.Object(
          {
            lat: Type.Number({ minimum: -90, maximum: 90, description: 'Latitude (WGS84).' }),
            lon: Type.Number({ minimum: -180, maximum: 180, description: 'Longitude (WGS84).' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            municipality: Type.Union([CodeName, Type.Null()]),
            county: Type.Union([CodeName, Type.Null()]),
            subregion: Type.Union([CodeName, Type.Null()]),
          }),
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      // The point is probably where the asker is: no shared cache may keep the answer.
      reply.header('cache-control', 'no-store');
      const m = app.places.municipalityAt(request.query);
      if (!m) return { municipality: null, county: null, subregion: null };
      const view = municipalityView(app.places, m);
      return { municipality: { code: m.code, name: m.name }, county: view.county, subregion: view.subregion };
    },
  );

  app.get(
    '/v1/municipalities/:code',
    {
      schema: {
        tags: ['places'],
        operationId: 'getMunicipality',
        summary: 'One municipality (kommun) with its boundary',
        description: 'A municipality by its four-digit SCB code, e.g. `1480` (Göteborg).',
        params: Type.Object({ code: MunicipalityCode }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: MunicipalityDetailSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const municipality = app.places.municipalities.get(request.params.code);
      if (!municipality) throw notFound(`No municipality has the code '${request.params.code}'.`);
      return {
        ...municipalityView(app.places, municipality),
        boundary: (await app.placeStore.municipalityBoundary(municipality.code)) as {
          type: string;
          coordinates: unknown[];
        },
      };
    },
  );
}
