// Validates responses of the /hsds view against the official HSDS 3.0 JSON Schemas in test/fixtures/hsds
// (Ajv in JSON Schema 2020-12 mode; the entity schemas refer to each other by file name).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Test } from 'tap';
import { root } from '../helpers/process.js';

const fixtures = join(root, 'test', 'fixtures', 'hsds');
const read = (path: string) =>
  JSON.parse(readFileSync(join(fixtures, path), 'utf8')) as Record<string, unknown>;

function hsdsAjv() {
  // The HSDS schemas carry documentation keywords (`example`, `core`, `constraints`…) Ajv does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const file of readdirSync(join(fixtures, 'schema')).filter((f) => f.endsWith('.json'))) {
    ajv.addSchema(read(join('schema', file)), file);
  }
  return ajv;
}

export function hsdsValidators() {
  const ajv = hsdsAjv();
  const entity = (file: string) => ajv.getSchema(file) as ValidateFunction;
  const openapi = read('openapi.json') as {
    paths: Record<
      string,
      { get: { responses: Record<string, { content: Record<string, { schema: object }> }> } }
    >;
    components: { schemas: { Page: object } };
  };
  const meta = openapi.paths['/']?.get.responses['200']?.content['application/json']?.schema ?? {};
  return {
    service: entity('service.json'),
    organization: entity('organization.json'),
    taxonomy: entity('taxonomy.json'),
    taxonomyTerm: entity('taxonomy_term.json'),
    serviceAtLocation: entity('service_at_location.json'),
    serviceList: ajv.compile(read('schema/compiled/service_list.json')),
    organizationList: ajv.compile(read('schema/compiled/organization_list.json')),
    serviceAtLocationList: ajv.compile(read('schema/compiled/service_at_location_list.json')),
    page: ajv.compile({ ...openapi.components.schemas.Page, required: pageFields }),
    apiInfo: ajv.compile({ ...meta, required: ['version', 'profile', 'openapi_url'] }),
  };
}

const pageFields = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty'];

/** Asserts that `value` is valid, naming the first errors when it is not. */
export function assertValid(t: Test, validate: ValidateFunction, value: unknown, what: string): void {
  const valid = validate(value);
  t.ok(valid, `${what} is valid HSDS`, valid ? {} : { errors: validate.errors?.slice(0, 5) });
}
