// Process entry: config → buildApp → listen → graceful shutdown. The only file that listens.
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { startupFormat, startupSummary, startupText } from './startup.js';

const config = loadConfig();
const app = await buildApp(config);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.log.info({ signal }, 'shutting down');
    app.close().then(
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
  const summary = startupSummary(app, config);
  if (format === 'text') process.stdout.write(startupText(summary));
  else app.log.info(summary, 'Stödkartan ready');
}
