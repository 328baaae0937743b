// What the service says about itself, in one place: the OpenAPI `info` block, GET /v1/api-info (the
// Swedish REST API profile's self-description) and the DCAT dataset metadata all read it from here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { projectRoot } from '../paths.js';
import { problemResponses } from './problem.js';

/**
 * The version is package.json's, so that a release is numbered in one place; the OpenAPI document's
 * `info.version` and `apiVersion` follow it. Read from the project root, which is the same from src/ and dist/.
 */
const packageVersion = (
  JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }
).version;

export const serviceInfo = {
  name: 'Stödkartan',
  /** The version of the contract (package.json's); the major version is the `/v1` in the paths. */
  version: packageVersion,
  description: {
    sv:
      'Stödkartan är en öppen katalog över specialiserat stöd mot mäns våld mot kvinnor, våld i nära ' +
      'relationer, hedersrelaterat våld och förtryck, prostitution och människohandel samt sexualiserat våld i ' +
      'Sverige: vilka stödinsatser som finns, för vilka målgrupper, i vilka kommuner och var stöd saknas. ' +
      'Datan är öppen (CC0).',
    en:
      "Stödkartan is an open directory of Sweden's specialised support against men's violence against women, " +
      'violence in close relationships, honour-related violence and oppression, prostitution and trafficking, ' +
      'and sexual violence: which support exists, for which target groups, in which municipalities, and where ' +
      'it is missing. The data is open (CC0).',
  },
  contact: { name: 'Stödkartan', url: 'https://stodkartan.se' },
  license: {
    identifier: 'CC0-1.0',
    name: 'CC0 1.0 Universal (Public Domain Dedication)',
    url: 'http://creativecommons.org/publicdomain/zero/1.0/',
  },
} as const;

declare module 'fastify' {
  interface FastifyInstance {
    /** PUBLIC_BASE_URL: the base of every absolute link the service writes (config.ts). */
    publicBaseUrl: string;
  }
}

/**
 * The base of absolute links in responses: PUBLIC_BASE_URL. Never the request's Host header, which any
 * client sets (a forged Host would otherwise be copied into cached documents).
 */
export const originOf = (request: FastifyRequest) => request.server.publicBaseUrl;

export const ApiInfoSchema = Type.Object(
  {
    apiName: Type.String({ description: 'The name of the API.' }),
    apiVersion: Type.String({ description: 'The version of the contract (semantic versioning).' }),
    apiStatus: Type.Literal('active', { description: 'The life-cycle status of this version.' }),
    apiDocumentation: Type.String({ format: 'uri', description: 'Interactive documentation.' }),
    description: Type.Object(
      { sv: Type.String(), en: Type.String() },
      { description: 'What the service is, in Swedish and English.' },
    ),
    contact: Type.Object({ name: Type.String(), url: Type.String({ format: 'uri' }) }),
    license: Type.Object(
      {
        identifier: Type.String({ description: 'SPDX identifier.' }),
        name: Type.String(),
        url: Type.String({ format: 'uri' }),
      },
      { description: 'The licence of the data: CC0, no rights reserved.' },
    ),
    links: Type.Object(
      {
        documentation: Type.String({ format: 'uri', description: 'Interactive documentation (Swagger UI).' }),
        openapiJson: Type.String({ format: 'uri', description: 'The OpenAPI 3.1 document as JSON.' }),
        openapiYaml: Type.String({ format: 'uri', description: 'The OpenAPI 3.1 document as YAML.' }),
        dataset: Type.String({ format: 'uri', description: 'DCAT-AP-SE metadata of the open dataset.' }),
        hsds: Type.String({ format: 'uri', description: 'The Open Referral HSDS 3.0 view of the data.' }),
      },
      { description: 'Absolute links, built from the host the request was made to.' },
    ),
  },
  {
    $id: 'ApiInfo',
    description: "The service's self-description, as the Swedish REST API profile (dataportal.se) asks for.",
  },
);

/** The self-description, with links on `origin`. */
export function apiInfo(origin: string) {
  return {
    apiName: serviceInfo.name,
    apiVersion: serviceInfo.version,
    apiStatus: 'active' as const,
    apiDocumentation: `${origin}/docs`,
    description: serviceInfo.description,
    contact: serviceInfo.contact,
    license: serviceInfo.license,
    links: {
      documentation: `${origin}/docs`,
      openapiJson: `${origin}/openapi.json`,
      openapiYaml: `${origin}/openapi.yaml`,
      dataset: `${origin}/v1/dataset`,
      hsds: `${origin}/hsds`,
    },
  };
}

export async function apiInfoRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.addSchema({ ...ApiInfoSchema, examples: [apiInfo('https://stodkartan.se')] });

  app.get(
    '/v1/api-info',
    {
      schema: {
        tags: ['service'],
        operationId: 'getApiInfo',
        summary: 'What this API is: name, version, licence and documentation',
        description:
          'The self-description the Swedish REST API profile (dataportal.se) recommends: name, version, status, ' +
          'a description in Swedish and English, contact, the licence of the data (CC0) and links to the ' +
          'documentation (/docs) and the OpenAPI document (/openapi.json, /openapi.yaml).',
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: Type.Ref('ApiInfo'), ...problemResponses(400) },
      },
    },
    async (request) => apiInfo(originOf(request)),
  );
}
