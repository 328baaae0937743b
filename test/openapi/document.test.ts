// The OpenAPI contract: valid OpenAPI 3.1, identical to the committed openapi/openapi.json, and complete
// for every operation (ids, tags, texts, parameters, examples, every status as problem+json).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import t from 'tap';
import { parse as parseYaml } from 'yaml';
import { completeDocument } from '../../src/http/openapi.js';
import { type Body, buildTestApp } from '../helpers/app.js';
import { root } from '../helpers/process.js';

const app = await buildTestApp(t);
const served = (await app.inject('/openapi.json')).json();
const committed = JSON.parse(readFileSync(join(root, 'openapi', 'openapi.json'), 'utf8'));

type Operation = Body;
const methods = ['get', 'put', 'post', 'delete', 'patch'] as const;
const operations: [string, string, Operation][] = Object.entries(
  served.paths as Record<string, Body>,
).flatMap(([path, item]) =>
  methods.flatMap((m) => (item[m] ? [[path, m, item[m] as Operation] as [string, string, Operation]] : [])),
);

t.test('served at /openapi.json and /openapi.yaml, and the same as the committed file', async (t) => {
  t.ok(operations.length > 30, `${operations.length} operations`);
  t.same(served, committed, 'openapi/openapi.json is current: run `npm run openapi` after changing a route');
  const yaml = await app.inject('/openapi.yaml');
  t.equal(yaml.statusCode, 200);
  t.match(yaml.headers['content-type'], /^application\/yaml/);
  t.same(parseYaml(yaml.body), served);
  t.same(completeDocument(served), served, 'completing is idempotent');
  t.notMatch(JSON.stringify(served), /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?!\.000Z)/, 'no generation timestamps');
});

t.test('valid OpenAPI 3.1 (swagger-parser)', async (t) => {
  t.equal(served.openapi, '3.1.0');
  const api = await SwaggerParser.validate(structuredClone(served));
  t.equal(api.info.title, 'Stödkartan');
});

t.test('info: Swedish and English, contact, CC0; bearer tokens declared', async (t) => {
  t.match(served.info.description, /Stödkartan är en öppen katalog/);
  t.match(served.info.description, /Stödkartan is an open directory/);
  t.same(served.info.license, {
    name: 'CC0 1.0 Universal (Public Domain Dedication)',
    identifier: 'CC0-1.0',
  });
  t.equal(served.info.contact.name, 'Stödkartan');
  t.same(served.components.securitySchemes.bearerAuth, {
    type: 'http',
    scheme: 'bearer',
    description: served.components.securitySchemes.bearerAuth.description,
  });
  t.ok(served.servers.length > 0);
});

t.test('every operation: id, tags, summary, description, security, statuses as problem+json', async (t) => {
  const ids = operations.map(([, , operation]) => operation.operationId);
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique');
  const declaredTags = new Set((served.tags as Body[]).map((tag) => tag.name));
  for (const [path, method, operation] of operations) {
    const name = `${method.toUpperCase()} ${path}`;
    t.match(operation.operationId, /^[a-z][A-Za-z]+$/, `${name}: operationId`);
    t.ok(
      operation.tags?.length && operation.tags.every((tag: string) => declaredTags.has(tag)),
      `${name}: tags`,
    );
    t.ok(operation.summary, `${name}: summary`);
    t.ok((operation.description ?? '').length > 20, `${name}: description`);
    t.ok(Array.isArray(operation.security), `${name}: security stated`);
    const secured = operation.security.some((requirement: Body) => 'bearerAuth' in requirement);
    const statuses = Object.keys(operation.responses);
    const body = operation.requestBody !== undefined;
    for (const status of [
      '429',
      '503',
      ...(secured ? ['401', '403'] : []),
      ...(body ? ['413', '415'] : []),
    ]) {
      t.ok(statuses.includes(status), `${name}: answers ${status}`);
    }
    for (const status of statuses.filter((s) => s >= '400')) {
      const content = operation.responses[status].content;
      t.same(Object.keys(content ?? {}), ['application/problem+json'], `${name} ${status}: problem+json`);
      t.same(content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' });
    }
    t.ok(
      statuses.some((s) => s.startsWith('2')),
      `${name}: a success response`,
    );
  }
});

t.test('every parameter is described and has an example; defaults are not required', async (t) => {
  for (const [path, method, operation] of operations) {
    for (const parameter of (operation.parameters ?? []) as Body[]) {
      const name = `${method.toUpperCase()} ${path} ${parameter.in} ${parameter.name}`;
      t.ok(parameter.description, `${name}: description`);
      t.ok(parameter.example !== undefined || parameter.examples !== undefined, `${name}: example`);
      if (parameter.schema?.default !== undefined) t.equal(parameter.required, false, `${name}: optional`);
    }
  }
});

t.test('examples: every success answer and body has one, and every example fits its schema', async (t) => {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ $id: 'doc', components: served.components });
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  const fits = (schema: Body, example: unknown, what: string) => {
    const text = JSON.stringify(schema).replaceAll('"#/components/', '"doc#/components/');
    const validate = compiled.get(text) ?? ajv.compile(JSON.parse(text));
    compiled.set(text, validate);
    t.ok(validate(example), `${what}: the example fits`, validate.errors ? { errors: validate.errors } : {});
  };
  const schemas = served.components.schemas as Record<string, Body>;
  const exemplified = (schema: Body | undefined): boolean => {
    if (!schema) return false;
    if (Array.isArray(schema.examples)) return true;
    if (typeof schema.$ref === 'string') return exemplified(schemas[schema.$ref.split('/').pop() as string]);
    if (schema.properties?.items?.items) return exemplified(schema.properties.items.items);
    if (schema.properties?.contents?.items) return exemplified(schema.properties.contents.items);
    return false;
  };

  for (const [name, schema] of Object.entries(schemas)) {
    for (const example of schema.examples ?? [])
      fits({ $ref: `#/components/schemas/${name}` }, example, name);
  }
  for (const [path, method, operation] of operations) {
    const where = `${method.toUpperCase()} ${path}`;
    for (const parameter of (operation.parameters ?? []) as Body[]) {
      if (parameter.example !== undefined)
        fits(parameter.schema, parameter.example, `${where} ${parameter.name}`);
    }
    const body = operation.requestBody?.content?.['application/json'];
    if (body) {
      t.ok(body.example !== undefined || exemplified(body.schema), `${where}: request body example`);
      if (body.example !== undefined) fits(body.schema, body.example, `${where} body`);
    }
    for (const [status, response] of Object.entries(operation.responses as Record<string, Body>)) {
      for (const [type, media] of Object.entries((response.content ?? {}) as Record<string, Body>)) {
        if (media.example !== undefined) fits(media.schema, media.example, `${where} ${status} ${type}`);
        if (status.startsWith('2') && type.includes('json')) {
          t.ok(media.example !== undefined || exemplified(media.schema), `${where} ${status}: example`);
        }
      }
    }
  }
});

t.test(
  'Swedish REST API profile: /v1, lowercase hyphenated paths, limit + page, RFC 3339 dates',
  async (t) => {
    for (const [path] of operations) {
      if (path.startsWith('/hsds')) continue; // HSDS's own path names, e.g. taxonomy_terms
      t.match(path, /^\/(v1|health|ready)(\/([a-z0-9.-]+|\{[a-zA-Z]+\}))*$/, `${path}`);
    }
    for (const [path, , operation] of operations) {
      const names = ((operation.parameters ?? []) as Body[]).map((p) => p.name);
      if (path.startsWith('/v1') && names.includes('page'))
        t.ok(names.includes('limit'), `${path}: limit with page`);
    }
    const formats = new Set<string>();
    JSON.stringify(served, (key, value) => {
      if (key === 'format') formats.add(value);
      return value;
    });
    t.notOk(formats.has('datetime'), 'date-time, never a home-made format');
  },
);

t.test('hidden routes stay out of the document', async (t) => {
  for (const path of ['/openapi.json', '/openapi.yaml', '/docs', '/hsds/']) {
    t.notOk(served.paths[path], `${path} is not an operation`);
  }
});
