// npm run db:backup -- FILE — an online backup while the service runs: SQLite's backup API (a database file),
// or on PostgreSQL (DATABASE_URL) `pg_dump --format=custom`, the password passed in its environment.
// Restore SQLite: stop the service, copy FILE to DATABASE_PATH (removing any -wal/-shm files beside it), start.
// Restore PostgreSQL: `pg_restore --clean --if-exists -d "$DATABASE_URL" FILE` (docs/postgresql.md).
import { existsSync } from 'node:fs';
import { runCli } from './context.js';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npm run db:backup -- FILE\n');
  process.exit(2);
}
if (existsSync(file)) {
  process.stderr.write(`${file} exists; choose a new file name\n`);
  process.exit(2);
}

await runCli(async ({ store }) => {
  const started = Date.now();
  await store.backup(file);
  process.stderr.write(`backed up to ${file} in ${Date.now() - started} ms\n`);
});
