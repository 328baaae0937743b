// The OpenAPI 3.1 document, generated from the route schemas and served at /openapi.json and /openapi.yaml.
// `completeDocument` adds, in one place, what every operation needs whoever wrote the route: the statuses
// any route can answer (429 from the rate limiter, 503 under overload, 401/403 where a token is required,
// 413/415 where a body is read), `security` on every operation, examples, and a stable key order so that
// the committed copy diffs cleanly.
import type { SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { serviceInfo } from './api-info.js';
import {
  componentExamples,
  exampleForSchema,
  operationExamples,
  parameterExamples,
  pathParameterExamples,
  problemExample,
} from './openapi-examples.js';
import { problemResponses } from './problem.js';

type Json = Record<string, unknown>;

const tags = [
  { name: 'resources', description: 'Support resources (stödinsatser): list, search, nearby, one by id.' },
  { name: 'places', description: 'Counties (län), subregions (delregioner) and municipalities (kommuner).' },
  {
    name: 'vocabulary',
    description: 'The matrix axes (areas, roles, target groups) and the resource kinds.',
  },
  {
    name: 'coverage',
    description:
      'Where support is missing: the 40 cells of the matrix per county, subregion or municipality.',
  },
  { name: 'staff', description: 'Changes by county staff, with a bearer token (`npm run token -- create`).' },
  {
    name: 'open-data',
    description: 'The whole dataset as files (CSV, GeoJSON, NDJSON) and its DCAT-AP-SE description. CC0.',
  },
  {
    name: 'hsds',
    description:
      'The data as Open Referral HSDS 3.0 (Human Services Data Specification, https://openreferral.org/), for ' +
      'tools that read that standard. Paths and field names are HSDS’s own.',
  },
  { name: 'service', description: 'Health and self-description of the service.' },
];

export const openapiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: serviceInfo.name,
      version: serviceInfo.version,
      summary:
        'Specialised support against violence in Sweden: who it serves, where, and where it is missing.',
      description:
        `${serviceInfo.description.sv}\n\n${serviceInfo.description.en}\n\n` +
        'Conventions (Swedish REST API profile, dataportal.se): versioned paths (`/v1`), lowercase hyphenated ' +
        'names, RFC 3339 dates in UTC, errors as RFC 9457 `application/problem+json` with a stable `code`, ' +
        'lists paged with `limit` and a 1-based `page` and RFC 8288 `Link` headers, unknown query parameters ' +
        'refused. Reads are open to any origin (CORS); changes need a bearer token.',
      contact: serviceInfo.contact,
      license: { name: serviceInfo.license.name, identifier: serviceInfo.license.identifier },
    },
    servers: [{ url: '/', description: 'The service that serves this document.' }],
    tags,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A staff token from `npm run token -- create --name NAME --scope county:CODE` (or `admin`); only ' +
            'its SHA-256 is stored. A county token may change resources lying wholly in its county.',
        },
      },
    },
  },
  // Named components instead of def-0: every shared schema has an $id.
  refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  transformObject: (documentObject) =>
    'openapiObject' in documentObject
      ? completeDocument(documentObject.openapiObject)
      : documentObject.swaggerObject,
};

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const problemRef = { $ref: '#/components/schemas/Problem' };
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function problemResponse(status: number): Json {
  const { description } = problemResponses(status)[status] as { description: string };
  return { description, content: { 'application/problem+json': { schema: problemRef } } };
}

/** The path with its parameters filled from their examples, for the `instance` of problem examples. */
const examplePath = (path: string, parameters: Json[]) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const parameter = parameters.find((p) => p.in === 'path' && p.name === name);
    return parameter?.example === undefined ? `{${name}}` : String(parameter.example);
  });

function parameterExample(path: string, parameter: Json): unknown {
  const name = String(parameter.name);
  const schema = isObject(parameter.schema) ? parameter.schema : {};
  const isArray = schema.type === 'array';
  const itemSchema = isArray && isObject(schema.items) ? schema.items : schema;
  const example =
    pathParameterExamples[path]?.[name] ?? parameterExamples[name] ?? exampleForSchema(itemSchema);
  if (example === undefined) return undefined;
  return isArray && !Array.isArray(example) ? [example] : example;
}

function hasExample(media: Json): boolean {
  if (media.example !== undefined || media.examples !== undefined) return true;
  return isObject(media.schema) && Array.isArray(media.schema.examples);
}

function completeOperation(path: string, operation: Json): void {
  operation.security ??= [];
  const secured = (operation.security as Json[]).some((requirement) => 'bearerAuth' in requirement);
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  // A body can be too large (BODY_LIMIT) or of a type the route does not read, whatever the route says.
  const withBody = operation.requestBody !== undefined;
  const added = [...(secured ? [401, 403] : []), ...(withBody ? [413, 415] : []), 429, 503];
  for (const status of added) responses[status] ??= problemResponse(status);
  operation.responses = Object.fromEntries(
    Object.entries(responses).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

  for (const parameter of (operation.parameters ?? []) as Json[]) {
    // A parameter with a default is optional whatever the route's schema says: the server fills it in,
    // and a generated client must not force callers to send it.
    if (isObject(parameter.schema) && parameter.schema.default !== undefined) parameter.required = false;
    if (parameter.example !== undefined || parameter.examples !== undefined) continue;
    const example = parameterExample(path, parameter);
    if (example !== undefined) parameter.example = example;
  }

  const examples = operationExamples[String(operation.operationId)];
  const body = operation.requestBody as Json | undefined;
  const bodyMedia = (body?.content as Record<string, Json> | undefined)?.['application/json'];
  const bodySchema = bodyMedia?.schema;
  if (isObject(bodySchema) && isObject(bodySchema.properties) && Array.isArray(bodySchema.required)) {
    const properties = bodySchema.properties;
    bodySchema.required = bodySchema.required.filter(
      (name) => !(isObject(properties[name]) && properties[name].default !== undefined),
    );
  }
  if (examples?.requestBody !== undefined && bodyMedia && !hasExample(bodyMedia)) {
    bodyMedia.example = examples.requestBody;
  }
  for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
    const content = (response.content ?? {}) as Record<string, Json>;
    const problem = content['application/problem+json'];
    if (problem && !hasExample(problem)) {
      problem.example = problemExample(
        Number(status),
        examplePath(path, (operation.parameters ?? []) as Json[]),
      );
    }
    const json = content['application/json'];
    const example = examples?.responses?.[status];
    if (json && example !== undefined && !hasExample(json)) json.example = example;
  }
}

const byKey = (object: Json) =>
  Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * The generated document, completed and in a canonical order: top-level keys as the specification lists
 * them, paths and components by name, methods in the usual order. The input is not modified.
 */
export function completeDocument(generated: unknown): Json {
  const document = JSON.parse(JSON.stringify(generated)) as Json;
  const paths = (document.paths ?? {}) as Record<string, Json>;
  const sortedPaths: Record<string, Json> = {};
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path] as Json;
    const ordered: Json = {};
    for (const method of methods) {
      if (!isObject(item[method])) continue;
      completeOperation(path, item[method]);
      ordered[method] = item[method];
    }
    for (const [key, value] of Object.entries(item)) if (!(key in ordered)) ordered[key] = value;
    sortedPaths[path] = ordered;
  }

  const components = (document.components ?? {}) as Record<string, Json>;
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  for (const [name, examples] of Object.entries(componentExamples)) {
    const schema = schemas[name];
    if (schema && schema.examples === undefined) schema.examples = examples;
  }
  const sortedComponents = byKey(
    Object.fromEntries(Object.entries(components).map(([kind, map]) => [kind, byKey(map)])),
  );

  // Tags used by an operation but not declared above are still listed, so the document stays consistent.
  const declared = ((document.tags ?? []) as Json[]).map((tag) => String(tag.name));
  const used = new Set(
    Object.values(sortedPaths).flatMap((item) =>
      Object.values(item).flatMap((operation) =>
        isObject(operation) && Array.isArray(operation.tags) ? (operation.tags as string[]) : [],
      ),
    ),
  );
  const extraTags = [...used].filter((name) => !declared.includes(name)).sort();

  const order = ['openapi', 'info', 'jsonSchemaDialect', 'servers', 'security', 'tags', 'paths', 'webhooks'];
  const canonical: Json = {};
  for (const key of order) if (document[key] !== undefined) canonical[key] = document[key];
  canonical.tags = [...((document.tags ?? []) as Json[]), ...extraTags.map((name) => ({ name }))];
  canonical.paths = sortedPaths;
  canonical.components = sortedComponents;
  for (const [key, value] of Object.entries(document)) if (!(key in canonical)) canonical[key] = value;
  return canonical;
}

/** The document as committed in openapi/openapi.json: pretty-printed, with a final newline. */
export const serializeDocument = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;

export async function openapiRoutes(app: FastifyInstance) {
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/openapi.yaml', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('application/yaml; charset=utf-8').send(app.swagger({ yaml: true })),
  );
}
