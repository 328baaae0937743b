// A write by another process (an import, a second server on the same database) reaches this process's read
// model on the next read, from the history every write path records — not only after a rebuild off the
// request path: a withdrawn address must not be served meanwhile.
// Engines: SQLite only, because it tests SQLite's read model (ReadModelStore) following another connection's
// writes to the same file; replicas on PostgreSQL: test/read-model/feed-model.test.ts.

import { join } from 'node:path';
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { createToken } from '../../src/auth/tokens.js';
import { loadConfig } from '../../src/config.js';
import { sqliteDatabase } from '../../src/db/plugin.js';
import { ReadModelStore } from '../../src/read-model/store.js';
import { postResource, withdrawAddress } from '../helpers/app.js';
import { publicShelter } from '../helpers/fixtures.js';

const path = join(t.testdir({}), 'stodkartan.db');
const config = loadConfig({ DATABASE_PATH: path, LOG_LEVEL: 'silent', MAX_EVENT_LOOP_DELAY_MS: '0' });
const here = await buildApp(config);
t.teardown(() => here.close());
// As a large dataset's store works: never rebuilt whole on the read path, the rest off it.
const model = new ReadModelStore(sqliteDatabase(here), here.places, here.vocabulary, {
  path,
  syncRebuildBelow: 0,
  foldAfterMs: 60_000,
});
t.teardown(() => model.close());
// The other process: its own connection, whose writes this process's journal never sees.
const other = await buildApp(config);
t.teardown(() => other.close());
const bearer = { authorization: `Bearer ${await createToken(other.tokens, 'other', { kind: 'admin' })}` };

t.test('a withdrawal made elsewhere is not served while the rebuild runs', async (t) => {
  const street = 'Annanstans gata 5';
  const entry = publicShelter({ street, postalCode: '503 98', lat: 57.7223456, lon: 12.9423456 });
  const created = await postResource(other, bearer, entry);
  t.equal(created.response.statusCode, 201);
  t.match(
    model.current().resources.get(entry.id as string)?.json,
    street,
    'a creation elsewhere is seen at once',
  );
  const withdrawn = await withdrawAddress(other, bearer, entry, created.response.headers.etag as string);
  t.equal(withdrawn.response.statusCode, 200);
  const json = model.current().resources.get(entry.id as string)?.json ?? '';
  t.ok(model.rebuilding, 'the rebuild has not finished');
  t.notOk(json.includes(street), 'the withdrawn street is not served meanwhile');
  t.match(json, /"visibility":"confidential"/);
});
