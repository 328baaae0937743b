// Process entry: config → buildApp → listen → graceful shutdown. The only file that listens.
import type { Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { startupFormat, startupSummary, startupText } from './startup.js';

const config = loadConfig();
const app = await buildApp(config);

/** Longest a shutdown may take before the process gives up on it and exits 1. */
const shutdownTimeoutMs = 30_000;

/**
 * Waits until the server has gone `quietMs` without a new connection or request (at most `maxMs`), with
 * at least one turn of the event loop's poll phase after each check. Requests whose bytes reached the
 * machine before the signal are thereby accepted and under way before the listener closes: closing it
 * resets connections still in the kernel's backlog, and Node closes every connection on which no request
 * has begun, bytes waiting to be read or not.
 */
async function settle(server: Server, quietMs: number, maxMs: number): Promise<void> {
  const started = performance.now();
  let last = started;
  const touch = () => {
    last = performance.now();
  };
  server.on('connection', touch);
  server.on('request', touch);
  try {
    for (;;) {
      await sleep(quietMs);
      await new Promise((resolve) => setImmediate(resolve));
      const now = performance.now();
      if (now - last >= quietMs || now - started >= maxMs) return;
    }
  } finally {
    server.off('connection', touch);
    server.off('request', touch);
  }
}

/**
 * SIGTERM / SIGINT: every request whose bytes arrived before the signal gets an HTTP answer. First the
 * server settles (above), answering as usual; then app.close() stops accepting connections, closes the
 * idle ones, lets the requests under way finish (each answered with `Connection: close`, in full, not with
 * a 503: `return503OnClosing` is off), and runs the close hooks: the read model stops, the database
 * checkpoints its WAL (TRUNCATE) and closes. Then the process exits 0.
 */
async function shutdown(signal: NodeJS.Signals): Promise<void> {
  app.log.info({ signal }, 'shutting down');
  const forced = setTimeout(() => {
    app.log.error({ timeoutMs: shutdownTimeoutMs }, 'shutdown did not finish in time');
    process.exit(1);
  }, shutdownTimeoutMs);
  forced.unref();
  await settle(app.server, 50, 2000);
  await app.close();
  app.log.info('shut down');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

const format = startupFormat(config, process.stdout.isTTY === true);
const announce = ['info', 'debug', 'trace'].includes(config.logLevel);
const level = app.log.level;
// On a terminal the summary below says where it listens; fastify's own JSON line would only repeat it.
if (format === 'text' && announce) app.log.level = 'warn';
try {
  await app.listen({ port: config.port, host: config.host });
} catch (error) {
  app.log.error({ err: error }, 'could not listen');
  await app.close();
  process.exit(1);
}
app.log.level = level;

if (announce) {
  const summary = await startupSummary(app, config);
  if (format === 'text') process.stdout.write(startupText(summary));
  else app.log.info(summary, 'Stödkartan ready');
}
