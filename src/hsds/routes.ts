// The Open Referral HSDS 3.0 view under /hsds: the same resources as /v1, in the shapes HSDS tools read.
// Paths and field names are HSDS's (snake_case, `taxonomy_terms`), not the /v1 style, on purpose.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { originOf } from '../http/api-info.js';
import { maxLimit } from '../http/pagination.js';
import { notFound, problemResponses, unknownCode } from '../http/problem.js';
import { hsdsApiInfoExample, hsdsExamples, taxonomyExample } from './examples.js';
import { organizationUuid } from './ids.js';
import {
  type HsdsContext,
  HsdsVocabulary,
  hsdsOrganization,
  hsdsOrganizationSummary,
  hsdsPageOf,
  hsdsService,
  hsdsServiceAtLocationSummary,
  hsdsServiceSummary,
  hsdsSlice,
  hsdsWindow,
} from './mapping.js';
import { HsdsApiInfoSchema, hsdsPage, hsdsSchemas } from './schemas.js';

const HsdsPaging = {
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number, from 1.' }),
  per_page: Type.Integer({
    minimum: 1,
    maximum: maxLimit,
    default: 50,
    description: `Items per page, 1–${maxLimit}.`,
    examples: [50],
  }),
};
const PagingQuery = Type.Object(HsdsPaging, { additionalProperties: false });
const IdParams = (what: string) =>
  Type.Object({
    id: Type.String({
      format: 'uuid',
      description: `The ${what} id.`,
      examples: ['86bb7b80-f0ab-4f2d-b758-0647cc3f2e14'],
    }),
  });
const NoQuery = Type.Object({}, { additionalProperties: false });

const attribution =
  ' Shapes follow the Human Services Data Specification (HSDS) 3.0, an Open Referral resource ' +
  '(https://openreferral.org/).';

export async function hsdsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const schema of hsdsSchemas) {
    app.addSchema({ ...schema, examples: hsdsExamples[(schema as unknown as { $id: string }).$id] });
  }

  const context = (request: FastifyRequest): HsdsContext => ({
    vocabulary: app.vocabulary,
    places: app.places,
    origin: originOf(request),
  });
  const vocabularyFor = (request: FastifyRequest) => new HsdsVocabulary(app.vocabulary, originOf(request));
  const hsdsApiInfo = (request: FastifyRequest) => {
    const origin = originOf(request);
    return {
      version: '3.0' as const,
      profile: `${origin}/docs/#/hsds`,
      openapi_url: `${origin}/openapi.json`,
    };
  };

  // HSDS calls its meta information `GET /` under the API's base; `/hsds/` answers it too, undocumented,
  // because a trailing slash on a documented path trips OpenAPI linters and some client generators.
  app.get('/hsds/', { schema: { hide: true, querystring: NoQuery } }, async (request) =>
    hsdsApiInfo(request),
  );
  app.get(
    '/hsds',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'getHsdsApiInfo',
        summary: 'HSDS: which version and profile this view implements',
        description: `The HSDS API meta information: version 3.0, where the profile is documented and the OpenAPI document.${attribution}`,
        querystring: NoQuery,
        response: { 200: { ...HsdsApiInfoSchema, examples: [hsdsApiInfoExample] }, ...problemResponses(400) },
      },
    },
    async (request) => hsdsApiInfo(request),
  );

  app.get(
    '/hsds/services',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'listHsdsServices',
        summary: 'HSDS: services, one-to-one fields',
        description:
          'Every resource of every status as an HSDS service with its organization, in id order. Status maps ' +
          `active → active, planned and inactive → inactive, closed → defunct.${attribution}`,
        querystring: PagingQuery,
        response: {
          200: hsdsPage(Type.Ref('HsdsServiceSummary'), 'An HSDS page of services.'),
          ...problemResponses(400),
        },
      },
    },
    async (request) => {
      const total = await app.resources.countResources();
      const ids = await app.hsds.serviceIds(hsdsWindow(request.query, total));
      const resources = (await app.resources.getResources(ids)).map(({ resource }) => resource);
      return hsdsPageOf(resources.map(hsdsServiceSummary), total, request.query);
    },
  );

  app.get(
    '/hsds/services/:id',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'getHsdsService',
        summary: 'HSDS: one service, fully nested',
        description:
          'A resource as a fully nested HSDS service: organization, service areas (one per municipality, or ' +
          'Sverige for a national one), service at locations with their locations (a confidential location ' +
          'has no address and no coordinates), phones, contacts, languages, schedules, cost options and ' +
          `attributes carrying the kind, the audiences and every cell of the matrix as taxonomy terms.${attribution}`,
        params: IdParams('service (resource)'),
        querystring: NoQuery,
        response: { 200: Type.Ref('HsdsService'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const resource = (await app.resources.getResource(request.params.id))?.resource;
      if (!resource) throw notFound(`No service has the id '${request.params.id}'.`);
      return hsdsService(resource, context(request), vocabularyFor(request));
    },
  );

  app.get(
    '/hsds/organizations',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'listHsdsOrganizations',
        summary: 'HSDS: organizations that provide services',
        description: `The organizations behind the resources, by name. Ids are derived from the name and type, so they are stable.${attribution}`,
        querystring: PagingQuery,
        response: {
          200: hsdsPage(Type.Ref('HsdsOrganizationSummary'), 'An HSDS page of organizations.'),
          ...problemResponses(400),
        },
      },
    },
    async (request) =>
      hsdsSlice((await app.hsds.organizationsWithServices()).map(hsdsOrganizationSummary), request.query),
  );

  app.get(
    '/hsds/organizations/:id',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'getHsdsOrganization',
        summary: 'HSDS: one organization with its services',
        description: `An organization with its organisationsnummer (when known) and the services it provides.${attribution}`,
        params: IdParams('organization'),
        querystring: NoQuery,
        response: { 200: Type.Ref('HsdsOrganization'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const organization = (await app.hsds.organizationsWithServices()).find(
        (row) => organizationUuid(row) === request.params.id,
      );
      if (!organization) throw notFound(`No organization has the id '${request.params.id}'.`);
      const ids = await app.hsds.serviceIdsOfOrganization(organization);
      const resources = (await app.resources.getResources(ids)).map(({ resource }) => resource);
      return hsdsOrganization(organization, resources);
    },
  );

  app.get(
    '/hsds/taxonomies',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'listHsdsTaxonomies',
        summary: 'HSDS: the taxonomies of the vocabulary',
        description:
          'Six taxonomies: the areas, roles and target groups of the matrix, the resource kinds, the audiences ' +
          `(individuals, professionals) and the 40 cells of the matrix.${attribution}`,
        querystring: PagingQuery,
        response: {
          200: hsdsPage(Type.Ref('HsdsTaxonomy'), 'An HSDS page of taxonomies.'),
          ...problemResponses(400),
        },
      },
    },
    async (request) => hsdsSlice(vocabularyFor(request).taxonomies, request.query),
  );

  app.get(
    '/hsds/taxonomies/:id',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'getHsdsTaxonomy',
        summary: 'HSDS: one taxonomy',
        description: `A taxonomy by its id.${attribution}`,
        params: IdParams('taxonomy'),
        querystring: NoQuery,
        response: { 200: Type.Ref('HsdsTaxonomy'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const taxonomy = vocabularyFor(request).taxonomies.find((t) => t.id === request.params.id);
      if (!taxonomy) throw notFound(`No taxonomy has the id '${request.params.id}'.`);
      return taxonomy;
    },
  );

  app.get(
    '/hsds/taxonomy_terms',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'listHsdsTaxonomyTerms',
        summary: 'HSDS: the terms of the vocabulary, the 40 cells included',
        description:
          'Every area, role, target group, kind and audience, and each of the 40 cells of the matrix (code ' +
          '`area/role/group`), with Swedish names and English labels in the description. `taxonomy_id` ' +
          `narrows the list to one taxonomy.${attribution}`,
        querystring: Type.Object(
          {
            ...HsdsPaging,
            taxonomy_id: Type.Optional(
              Type.String({
                format: 'uuid',
                description: 'Only the terms of this taxonomy.',
                examples: [taxonomyExample.id],
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: hsdsPage(Type.Ref('HsdsTaxonomyTerm'), 'An HSDS page of taxonomy terms.'),
          ...problemResponses(400),
        },
      },
    },
    async (request) => {
      const vocabulary = vocabularyFor(request);
      const { taxonomy_id: taxonomyId } = request.query;
      if (taxonomyId !== undefined && !vocabulary.taxonomies.some((t) => t.id === taxonomyId)) {
        throw unknownCode('taxonomy_id', taxonomyId, 'taxonomy');
      }
      const terms =
        taxonomyId === undefined
          ? vocabulary.terms
          : vocabulary.terms.filter((t) => t.taxonomy_id === taxonomyId);
      return hsdsSlice(terms, request.query);
    },
  );

  app.get(
    '/hsds/taxonomy_terms/:id',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'getHsdsTaxonomyTerm',
        summary: 'HSDS: one taxonomy term',
        description: `A taxonomy term by its id.${attribution}`,
        params: IdParams('taxonomy term'),
        querystring: NoQuery,
        response: { 200: Type.Ref('HsdsTaxonomyTerm'), ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const term = vocabularyFor(request).terms.find((t) => t.id === request.params.id);
      if (!term) throw notFound(`No taxonomy term has the id '${request.params.id}'.`);
      return term;
    },
  );

  app.get(
    '/hsds/service_at_locations',
    {
      schema: {
        tags: ['hsds'],
        operationId: 'listHsdsServiceAtLocations',
        summary: 'HSDS: where services receive people',
        description:
          'Every location of every resource with its service. A confidential location (sheltered housing) is ' +
          `listed as "Skyddad adress" with no address and no coordinates.${attribution}`,
        querystring: PagingQuery,
        response: {
          200: hsdsPage(Type.Ref('HsdsServiceAtLocationSummary'), 'An HSDS page of services at locations.'),
          ...problemResponses(400),
        },
      },
    },
    async (request) => {
      const total = await app.hsds.countLocations();
      const rows = await app.hsds.locationsPage(hsdsWindow(request.query, total));
      const resources = new Map(
        (await app.resources.getResources([...new Set(rows.map((row) => row.resourceId))])).map(
          ({ resource }) => [resource.id, resource],
        ),
      );
      const ctx = context(request);
      const contents = rows.flatMap(({ resourceId, index }) => {
        const resource = resources.get(resourceId);
        return resource ? [hsdsServiceAtLocationSummary(resource, index, ctx)] : [];
      });
      return hsdsPageOf(contents, total, request.query);
    },
  );
}
