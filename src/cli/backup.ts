// npm run db:backup -- FILE — an online backup (SQLite's backup API) while the service runs.
// Restore: stop the service, copy FILE to DATABASE_PATH (removing any -wal/-shm files beside it), start.
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

await runCli(async ({ database }) => {
  const started = Date.now();
  await database.sqlite.backup(file);
  process.stderr.write(`backed up to ${file} in ${Date.now() - started} ms\n`);
});
