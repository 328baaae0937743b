// What the server says when it starts: where it listens, the database, whether the curated dataset was just
// loaded and how many resources there are, where /docs and /coverage are. Text on a terminal, JSON otherwise.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../src/config.js';
import { startupFormat, startupText } from '../src/startup.js';
import { root, startServer, typescriptLoader } from './helpers/process.js';

/** Waits until the output matches, for at most 30 s (a hang guard, not a speed check). */
async function waitFor(output: () => string, pattern: RegExp, seconds = 30): Promise<RegExpExecArray> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const match = pattern.exec(output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

const readyLine = (output: string) =>
  output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line))
    .find((entry) => entry.msg === 'Stödkartan ready');

t.test('the text form names everything on a few lines', async (t) => {
  const text = startupText({
    listening: ['http://127.0.0.1:3000'],
    database: '/srv/stodkartan/data/stodkartan.db',
    curatedDatasetLoaded: true,
    resources: 57,
    docs: 'http://127.0.0.1:3000/docs',
    coverage: 'http://127.0.0.1:3000/coverage',
  });
  t.match(text, /^Stödkartan is listening at http:\/\/127\.0\.0\.1:3000\n/);
  t.match(text, /database +\/srv\/stodkartan\/data\/stodkartan\.db/);
  t.match(text, /resources +57 \(the curated dataset, loaded just now/);
  t.match(text, /docs +http:\/\/127\.0\.0\.1:3000\/docs\n/);
  t.match(text, /coverage +http:\/\/127\.0\.0\.1:3000\/coverage\n/);
});

t.test('LOG_FORMAT: text on a terminal unless it says json; anything else is refused', async (t) => {
  t.equal(startupFormat(loadConfig({}), true), 'text');
  t.equal(startupFormat(loadConfig({}), false), 'json');
  t.equal(startupFormat(loadConfig({ LOG_FORMAT: 'json' }), true), 'json');
  t.equal(startupFormat(loadConfig({ LOG_FORMAT: 'text' }), false), 'text');
  t.throws(() => loadConfig({ LOG_FORMAT: 'pretty' }), /LOG_FORMAT must be one of auto, json, text/);
});

t.test('not on a terminal: one JSON line; on a restart, nothing loaded', async (t) => {
  const path = join(t.testdir({}), 'startup.db');
  const first = await startServer({ DATABASE_PATH: path });
  t.teardown(() => stop(first.child));
  await waitFor(first.logs, /Stödkartan ready/);
  const ready = readyLine(first.logs());
  t.same(ready.listening, [first.url]);
  t.equal(ready.database, path, 'the absolute path of the database');
  t.equal(ready.curatedDatasetLoaded, true, 'an empty database gets the curated dataset');
  const everyStatus = 'status=active&status=planned&status=inactive&status=closed';
  const { totalItems } = (await (await fetch(`${first.url}/v1/resources?${everyStatus}&limit=1`)).json()) as {
    totalItems: number;
  };
  t.equal(ready.resources, totalItems, `${ready.resources} resources, of every status`);
  t.equal(ready.docs, `${first.url}/docs`);
  t.equal(ready.coverage, `${first.url}/coverage`);
  t.equal((await fetch(ready.docs)).status, 200, 'the docs address answers');
  t.equal((await fetch(ready.coverage)).status, 200, 'the coverage address answers');
  await stop(first.child);

  const second = await startServer({ DATABASE_PATH: path, LOG_FORMAT: 'json' });
  t.teardown(() => stop(second.child));
  await waitFor(second.logs, /Stödkartan ready/);
  const again = readyLine(second.logs());
  t.equal(again.curatedDatasetLoaded, false, 'a database with resources is left as it is');
  t.equal(again.resources, ready.resources);
  await stop(second.child);
});

t.test('LOG_FORMAT=text: the lines for a person instead of the JSON line', async (t) => {
  const path = join(t.testdir({}), 'text.db');
  const server = await startServer({ DATABASE_PATH: path, LOG_FORMAT: 'text' });
  t.teardown(() => stop(server.child));
  const output = await waitFor(server.logs, /Stödkartan is listening at[\s\S]*coverage +\S+\n/);
  t.match(output[0], new RegExp(`database +${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  t.match(output[0], /resources +\d+ \(the curated dataset, loaded just now into the empty database\)/);
  t.match(output[0], new RegExp(`docs +${server.url}/docs\\n`));
  t.notMatch(server.logs(), /Server listening at/, "fastify's own JSON line is not repeated");
  await stop(server.child);
});

// util-linux `script` runs the server on a pseudo-terminal, as a person's shell does.
const hasScript = spawnSync('script', ['--version']).status === 0;
t.test('on a terminal, without LOG_FORMAT: text', { skip: !hasScript && 'no `script` here' }, async (t) => {
  const path = join(t.testdir({}), 'tty.db');
  const command = [process.execPath, ...typescriptLoader, 'src/server.ts']
    .map((word) => JSON.stringify(word))
    .join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], {
    cwd: root,
    detached: true,
    env: { ...process.env, DATABASE_PATH: path, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  t.teardown(() => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  });
  const match = await waitFor(() => output, /Stödkartan is listening at (http:\S+)[\s\S]*coverage +\S+\r?\n/);
  t.match(match[0], /docs +http:\/\/127\.0\.0\.1:\d+\/docs/);
  t.notMatch(output, /"msg":"Stödkartan ready"/, 'no JSON for a person');
  if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
});

// `npm start` runs scripts/start.mjs: it builds dist/ when src/ changed (tsc, then one esbuild bundle) and runs
// the bundle. A bundle can break what runs fine from src/ (a package reading its own files, a `require`), so
// this starts it as `npm start` does and asks for every kind of answer: JSON, the docs' assets, the OpenAPI
// document, a page, CSV.
t.test('npm start: the bundled server answers every kind of request', async (t) => {
  const path = join(t.testdir({}), 'bundle.db');
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_PATH: path,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
    },
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  t.teardown(() => stop(child));
  // The build, when src/ changed, runs tsc: minutes on a loaded machine.
  await waitFor(() => output, /Stödkartan ready/, 280);
  const [url] = readyLine(output).listening as string[];
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers });

  const list = await get('/v1/resources?county=06&limit=1');
  t.equal(list.status, 200);
  t.ok(((await list.json()) as { totalItems: number }).totalItems > 0, 'the curated dataset was loaded');
  t.equal((await get('/v1/municipalities/0680')).status, 200, 'reference data');
  const docs = await get('/docs/static/index.html');
  t.equal(docs.status, 200, "Swagger UI's own files");
  t.match(await docs.text(), /swagger-ui/);
  const openapi = await get('/openapi.json');
  t.equal(((await openapi.json()) as { openapi: string }).openapi, '3.1.0');
  t.equal((await get('/coverage')).status, 200, 'the coverage page');
  const csv = await get('/v1/coverage?county=06', { accept: 'text/csv' });
  t.match(csv.headers.get('content-type'), /^text\/csv/);
  t.match(await csv.text(), /;/);
  // Midsommarafton: the holiday calendar, loaded from node_modules on first use, not bundled.
  const evening = await get('/v1/resources?openAt=2026-06-19T18:00:00Z&national=true');
  t.equal(evening.status, 200, 'an answer for an instant');
  const open = ((await evening.json()) as { items: { openingStatus?: { state: string } }[] }).items;
  t.ok(
    open.length > 0 && open.every((item) => item.openingStatus?.state === 'open'),
    'open lines, each saying so',
  );
  const invalid = await get('/v1/resources?limit=1000');
  t.equal(invalid.status, 400, 'validation, compiled on first use');
  t.match(invalid.headers.get('content-type'), /application\/problem\+json/);
  await stop(child);
  t.equal(child.exitCode, 0, 'exits 0 on SIGTERM');
});
