// Two clients against the real server (README, "Under load, shutting down, logging"): a greedy client with
// 4 connections of one query, a polite client polling one resource every 100 ms, /health once a second.
// Prints the status counts of each and the polite client's p50 and p99. Not part of `npm test`.
//
//   npx tsx bench/two-clients.ts [--resources N] [--seconds S] [path]
//
// The default path is the query from issue 11. The server runs with the production defaults (rate limits,
// overload guard) and TRUST_PROXY=true, so that the clients are told apart by X-Forwarded-For.
import { copyFileSync, rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ensureBenchDatabase } from './database.js';
import { startServer, stopAllOnExit, timeToFirstOk } from './processes.js';

const { values, positionals } = parseArgs({
  options: { resources: { type: 'string', default: '20000' }, seconds: { type: 'string', default: '20' } },
  allowPositionals: true,
});
const resources = Number(values.resources);
const seconds = Number(values.seconds);
if (!Number.isSafeInteger(resources) || resources < 1 || !Number.isSafeInteger(seconds) || seconds < 1) {
  console.error('Usage: npx tsx bench/two-clients.ts [--resources N] [--seconds S] [path]');
  process.exit(2);
}
const greedyPath =
  positionals[0] ??
  `/v1/resources/nearby?lat=57.7&lon=11.97&radiusKm=1000&limit=1&q=${Array(16).fill('s').join('%20')}`;

stopAllOnExit();
const source = ensureBenchDatabase(resources, (line) => console.error(line));
// A copy: the server migrates and writes its WAL; the cached database stays as generated.
const path = `${source.path}.two-clients.db`;
copyFileSync(source.path, path);
const server = await startServer('src/server.ts', {
  DATABASE_PATH: path,
  SEED_IF_EMPTY: 'false',
  LOG_FORMAT: 'json',
  TRUST_PROXY: 'true',
});
try {
  await timeToFirstOk(server, '/ready', 120_000);
  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
  const list = (await (await fetch(`${server.url}/v1/resources?limit=1`, from('192.0.2.50'))).json()) as {
    items: { id: string }[];
  };
  const one = `/v1/resources/${list.items[0]?.id}`;

  const count = (counts: Record<number, number>, status: number) => {
    counts[status] = (counts[status] ?? 0) + 1;
  };
  const polite: Record<number, number> = {};
  const politeMs: number[] = [];
  const health: Record<number, number> = {};
  let running = true;
  const politeLoop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const response = await fetch(`${server.url}${one}`, from('203.0.113.9'));
        await response.arrayBuffer();
        count(polite, response.status);
      } catch {
        count(polite, 0);
      }
      politeMs.push(performance.now() - started);
      await sleep(100);
    }
  })();
  const healthLoop = (async () => {
    while (running) {
      const response = await fetch(`${server.url}/health`).catch(() => undefined);
      await response?.arrayBuffer();
      count(health, response?.status ?? 0);
      await sleep(1000);
    }
  })();
  const greedy = await autocannon({
    url: `${server.url}${greedyPath}`,
    connections: 4,
    duration: seconds,
    timeout: 30,
    ...from('198.51.100.7'),
  });
  running = false;
  await Promise.all([politeLoop, healthLoop]);
  politeMs.sort((a, b) => a - b);
  const percentile = (p: number) =>
    Math.round(politeMs[Math.min(politeMs.length - 1, Math.ceil((p / 100) * politeMs.length) - 1)] ?? 0);
  console.log(
    JSON.stringify(
      {
        resources,
        seconds,
        greedyPath,
        greedy: Object.fromEntries(
          Object.entries(greedy.statusCodeStats).map(([s, { count }]) => [s, count]),
        ),
        greedyErrors: greedy.errors,
        greedyTimeouts: greedy.timeouts,
        polite,
        politeP50Ms: percentile(50),
        politeP99Ms: percentile(99),
        health,
      },
      null,
      2,
    ),
  );
} finally {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
