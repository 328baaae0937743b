// Hostile input against every operation of the OpenAPI document: generated values of every wrong kind.
// Every answer is < 500, every 4xx is problem+json, and a rejected write changes nothing.

import fc from 'fast-check';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { buildTestApp, queryRows } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t, { RATE_LIMIT_READS: '1000000', RATE_LIMIT_WRITES: '1000000' });
const admin = await createToken(app.tokens, 'fuzz-admin', { kind: 'admin' });
const county = await createToken(app.tokens, 'fuzz-06', { kind: 'county', county: '06' });
const existingId =
  (await queryRows<{ id: string }>(app, 'SELECT id FROM resources ORDER BY id LIMIT 1'))[0]?.id ?? '';

const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'NaN',
    'Infinity',
    '-Infinity',
    '-1',
    '0',
    '1e400',
    '-0',
    '9'.repeat(400),
    'true',
    'null',
    '[]',
    '{}',
    "' OR 1=1 --",
    '"; DROP TABLE resources; --',
    '"',
    '*',
    'NEAR(a b)',
    'a OR b',
    '(',
    '../../../etc/passwd',
    '..%2F..%2Fetc%2Fpasswd',
    '%00',
    '\u0000',
    '\u0007\u001b[2J',
    '\u202eevil',
    '😀',
    'ÅÄÖ åäö',
    '<script>alert(1)</script>',
    'a'.repeat(10_000),
    existingId,
    '14',
    '1480',
    'skaraborg',
    'close-relationship',
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Any JSON value, biased toward the shapes a resource has, with wrong types everywhere. */
const jsonish = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    {
      lat: fc.oneof(fc.double(), nasty),
      lon: fc.oneof(fc.double(), nasty),
      radiusKm: fc.oneof(fc.double(), nasty),
    },
    { requiredKeys: [] },
  ),
  fc.constant(resourceInput()).chain((base) =>
    fc
      .record({
        field: fc.constantFrom(...Object.keys(base)),
        value: fc.oneof(nasty, fc.jsonValue({ maxDepth: 2 }), fc.array(nasty, { maxLength: 3 })),
      })
      .map(({ field, value }) => ({ ...base, [field]: value })),
  ),
);

interface Operation {
  method: string;
  path: string;
  parameters: { name: string; in: string }[];
  hasBody: boolean;
}

type OpenApiDocument = {
  paths: Record<
    string,
    Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>
  >;
};
const document = app.swagger() as unknown as OpenApiDocument;
const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    method: method.toUpperCase(),
    path,
    parameters: operation.parameters ?? [],
    hasBody: operation.requestBody !== undefined,
  })),
);

/** What a rejected write must leave as it was (numbers as text: PostgreSQL's counts are bigint). */
async function fingerprint() {
  const [row] = await queryRows(
    app,
    `SELECT (SELECT count(*) FROM resources) AS resources, (SELECT coalesce(sum(version), 0) FROM resources) AS versions,
            (SELECT count(*) FROM resource_history) AS history, (SELECT count(*) FROM resource_locations) AS locations`,
  );
  return Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, String(value)]));
}

t.ok(operations.length >= 15, `${operations.length} operations to try`);

for (const operation of operations) {
  t.test(`${operation.method} ${operation.path}`, async (t) => {
    const input = fc.record({
      pathValues: fc.array(nasty, { minLength: 4, maxLength: 4 }),
      query: fc.array(
        fc.tuple(
          fc.oneof(
            fc.constantFrom(
              ...operation.parameters.filter((p) => p.in === 'query').map((p) => p.name),
              'extra',
              'LAT',
              'page',
            ),
            fc.string({ maxLength: 8 }),
          ),
          nasty,
        ),
        { maxLength: 6 },
      ),
      body: fc.oneof(
        jsonish.map((value) => ({ kind: 'json' as const, value })),
        nasty.map((value) => ({ kind: 'raw' as const, value })),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/json; charset=latin1',
      ),
      token: fc.constantFrom(admin, county, 'stk_wrong', ''),
      ifMatch: fc.constantFrom(undefined, '*', '"1"', 'W/"1"', '"999"', ''),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(input, async ({ pathValues, query, body, contentType, token, ifMatch }) => {
        let i = 0;
        const path = operation.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(pathValues[i++] ?? ''));
        const search = new URLSearchParams(query).toString();
        const headers: Record<string, string> = {};
        if (token) headers.authorization = `Bearer ${token}`;
        if (ifMatch !== undefined) headers['if-match'] = ifMatch;
        const withBody = operation.hasBody || operation.method !== 'GET';
        if (withBody) headers['content-type'] = contentType;
        const before = await fingerprint();
        const response = await app.inject({
          method: operation.method as 'GET',
          url: search ? `${path}?${search}` : path,
          headers,
          ...(withBody ? { payload: body.kind === 'json' ? JSON.stringify(body.value) : body.value } : {}),
        });
        runs += 1;
        if (response.statusCode >= 500) {
          throw new Error(
            `${operation.method} ${path}?${search} answered ${response.statusCode}: ${response.body.slice(0, 300)}`,
          );
        }
        if (response.statusCode >= 400) {
          if (!/^application\/problem\+json/.test(String(response.headers['content-type']))) {
            throw new Error(
              `${response.statusCode} without problem+json: ${response.headers['content-type']}`,
            );
          }
          const after = await fingerprint();
          if (JSON.stringify(after) !== JSON.stringify(before))
            throw new Error(`a rejected ${operation.method} changed the database`);
        }
      }),
      { numRuns: operation.method === 'GET' ? 30 : 40, seed: 9571 },
    );
    t.ok(runs > 0, `${runs} hostile requests`);
  });
}

t.test('malformed and oversized bodies, wrong content types, duplicated parameters', async (t) => {
  const cases = [
    {
      method: 'POST',
      url: '/v1/resources/search',
      headers: { 'content-type': 'application/json' },
      payload: '{"lat": 57,',
    },
    {
      method: 'POST',
      url: '/v1/resources/search',
      headers: { 'content-type': 'application/json' },
      payload: '{"lat": 1e400, "lon": 12}',
    },
    {
      method: 'POST',
      url: '/v1/resources/search',
      headers: { 'content-type': 'text/plain' },
      payload: 'lat=57&lon=12',
    },
    {
      method: 'POST',
      url: '/v1/resources/search',
      headers: { 'content-type': 'application/json' },
      payload: '[1,2,3]',
    },
    {
      method: 'POST',
      url: '/v1/resources/search',
      headers: { 'content-type': 'application/json' },
      payload: 'null',
    },
    {
      method: 'POST',
      url: '/v1/resources',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      payload: '{"__proto__": {"admin": true}}',
    },
    {
      method: 'POST',
      url: '/v1/resources',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      payload: JSON.stringify({ ...resourceInput(), constructor: { prototype: { x: 1 } } }),
    },
    { method: 'GET', url: '/v1/resources?county=06&county=14' },
    { method: 'GET', url: '/v1/resources/nearby?lat=57&lat=58&lon=12' },
    { method: 'GET', url: '/v1/resources?limit=10&limit=20' },
    { method: 'GET', url: '/v1/municipalities/..%2F..%2Fetc%2Fpasswd' },
    { method: 'GET', url: '/v1/resources/%00' },
    {
      method: 'PUT',
      url: `/v1/resources/${existingId}`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}`, 'if-match': '*' },
      payload: '{',
    },
  ] as const;
  for (const options of cases) {
    const before = await fingerprint();
    const response = await app.inject(options as never);
    t.ok(
      response.statusCode >= 400 && response.statusCode < 500,
      `${options.method} ${options.url} answers ${response.statusCode}`,
    );
    t.match(response.headers['content-type'], /^application\/problem\+json/);
    t.same(await fingerprint(), before, 'nothing changed');
  }
  t.equal(({} as Record<string, unknown>).admin, undefined, 'no prototype was polluted');
});
