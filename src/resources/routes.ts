import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { pageSchema, pageWindow, setPageLinks } from '../http/pagination.js';
import { notFound, problemResponses } from '../http/problem.js';
import { etagOf } from './changes.js';
import {
  boundCost,
  criteriaFrom,
  FilterProperties,
  PositionProperties,
  ResourcePagingQuery,
} from './criteria.js';
import { indexQuery, withMembers } from './index.js';
import { ResourceId } from './schemas.js';

const ListQuery = Type.Object(
  { ...FilterProperties, ...ResourcePagingQuery },
  { additionalProperties: false },
);
const NearbyCriteria = Type.Object(
  { ...PositionProperties, ...FilterProperties, ...ResourcePagingQuery },
  { additionalProperties: false },
);

const HoursUnknown = Type.Optional(
  Type.Integer({
    minimum: 0,
    description:
      'With `openNow` or `openAt`: how many more resources match every other filter but are left out because ' +
      'their hours at that instant are unknown (unknown is never open).',
  }),
);

const ListResponse = Type.Object(
  { ...pageSchema(Type.Ref('Resource'), '').properties, hoursUnknown: HoursUnknown },
  { description: 'A page of resources.' },
);

/** National lines listed beside the nearby results; the rest are a link away. */
const maxHelplines = 5;

const CodeName = Type.Object({ code: Type.String(), name: Type.String() });
const PointMunicipality = Type.Object({ code: Type.String(), name: Type.String(), county: CodeName });

const NearbyItemSchema = Type.Intersect(
  [
    Type.Ref('Resource'),
    Type.Object({
      distanceKm: Type.Union([Type.Number(), Type.Null()], {
        description: 'Distance to the nearest location, km; null when the resource has no location.',
      }),
      distanceApproximate: Type.Boolean({
        description: 'Measured from the municipality seat (confidential locations, or no coordinates).',
      }),
      servesLocation: Type.Boolean({ description: "The service area includes the point's municipality." }),
    }),
  ],
  { $id: 'NearbyResource' },
);

const NearbyResponse = Type.Object(
  {
    municipality: Type.Union([PointMunicipality, Type.Null()], {
      description: 'The municipality containing the point; null outside Sweden.',
    }),
    items: Type.Array(Type.Ref('NearbyResource')),
    helplines: Type.Array(Type.Ref('Resource'), {
      maxItems: maxHelplines,
      description: `National lines and services matching the filters (the asked cell among them), by name: the first ${maxHelplines}.`,
    }),
    helplinesTotal: Type.Integer({
      minimum: 0,
      description: 'How many national lines and services match the filters in all.',
    }),
    helplinesUrl: Type.String({
      description: 'GET this for the full list of matching national lines and services (no position in it).',
    }),
    hoursUnknown: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'With `openNow` or `openAt`: how many more regional resources serving or near the point match every ' +
          'other filter but are left out because their hours at that instant are unknown (unknown is never ' +
          'open). National lines with unknown hours are left out of `helplines` alike, uncounted.',
      }),
    ),
    page: Type.Integer(),
    limit: Type.Integer(),
    totalItems: Type.Integer(),
    totalPages: Type.Integer(),
  },
  { description: 'Regional resources serving or near the point, serving ones first, each by distance.' },
);

const nearbyDescription =
  'Regional resources that serve the municipality containing the point (however far their office) or have a ' +
  'location within `radiusKm`; serving ones first, each group by distance. Distances to confidential ' +
  'locations are measured from the municipality seat and marked approximate. National lines come apart, in ' +
  '`helplines`.';

/** Sends JSON the read model serialised already: the response schema documents it, nothing re-serialises it. */
function sendJson(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

/** The list of national lines for the same filters, without the position: safe to put in a URL. */
function helplinesUrl(filters: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) {
    if (value === undefined || name === 'national') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  params.set('national', 'true');
  return `/v1/resources?${params.toString()}`;
}

export async function resourceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(NearbyItemSchema);

  function nearby(criteria: Static<typeof NearbyCriteria>, where: 'query' | 'body', reply: FastifyReply) {
    // The answer reveals roughly where the asker is: no shared cache may keep it.
    reply.header('cache-control', 'no-store');
    boundCost(criteria, where);
    const { lat, lon, radiusKm, page, limit, ...filters } = criteria;
    const resourceCriteria = criteriaFrom(filters, app, where);
    const index = app.readModel.current().resources;
    const m = app.places.municipalityAt({ lat, lon });
    const helplines =
      resourceCriteria.national === false
        ? { totalItems: 0, items: [] }
        : index.list(indexQuery({ ...resourceCriteria, national: true }), 0, maxHelplines);
    const query = indexQuery(resourceCriteria);
    const offset = (page - 1) * limit;
    const found =
      resourceCriteria.national === true
        ? { totalItems: 0, items: [], ...(query.openAt === undefined ? {} : { hoursUnknown: 0 }) }
        : index.nearby(query, { lat, lon }, radiusKm, m?.code, offset, limit);
    // Refuses a page past the last one; the page itself came with the total.
    const { totalPages } = pageWindow({ page, limit }, found.totalItems);
    const items = found.items;
    const municipality = m
      ? {
          code: m.code,
          name: m.name,
          county: { code: m.countyCode, name: app.places.counties.get(m.countyCode)?.name ?? '' },
        }
      : null;
    const itemJson = items.map((item) =>
      withMembers(item.json, {
        distanceKm: item.distanceKm,
        distanceApproximate: item.distanceApproximate,
        servesLocation: item.servesLocation,
      }),
    );
    return sendJson(
      reply,
      `{"items":[${itemJson.join(',')}],"page":${page},"limit":${limit},"totalItems":${found.totalItems},` +
        `"totalPages":${totalPages},"municipality":${JSON.stringify(municipality)},` +
        `"helplines":[${helplines.items.join(',')}],"helplinesTotal":${helplines.totalItems},` +
        `"helplinesUrl":${JSON.stringify(helplinesUrl(filters))}` +
        `${found.hoursUnknown === undefined ? '' : `,"hoursUnknown":${found.hoursUnknown}`}}`,
    );
  }

  app.get(
    '/v1/resources',
    {
      schema: {
        tags: ['resources'],
        operationId: 'listResources',
        summary: 'List and search support resources',
        description:
          'Support resources (Barnahus, KAST, Mikamottagningen, Utväg, kvinnojourer …) filtered by the places ' +
          'they serve, the matrix cell, kind, audience, language, access and status; filters combine with AND. ' +
          'National lines serve every municipality and so match every place filter; `national=false` leaves ' +
          'them out. With `q`, results are ranked by relevance, otherwise ordered by name.',
        querystring: ListQuery,
        response: { 200: ListResponse, ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      boundCost(request.query, 'query');
      const { page, limit, ...filters } = request.query;
      const query = indexQuery(criteriaFrom(filters, app, 'query'));
      const index = app.readModel.current().resources;
      const { totalItems, items, hoursUnknown } = index.list(query, (page - 1) * limit, limit);
      // Refuses a page past the last one; the page itself came with the total.
      const { totalPages } = pageWindow({ page, limit }, totalItems);
      setPageLinks(request, reply, { items, page, limit, totalItems, totalPages });
      return sendJson(
        reply,
        `{"items":[${items.join(',')}],"page":${page},"limit":${limit},"totalItems":${totalItems},"totalPages":${totalPages}` +
          `${hoursUnknown === undefined ? '' : `,"hoursUnknown":${hoursUnknown}`}}`,
      );
    },
  );

  app.get(
    '/v1/resources/nearby',
    {
      schema: {
        tags: ['resources'],
        operationId: 'listNearbyResources',
        summary: 'Support near a point',
        description: `${nearbyDescription} To keep a position out of URLs and proxies, use POST /v1/resources/search.`,
        querystring: NearbyCriteria,
        response: { 200: NearbyResponse, ...problemResponses(400) },
      },
    },
    // No Link header here: its URLs would repeat the asker's position into a response header, and so into
    // caches and proxy logs. The body's page and totalPages say all a client needs to page.
    async (request, reply) => nearby(request.query, 'query', reply),
  );

  app.post(
    '/v1/resources/search',
    {
      schema: {
        tags: ['resources'],
        operationId: 'searchNearbyResources',
        summary: 'Support near a point, the position in the body',
        description: `The same as GET /v1/resources/nearby with the criteria as a JSON body, so that a person's position stays out of URLs, proxies and logs. ${nearbyDescription}`,
        body: NearbyCriteria,
        response: { 200: NearbyResponse, ...problemResponses(400) },
      },
    },
    async (request, reply) => nearby(request.body, 'body', reply),
  );

  app.get(
    '/v1/resources/:id',
    {
      schema: {
        tags: ['resources'],
        operationId: 'getResource',
        summary: 'One support resource',
        description:
          'A resource by its id, whatever its status. The ETag header is what a change sends as If-Match.',
        params: Type.Object({ id: ResourceId }),
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Ref('Resource'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const found = app.readModel.current().resources.get(request.params.id);
      if (!found) throw notFound(`No resource has the id '${request.params.id}'.`);
      reply.header('etag', etagOf(found.version));
      return sendJson(reply, found.json);
    },
  );
}
