// The OpenAPI 3.1 document, generated from the route schemas and served at /openapi.json.
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';

export const openapiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'Stödkartan',
      version: '1.0.0',
      description:
        'Stödkartan är en öppen katalog över specialiserat stöd mot mäns våld mot kvinnor, våld i nära ' +
        'relationer, hedersrelaterat våld, prostitution och människohandel samt sexualiserat våld i Sverige: ' +
        'vilka stödinsatser som finns, för vilka målgrupper och i vilka kommuner.\n\n' +
        "Stödkartan is an open directory of Sweden's specialised support against violence: which support " +
        'exists, for which target groups, in which municipalities, and where it is missing. The data is CC0.',
      license: { name: 'CC0-1.0 (data)', url: 'https://creativecommons.org/publicdomain/zero/1.0/' },
    },
    tags: [
      { name: 'resources', description: 'Support resources (stödinsatser).' },
      {
        name: 'places',
        description: 'Counties (län), subregions (delregioner) and municipalities (kommuner).',
      },
      { name: 'vocabulary', description: 'The matrix axes and resource kinds.' },
      { name: 'service', description: 'Health and metadata of the service.' },
    ],
  },
  // Named components instead of def-0: every shared schema has an $id.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
};

export async function openapiRoutes(app: FastifyInstance) {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
