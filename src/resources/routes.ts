import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import { PagingQuery, pageSchema, setPageLinks } from '../http/pagination.js';
import { notFound, problemResponses, unknownCode } from '../http/problem.js';
import { getResource, listResources, type ResourceFilter } from './repository.js';
import {
  CellSchema,
  CountyCode,
  LocationSchema,
  MunicipalityCode,
  ResourceId,
  ResourceSchema,
  statuses,
  VocabularyCode,
} from './schemas.js';

const ListQuery = Type.Object(
  {
    county: Type.Optional({
      ...CountyCode,
      description: 'Resources whose service area includes part of this county.',
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
    ...PagingQuery,
  },
  { additionalProperties: false },
);

export async function resourceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(CellSchema);
  app.addSchema(LocationSchema);
  app.addSchema(ResourceSchema);

  /** Turns the query's place and kind codes into a filter, rejecting codes that name nothing. */
  function filterFrom(query: Static<typeof ListQuery>): ResourceFilter {
    const serves: string[][] = [];
    if (query.county !== undefined) {
      if (!app.places.counties.has(query.county)) throw unknownCode('county', query.county, 'county');
      serves.push(app.places.municipalitiesOfCounty(query.county).map((m) => m.code));
    }
    if (query.municipality !== undefined) {
      if (!app.places.municipalities.has(query.municipality)) {
        throw unknownCode('municipality', query.municipality, 'municipality');
      }
      serves.push([query.municipality]);
    }
    for (const kind of query.kind ?? [])
      if (!app.vocabulary.has('kinds', kind)) throw unknownCode('kind', kind, 'kind');
    return {
      serves,
      kinds: query.kind,
      statuses: query.status ?? ['active'],
      national: query.national,
    };
  }

  app.get(
    '/v1/resources',
    {
      schema: {
        tags: ['resources'],
        operationId: 'listResources',
        summary: 'List support resources',
        description:
          'Support resources (Barnahus, KAST, Mikamottagningen, Utväg, kvinnojourer …) filtered by the places ' +
          'they serve, their kind and status; filters combine with AND. National lines serve every municipality ' +
          'and so match every place filter; use `national=false` to leave them out.',
        querystring: ListQuery,
        response: {
          200: pageSchema(Type.Ref('Resource'), 'A page of resources, by name.'),
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const page = listResources(app.database.db, filterFrom(request.query), request.query);
      setPageLinks(request, reply, page);
      return page;
    },
  );

  app.get(
    '/v1/resources/:id',
    {
      schema: {
        tags: ['resources'],
        operationId: 'getResource',
        summary: 'One support resource',
        description: 'A resource by its id, whatever its status.',
        params: Type.Object({ id: ResourceId }),
        response: { 200: Type.Ref('Resource'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const resource = getResource(app.database.db, request.params.id);
      if (!resource) throw notFound(`No resource has the id '${request.params.id}'.`);
      return resource;
    },
  );
}
