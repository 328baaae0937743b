// GET /v1/changes: the change feed for open-data consumers, who follow it instead of downloading the whole
// export again to learn what changed.

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { sqliteDatabase } from '../db/plugin.js';
import { isNotModified } from '../exports/conditional.js';
import { problemResponses } from '../http/problem.js';
import { cursorOf, feedEtag, feedHead, feedPageJson, positionOf, readFeed } from './feed.js';

export const maxFeedLimit = 500;

const Cursor = Type.String({
  pattern: '^[A-Za-z0-9_-]{1,32}$',
  description: 'An opaque position in the feed. Compare cursors for equality only.',
});

const FeedEntrySchema = Type.Object(
  {
    cursor: {
      ...Cursor,
      description: 'The position after this change: `after=` it gives the changes that follow.',
    },
    at: Type.String({ format: 'date-time', description: 'When the change was made (UTC).' }),
    resourceId: Type.String({ format: 'uuid' }),
    action: Type.Enum(['create', 'update', 'verify', 'retire'], {
      description:
        '`create`, `update` (through the API or a dataset import), `verify` (checked, lastVerified set) or ' +
        '`retire` (status closed: a tombstone; the resource stays in the exports with that status).',
    }),
    resource: Type.Ref('Resource', {
      description:
        'The resource as GET /v1/resources/{id} showed it after the change, with the same redaction as its ' +
        'history: no token names, and no address or coordinates of a location that was later made confidential. ' +
        'Fields the API gained later are missing from entries recorded before.',
    }),
  },
  { $id: 'ChangeFeedEntry' },
);

const FeedPageSchema = Type.Object(
  {
    items: Type.Array(Type.Ref('ChangeFeedEntry'), {
      description: 'The changes after `after`, oldest first.',
    }),
    next: {
      ...Cursor,
      description: 'Where to continue: the last item’s cursor, or `after` when there is none.',
    },
    hasMore: Type.Boolean({ description: 'Whether more changes follow at once; if not, poll `next` later.' }),
  },
  { $id: 'ChangeFeedPage' },
);

export const changesCursorHeader = {
  'changes-cursor': {
    type: 'string',
    description:
      'The change feed position this answer corresponds to: follow GET /v1/changes?after= from it to learn ' +
      'what changed since.',
  },
};

export async function changeRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(FeedEntrySchema);
  app.addSchema(FeedPageSchema);

  app.get(
    '/v1/changes',
    {
      schema: {
        tags: ['open-data'],
        operationId: 'listChanges',
        summary: 'The change feed: every change to a resource, oldest first',
        description:
          'Every create, update, verification and retirement, whatever path made it (the API, a dataset import, ' +
          'the curated seed), oldest first, each with an opaque cursor. Start without `after` (or from the ' +
          '`Changes-Cursor` header of an export or of /v1/dataset), then follow `next` (also in `Link: rel="next"`). ' +
          'Applying the entries in order to an empty store, each entry replacing the resource with its id, gives ' +
          'exactly GET /v1/export/resources.ndjson. A cursor never skips a change committed later. Nothing new ' +
          'costs little: an empty page, or 304 for a page whose ETag the client sends in If-None-Match.',
        querystring: Type.Object(
          {
            after: Type.Optional({
              ...Cursor,
              description: 'Return the changes after this cursor; the beginning if left out.',
            }),
            limit: Type.Integer({
              minimum: 1,
              maximum: maxFeedLimit,
              default: 100,
              description: `Changes per page, 1–${maxFeedLimit}.`,
            }),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({
          'if-none-match': Type.Optional(
            Type.String({
              description: 'The ETag of the page the client holds; the answer is 304 while it is current.',
              examples: ['"Q2hhbmdlcyBmZWVkIGV4YW1wbGUx"'],
            }),
          ),
        }),
        response: {
          200: {
            description: 'A page of changes.',
            headers: {
              etag: { type: 'string', description: 'The version of this page; send it in If-None-Match.' },
              link: { type: 'string', description: 'RFC 8288: `rel="next"`, where to continue.' },
            },
            content: { 'application/json': { schema: Type.Ref('ChangeFeedPage') } },
          },
          304: { description: 'The page the client holds is current: nothing new.', type: 'null' },
          ...problemResponses(400),
        },
      },
    },
    async (request, reply) => {
      const { after, limit } = request.query;
      const { sqlite } = sqliteDatabase(app);
      const head = feedHead(sqlite);
      const position = after === undefined ? 0 : positionOf(after, head);
      const etag = feedEtag(position, limit, head);
      reply.header('etag', etag).header('cache-control', 'no-cache');
      if (isNotModified(request.headers, { etag, lastModified: null })) return reply.code(304).send(null);
      const { entries, more } = readFeed(sqlite, position, limit);
      const next = entries.at(-1)?.cursor ?? cursorOf(position);
      reply.header('link', `</v1/changes?after=${next}&limit=${limit}>; rel="next"`);
      // Sent as JSON text: the resources as they were stored, not reshaped by today's response schema.
      return reply.type('application/json; charset=utf-8').send(feedPageJson({ entries, next, more }));
    },
  );
}
