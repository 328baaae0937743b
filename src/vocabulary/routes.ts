import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { problemResponses } from '../http/problem.js';
import type { Term } from './vocabulary.js';

const TermSchema = Type.Object(
  { code: Type.String(), label: Type.Object({ sv: Type.String(), en: Type.String() }) },
  { $id: 'Term', description: 'A code with its Swedish and English labels.' },
);

const termView = (t: Term) => ({ code: t.code, label: { sv: t.labelSv, en: t.labelEn } });

export async function vocabularyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema(TermSchema);
  const Terms = Type.Array(Type.Ref('Term'));

  app.get(
    '/v1/vocabulary',
    {
      schema: {
        tags: ['vocabulary'],
        operationId: 'getVocabulary',
        summary: 'The matrix axes and the resource kinds',
        description:
          'Areas (våldsområden), roles (utsatt / utövare), target groups and resource kinds, each with Swedish ' +
          'and English labels. A matrix cell is one area × one role × one group: 4 × 2 × 5 = 40 cells.',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: {
          200: Type.Object({ areas: Terms, roles: Terms, groups: Terms, kinds: Terms }),
          ...problemResponses(400),
        },
      },
    },
    async () => {
      const { areas, roles, groups, kinds } = app.vocabulary.terms;
      return {
        areas: areas.map(termView),
        roles: roles.map(termView),
        groups: groups.map(termView),
        kinds: kinds.map(termView),
      };
    },
  );
}
