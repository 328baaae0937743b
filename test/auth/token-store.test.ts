// Staff tokens through the store interface, the same cases on both engines: SQLite always, PostgreSQL when
// TEST_DATABASE_URL is set (skipped with a message otherwise).
import t, { type Test } from 'tap';
import { createToken, listTokens, revokeToken, TokenError, verifyToken } from '../../src/auth/tokens.js';
import { migrateDatabase, openDatabase } from '../../src/db/client.js';
import { migratePostgres, openPostgres } from '../../src/db/postgres/client.js';
import { PostgresTokenStore } from '../../src/db/postgres/token-store.js';
import { SqliteTokenStore } from '../../src/db/sqlite/token-store.js';
import { TokenNameTaken, type TokenStore } from '../../src/db/store.js';
import { freshPostgresDatabase, skipWithoutPostgres } from '../helpers/postgres.js';

const engines: { name: string; skip: string | false; open: (t: Test) => Promise<TokenStore> }[] = [
  {
    name: 'SQLite',
    skip: false,
    open: async (t) => {
      const database = openDatabase(`${t.testdir({})}/tokens.db`);
      t.teardown(() => database.close());
      migrateDatabase(database);
      return new SqliteTokenStore(database.db);
    },
  },
  {
    name: 'PostgreSQL',
    skip: skipWithoutPostgres,
    open: async (t) => {
      const database = openPostgres(await freshPostgresDatabase(t), { max: 2 });
      t.teardown(() => database.close());
      await migratePostgres(database);
      return new PostgresTokenStore(database.db);
    },
  },
];

for (const engine of engines) {
  t.test(`tokens on ${engine.name}`, { skip: engine.skip }, async (t) => {
    const store = await engine.open(t);
    const created = new Date('2026-11-30T10:00:00.123Z');
    const anna = await createToken(store, 'anna-06', { kind: 'county', county: '06' }, created);
    const eva = await createToken(store, 'eva', { kind: 'admin' }, created);
    t.match(anna, /^stk_[A-Za-z0-9_-]{43}$/, 'a token is 256 random bits, base64url');

    t.same(await verifyToken(store, anna), { name: 'anna-06', scope: { kind: 'county', county: '06' } });
    t.same(await verifyToken(store, eva), { name: 'eva', scope: { kind: 'admin' } });
    t.equal(await verifyToken(store, `${anna}x`), undefined, 'an unknown token holds nothing');

    await t.rejects(
      createToken(store, 'anna-06', { kind: 'admin' }),
      new TokenError("a token named 'anna-06' exists already (names are never reused, even revoked)"),
    );
    await t.rejects(
      store.insertToken({ name: 'eva', scope: 'admin', tokenHash: 'other', createdAt: created }),
      TokenNameTaken,
      'the store itself refuses a taken name',
    );
    const refused = (promise: Promise<unknown>) =>
      promise.then(
        () => undefined,
        (error: unknown) => error,
      );
    t.type(
      await refused(createToken(store, 'no spaces', { kind: 'admin' })),
      TokenError,
      'names are checked',
    );

    const revoked = new Date('2026-11-30T11:00:00.456Z');
    await revokeToken(store, 'anna-06', revoked);
    t.equal(await verifyToken(store, anna), undefined, 'a revoked token holds nothing');
    await t.rejects(revokeToken(store, 'anna-06'), new TokenError("no active token is named 'anna-06'"));
    t.type(
      await refused(createToken(store, 'anna-06', { kind: 'admin' })),
      TokenError,
      'a revoked name stays taken',
    );

    t.same(await listTokens(store), [
      {
        name: 'anna-06',
        scope: 'county:06',
        createdAt: created.toISOString(),
        revokedAt: revoked.toISOString(),
      },
      { name: 'eva', scope: 'admin', createdAt: created.toISOString(), revokedAt: null },
    ]);
    t.notMatch(JSON.stringify(await listTokens(store)), anna.slice(4), 'no token in the list');
  });
}
