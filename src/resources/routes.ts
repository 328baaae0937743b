import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Static, Type } from 'typebox';
import { PagingQuery, pageSchema, setPageLinks } from '../http/pagination.js';
import { notFound, problemResponses } from '../http/problem.js';
import { etagOf, resourceVersion } from './changes.js';
import { criteriaFrom, FilterProperties, PositionProperties } from './criteria.js';
import { getResource } from './repository.js';
import { ResourceId } from './schemas.js';
import { nearbyResources, searchResources } from './search.js';

const ListQuery = Type.Object({ ...FilterProperties, ...PagingQuery }, { additionalProperties: false });
const NearbyCriteria = Type.Object(
  { ...PositionProperties, ...FilterProperties, ...PagingQuery },
  { additionalProperties: false },
);

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
      description: 'National lines and services matching the filters.',
    }),
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

export async function resourceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(NearbyItemSchema);

  function nearby(criteria: Static<typeof NearbyCriteria>, where: 'query' | 'body', reply: FastifyReply) {
    // The answer reveals roughly where the asker is: no shared cache may keep it.
    reply.header('cache-control', 'no-store');
    const { lat, lon, radiusKm, page, limit, ...filters } = criteria;
    const result = nearbyResources(
      app.database,
      app.places,
      criteriaFrom(filters, app, where),
      { lat, lon },
      radiusKm,
      { page, limit },
    );
    const m = result.municipality;
    return {
      ...result.page,
      municipality: m
        ? {
            code: m.code,
            name: m.name,
            county: { code: m.countyCode, name: app.places.counties.get(m.countyCode)?.name ?? '' },
          }
        : null,
      helplines: result.helplines,
    };
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
        response: { 200: pageSchema(Type.Ref('Resource'), 'A page of resources.'), ...problemResponses(400) },
      },
    },
    async (request, reply) => {
      const { page, limit, ...filters } = request.query;
      const result = searchResources(app.database, criteriaFrom(filters, app, 'query'), { page, limit });
      setPageLinks(request, reply, result);
      return result;
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
        response: { 200: Type.Ref('Resource'), ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const resource = getResource(app.database.db, request.params.id);
      if (!resource) throw notFound(`No resource has the id '${request.params.id}'.`);
      reply.header('etag', etagOf(resourceVersion(app.database, resource.id) as number));
      return resource;
    },
  );
}
