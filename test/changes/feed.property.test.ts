// The change feed's consistency property (fast-check): after any sequence of writes on the seeded database,
// through every write path (create, replace, verify, retire, an address withdrawn, a dataset import), a
// consumer applying the feed from the beginning to an empty store, and one that kept following it with its
// cursor, both hold exactly GET /v1/export/resources.ndjson; and no entry keeps a withdrawn address or names a
// token.

import fc from 'fast-check';
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { toInput } from '../../src/resources/changes.js';
import { parseDataset, storeDataset } from '../../src/resources/dataset.js';
import type { Resource, ResourceInput } from '../../src/resources/schemas.js';
import { buildTestApp } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { asNdjson, follow, newConsumer } from './follow.js';

const app = await buildTestApp(t);
const tokenName = 'handlaggare-feed-egenskap';
const bearer = { authorization: `Bearer ${await createToken(app.tokens, tokenName, { kind: 'admin' })}` };
const codes = ['0680', '0682', '1480', '1490', '0180'];
const cells = app.vocabulary.cells().slice(0, 8);

const location = fc.oneof(
  fc.record({
    visibility: fc.constant('public' as const),
    municipality: fc.constantFrom(...codes),
    address: fc.record({
      street: fc.constantFrom('Storgatan 1', 'Kyrkogatan 7', 'Västra vägen 23'),
      postalCode: fc.constantFrom('553 16', '411 05'),
      city: fc.constantFrom('Jönköping', 'Göteborg'),
    }),
    lat: fc.double({ min: 55.3, max: 60, noNaN: true }),
    lon: fc.double({ min: 11, max: 18.5, noNaN: true }),
  }),
  fc.record({ visibility: fc.constant('confidential' as const), municipality: fc.constantFrom(...codes) }),
);
const entry = fc.record({
  name: fc.constantFrom('Kvinnojouren', 'Stödcentrum', 'Barnahus', 'Tjejjouren Väst'),
  status: fc.constantFrom('active', 'planned', 'inactive'),
  national: fc.boolean(),
  served: fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1, maxLength: 3 }),
  cells: fc.uniqueArray(fc.constantFrom(...cells), { minLength: 1, maxLength: 3 }),
  note: fc.option(fc.constantFrom('Öppet vardagar', 'Chatt på kvällen'), { nil: undefined }),
  locations: fc.array(location, { maxLength: 2 }),
});
type Generated = typeof entry extends fc.Arbitrary<infer T> ? T : never;

const input = (g: Generated, id?: string): ResourceInput =>
  resourceInput({
    ...(id ? { id } : {}),
    name: g.name,
    status: g.status as ResourceInput['status'],
    serviceArea: g.national ? { national: true } : { municipalities: g.served },
    cells: g.cells,
    locations: g.locations,
    ...(g.note ? { note: g.note } : {}),
  });

const write = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), entry }),
  fc.record({ kind: fc.constant('replace' as const), which: fc.nat(), entry }),
  fc.record({
    kind: fc.constantFrom('verify' as const, 'retire' as const, 'withdraw' as const),
    which: fc.nat(),
  }),
  fc.record({
    kind: fc.constant('import' as const),
    entries: fc.array(fc.tuple(fc.option(fc.nat(), { nil: undefined }), entry), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
);

const ids = [...(await app.inject('/v1/export/resources.ndjson')).body.matchAll(/^\{"id":"([^"]+)"/gm)].map(
  (m) => m[1] as string,
);
const pick = (which: number) => ids[which % ids.length] as string;
const current = async (id: string) => {
  const response = await app.inject(`/v1/resources/${id}`);
  return { etag: response.headers.etag as string, resource: response.json() as Resource };
};

/** A place published by mistake, then withdrawn: the address the feed must forget. */
const shelter = {
  visibility: 'public' as const,
  municipality: '0680',
  address: { street: 'Skyddsgatan 5', postalCode: '553 20', city: 'Jönköping' },
  lat: 57.7777,
  lon: 14.1777,
};

/** The entry with its first location made confidential (or a confidential one added), the others kept. */
function withdrawn(resource: Resource): ResourceInput {
  const [first, ...rest] = resource.locations;
  const municipality = first?.municipality ?? '0680';
  return { ...toInput(resource), locations: [{ visibility: 'confidential', municipality }, ...rest] };
}

type Write = typeof write extends fc.Arbitrary<infer T> ? T : never;

const applied = new Map<string, number>();

async function apply(w: Write) {
  applied.set(w.kind, (applied.get(w.kind) ?? 0) + 1);
  if (w.kind === 'create') {
    const body = input(w.entry);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/resources',
      headers: bearer,
      payload: body,
    });
    if (response.statusCode !== 201) throw new Error(`create: ${response.statusCode} ${response.body}`);
    ids.push(body.id as string);
    return;
  }
  if (w.kind === 'import') {
    const entries = w.entries.map(([which, g]) => input(g, which === undefined ? undefined : pick(which)));
    const unique = [...new Map(entries.map((e) => [e.id, e])).values()];
    const context = {
      places: app.places,
      vocabulary: app.vocabulary,
      today: new Date().toISOString().slice(0, 10),
    };
    storeDataset(sqliteDatabase(app), parseDataset(unique, 'random', context), new Date().toISOString());
    for (const e of unique) if (!ids.includes(e.id as string)) ids.push(e.id as string);
    return;
  }
  const id = pick(w.which);
  const url = `/v1/resources/${id}`;
  if (w.kind === 'withdraw') {
    // An address is published first, so that there is always one to withdraw and for the feed to forget.
    const { etag, resource } = await current(id);
    const published = await app.inject({
      method: 'PUT',
      url,
      headers: { ...bearer, 'if-match': etag },
      payload: { ...toInput(resource), locations: [shelter, ...resource.locations] },
    });
    if (published.statusCode !== 200) throw new Error(`publish: ${published.statusCode} ${published.body}`);
  }
  const { etag, resource } = await current(id);
  const headers = { ...bearer, 'if-match': etag };
  const response =
    w.kind === 'replace'
      ? await app.inject({ method: 'PUT', url, headers, payload: input(w.entry, id) })
      : w.kind === 'verify'
        ? await app.inject({ method: 'POST', url: `${url}/verify`, headers })
        : w.kind === 'retire'
          ? await app.inject({ method: 'DELETE', url, headers })
          : await app.inject({ method: 'PUT', url, headers, payload: withdrawn(resource) });
  // Retiring a closed resource is refused (409): no write, nothing in the feed.
  if (response.statusCode !== 200 && !(w.kind === 'retire' && response.statusCode === 409))
    throw new Error(`${w.kind}: ${response.statusCode} ${response.body}`);
}

type Place = { visibility: string; address?: { street: string }; lat?: number };
const placeKey = (l: Place) => `${l.address?.street ?? ''}|${l.lat ?? ''}`;

/**
 * What the redaction promises: once a resource has a confidential location, no entry of it, however old,
 * holds an address or a position other than those its public locations show now; and no entry names a token.
 */
function redacted(consumer: ReturnType<typeof newConsumer>): boolean {
  if (JSON.stringify(consumer.seen).includes(tokenName)) return false;
  return consumer.seen.every((e) => {
    const now = consumer.resources.get(e.resourceId) as { locations: Place[] };
    if (!now.locations.some((l) => l.visibility === 'confidential')) return true;
    const shown = new Set(now.locations.filter((l) => l.visibility === 'public').map(placeKey));
    return (e.resource.locations as Place[]).every(
      (l) => (l.address === undefined && l.lat === undefined) || shown.has(placeKey(l)),
    );
  });
}

t.test('replaying the feed gives exactly the NDJSON export, after any writes', async (t) => {
  const follower = newConsumer();
  await follow(app, follower, 500);
  t.equal(
    asNdjson(follower),
    (await app.inject('/v1/export/resources.ndjson')).body,
    'on the seeded database',
  );
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 8 }), async (writes) => {
      for (const w of writes) await apply(w);
      const exported = (await app.inject('/v1/export/resources.ndjson')).body;
      await follow(app, follower, 37);
      const fromScratch = newConsumer();
      await follow(app, fromScratch, 500);
      runs += 1;
      return asNdjson(follower) === exported && asNdjson(fromScratch) === exported && redacted(fromScratch);
    }),
    { numRuns: 15, seed: 14 },
  );
  t.equal(runs, 15, 'every run checked');
  for (const kind of ['create', 'replace', 'verify', 'retire', 'withdraw', 'import'])
    t.ok((applied.get(kind) ?? 0) > 0, `${applied.get(kind)} writes of kind ${kind}`);
});
