// The second part of `npm test`: the API tests again, each app on a fresh PostgreSQL database of its own
// (STODKARTAN_TEST_ENGINE=postgresql, test/helpers/app.ts), when TEST_DATABASE_URL names a server
// (scripts/postgres-test-cluster.sh starts a throwaway one). Without it, says so and passes: the suite has run
// on SQLite, and the store's own PostgreSQL tests were skipped with the same reason.
//
// The API tests are the test files that build the app; a file that reads the SQLite file itself says so on a
// line of its own, `// Engines: SQLite only, because …`, and is left out here, as is a file that chooses
// PostgreSQL itself (`// Engines: PostgreSQL only, …`: it ran on PostgreSQL in the first part already).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');

if (!process.env.TEST_DATABASE_URL) {
  process.stdout.write('PostgreSQL: skipped (TEST_DATABASE_URL not set); the suite ran on SQLite alone\n');
  process.exit(0);
}

const files = readdirSync(join(root, 'test'), { recursive: true })
  .map((name) => join(root, 'test', String(name)))
  .filter((path) => path.endsWith('.test.ts'))
  .filter((path) => {
    const text = readFileSync(path, 'utf8');
    return /\bbuild(Test)?App\(/.test(text) && !/^\/\/ Engines: (SQLite|PostgreSQL) only\b/m.test(text);
  })
  .map((path) => relative(root, path))
  .sort();

process.stdout.write(`PostgreSQL: the API tests again on PostgreSQL (${files.length} files)\n`);
const run = spawnSync('npx', ['tap', '--disable-coverage', ...files], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, STODKARTAN_TEST_ENGINE: 'postgresql' },
});
process.exit(run.status ?? 1);
