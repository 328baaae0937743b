// The authorization matrix: every write route × every kind of caller, with the status each must get.
import t from 'tap';
import { createToken, revokeToken } from '../../src/auth/tokens.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { buildTestApp, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const tokens = {
  none: undefined,
  unknown: 'stk_not-a-token',
  revoked: await createToken(app.tokens, 'revoked-06', { kind: 'county', county: '06' }),
  otherCounty: await createToken(app.tokens, 'olle-14', { kind: 'county', county: '14' }),
  rightCounty: await createToken(app.tokens, 'anna-06', { kind: 'county', county: '06' }),
  admin: await createToken(app.tokens, 'eva-admin', { kind: 'admin' }),
} as const;
await revokeToken(app.tokens, 'revoked-06');
type Caller = keyof typeof tokens;

const expected: Record<Caller, number> = {
  none: 401,
  unknown: 401,
  revoked: 401,
  otherCounty: 403,
  rightCounty: 0, // the route's success status
  admin: 0,
};

const jonkopingEntry = (): ResourceInput =>
  resourceInput({
    serviceArea: { counties: ['06'] },
    locations: [{ visibility: 'public', municipality: '0680' }],
  });

/** A fresh resource in Jönköping for each attempt, so that one caller's success does not affect another's. */
async function freshResource(): Promise<string> {
  const entry = jonkopingEntry();
  const created = await request(app, {
    method: 'POST',
    url: '/v1/resources',
    headers: { authorization: `Bearer ${tokens.admin}` },
    payload: entry,
  });
  t.equal(created.response.statusCode, 201);
  return entry.id as string;
}

const routes: {
  name: string;
  success: number;
  attempt: (headers: Record<string, string>) => Promise<number>;
}[] = [
  {
    name: 'POST /v1/resources',
    success: 201,
    attempt: async (headers) =>
      (await app.inject({ method: 'POST', url: '/v1/resources', headers, payload: jonkopingEntry() }))
        .statusCode,
  },
  {
    name: 'PUT /v1/resources/{id}',
    success: 200,
    attempt: async (headers) => {
      const id = await freshResource();
      const payload = { ...jonkopingEntry(), id, name: 'Ändrad' };
      return (
        await app.inject({
          method: 'PUT',
          url: `/v1/resources/${id}`,
          headers: { ...headers, 'if-match': '"1"' },
          payload,
        })
      ).statusCode;
    },
  },
  {
    name: 'DELETE /v1/resources/{id}',
    success: 200,
    attempt: async (headers) => {
      const id = await freshResource();
      return (
        await app.inject({
          method: 'DELETE',
          url: `/v1/resources/${id}`,
          headers: { ...headers, 'if-match': '"1"' },
        })
      ).statusCode;
    },
  },
  {
    name: 'POST /v1/resources/{id}/verify',
    success: 200,
    attempt: async (headers) => {
      const id = await freshResource();
      return (
        await app.inject({
          method: 'POST',
          url: `/v1/resources/${id}/verify`,
          headers: { ...headers, 'if-match': '"1"' },
        })
      ).statusCode;
    },
  },
];

for (const route of routes) {
  t.test(route.name, async (t) => {
    for (const [caller, token] of Object.entries(tokens) as [Caller, string | undefined][]) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      const status = await route.attempt(headers);
      t.equal(status, expected[caller] || route.success, `${caller} → ${expected[caller] || route.success}`);
    }
  });
}

t.test('reads need no token, and a token does not change what a read shows', async (t) => {
  const id = await freshResource();
  const anonymous = await request(app, `/v1/resources/${id}`);
  const withToken = await request(app, {
    url: `/v1/resources/${id}`,
    headers: { authorization: `Bearer ${tokens.admin}` },
  });
  t.equal(anonymous.response.statusCode, 200);
  t.same(withToken.body, anonymous.body);
  t.equal(
    (await request(app, { url: '/v1/counties', headers: { authorization: 'Bearer stk_nope' } })).response
      .statusCode,
    200,
  );
});
