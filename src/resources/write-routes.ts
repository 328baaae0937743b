// Staff writes: create, replace, retire, verify; the stale-entry worklist; the public history.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { sqliteDatabase } from '../db/plugin.js';
import { PagingQuery, pageSchema, setPageLinks } from '../http/pagination.js';
import { notFound, problemResponses } from '../http/problem.js';
import {
  type ChangeContext,
  createResource,
  etagOf,
  replaceResource,
  retireResource,
  type Versioned,
  verifyResource,
} from './changes.js';
import { criteriaFrom } from './criteria.js';
import { listHistory } from './history.js';
import { CountyCode, ResourceId, type ResourceInput } from './schemas.js';
import { searchResources } from './search.js';

const security = [{ bearerAuth: [] }];
const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'The ETag from GET /v1/resources/{id}; required.' })),
});
const writeProblems = (...extra: number[]) => problemResponses(400, 401, 403, 404, ...extra);

const HistoryEntrySchema = Type.Object(
  {
    at: Type.String({ format: 'date-time' }),
    action: Type.Enum(['create', 'update', 'retire', 'verify']),
    token: Type.Optional(
      Type.String({ description: 'The name of the token that made the change; admins only.' }),
    ),
    changes: Type.Array(
      Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() }),
      { description: 'The top-level fields that changed, with their values before and after.' },
    ),
  },
  { $id: 'HistoryEntry' },
);

export async function resourceWriteRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(HistoryEntrySchema);

  const context = (request: FastifyRequest): ChangeContext => ({
    resources: app.resources,
    places: app.places,
    vocabulary: app.vocabulary,
    holder: request.tokenHolder as NonNullable<FastifyRequest['tokenHolder']>,
    now: new Date(),
    caughtUp: (receipt) => app.readModel.caughtUp(receipt),
  });
  const withEtag = (reply: { header: (k: string, v: string) => unknown }, result: Versioned) => {
    reply.header('etag', etagOf(result.version));
    return result.resource;
  };

  app.post(
    '/v1/resources',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['staff'],
        operationId: 'createResource',
        summary: 'Add a resource',
        description:
          'Adds a support resource. A county token may add resources whose whole service area and every location ' +
          'lie in its county; national ones and areas spanning counties need an admin token. Every problem with ' +
          'the entry is listed in one 400. Answers 201 with Location and ETag.',
        security,
        body: Type.Ref('ResourceInput'),
        response: { 201: Type.Ref('Resource'), ...writeProblems(409) },
      },
    },
    async (request, reply) => {
      const result = await createResource(context(request), request.body as ResourceInput);
      reply.code(201).header('location', `/v1/resources/${result.resource.id}`);
      return withEtag(reply, result);
    },
  );

  app.put(
    '/v1/resources/:id',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['staff'],
        operationId: 'replaceResource',
        summary: 'Replace a resource',
        description:
          'Replaces the whole entry. Requires If-Match with the current ETag (428 without it, 412 when another ' +
          'change came first), so two people editing at once cannot overwrite each other silently.',
        security,
        params: Type.Object({ id: ResourceId }),
        headers: IfMatchHeaders,
        body: Type.Ref('ResourceInput'),
        response: { 200: Type.Ref('Resource'), ...writeProblems(412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await replaceResource(
          context(request),
          request.params.id,
          request.headers['if-match'],
          request.body as ResourceInput,
        ),
      ),
  );

  app.delete(
    '/v1/resources/:id',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['staff'],
        operationId: 'retireResource',
        summary: 'Retire a resource',
        description:
          'Sets the status to closed from today. Nothing is removed: the entry and its history stay. Requires If-Match.',
        security,
        params: Type.Object({ id: ResourceId }),
        headers: IfMatchHeaders,
        response: { 200: Type.Ref('Resource'), ...writeProblems(409, 412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await retireResource(context(request), request.params.id, request.headers['if-match'])),
  );

  app.post(
    '/v1/resources/:id/verify',
    {
      preValidation: app.authenticate,
      schema: {
        tags: ['staff'],
        operationId: 'verifyResource',
        summary: 'Record that the entry was checked today',
        description: 'Sets lastVerified to today. Requires If-Match.',
        security,
        params: Type.Object({ id: ResourceId }),
        headers: IfMatchHeaders,
        response: { 200: Type.Ref('Resource'), ...writeProblems(412, 428) },
      },
    },
    async (request, reply) =>
      withEtag(reply, await verifyResource(context(request), request.params.id, request.headers['if-match'])),
  );

  app.get(
    '/v1/resources/stale',
    {
      schema: {
        tags: ['staff'],
        operationId: 'listStaleResources',
        summary: 'Entries not verified for a while, or with no way to contact them',
        description:
          "The staff worklist: a county's regional resources that are not closed and were last verified more than " +
          '`olderThanDays` days ago, the oldest first. With `missing=contact`, only those with no phone, ' +
          'e-mail, website or chat — an app cannot tell a person how to reach them — whenever they were ' +
          'verified unless `olderThanDays` is given too.',
        querystring: Type.Object(
          {
            county: { ...CountyCode, description: 'The county whose entries to list.' },
            olderThanDays: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: 36_500,
                description: 'Days since lastVerified; 365 when `missing` is not given.',
              }),
            ),
            missing: Type.Optional(
              Type.Enum(['contact'], {
                description: '`contact`: only entries without phone, e-mail, website or chat.',
              }),
            ),
            ...PagingQuery,
          },
          { additionalProperties: false },
        ),
        response: {
          200: pageSchema(Type.Ref('Resource'), 'Stale entries, oldest first.'),
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { county, missing, page, limit } = request.query;
      const olderThanDays = request.query.olderThanDays ?? (missing ? undefined : 365);
      const cutoff =
        olderThanDays === undefined
          ? undefined
          : new Date(Date.now() - olderThanDays * 86_400_000).toISOString().slice(0, 10);
      const criteria = criteriaFrom(
        { county, national: false, status: ['active', 'planned', 'inactive'] },
        app,
        'query',
      );
      const result = searchResources(
        sqliteDatabase(app),
        { ...criteria, verifiedBefore: cutoff, withoutContact: missing === 'contact' },
        { page, limit },
      );
      setPageLinks(request, reply, result);
      return result;
    },
  );

  app.get(
    '/v1/resources/:id/history',
    {
      schema: {
        tags: ['resources'],
        operationId: 'getResourceHistory',
        summary: 'The history of a resource',
        description:
          'Every change: when, what action, and the fields before and after, oldest first. Public; the name of the ' +
          'token that made each change is shown to admin tokens only. Addresses of locations that became ' +
          'confidential are removed from the history.',
        params: Type.Object({ id: ResourceId }),
        querystring: Type.Object(PagingQuery, { additionalProperties: false }),
        response: {
          200: pageSchema(Type.Ref('HistoryEntry'), 'A page of history entries.'),
          ...problemResponses(400, 404),
        },
      },
    },
    async (request, reply) => {
      if ((await app.resources.getResource(request.params.id)) === undefined) {
        throw notFound(`No resource has the id '${request.params.id}'.`);
      }
      const holder = await app.optionalTokenHolder(request);
      const result = await listHistory(app.resources, request.params.id, request.query, {
        showTokenNames: holder?.scope.kind === 'admin',
      });
      setPageLinks(request, reply, result);
      return result;
    },
  );
}
