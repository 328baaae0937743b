// The app factory: one function builds the service for production and for tests alike.
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { authPlugin } from './auth/plugin.js';
import { changeRoutes } from './changes/routes.js';
import type { Config } from './config.js';
import { coverageRoutes } from './coverage/routes.js';
import { openStore } from './db/open.js';
import { databasePlugin } from './db/plugin.js';
import { exportRoutes } from './exports/routes.js';
import { hsdsRoutes } from './hsds/routes.js';
import { apiInfoRoutes } from './http/api-info.js';
import { corsPlugin } from './http/cors.js';
import { docsPlugin } from './http/docs.js';
import { finiteNumbersPlugin } from './http/finite-numbers.js';
import { healthRoutes } from './http/health.js';
import { lazyCompilersFactory } from './http/lazy-compilers.js';
import { logSerializers, RequestLogController, requestLogPlugin } from './http/logging.js';
import { openapiOptions, openapiRoutes } from './http/openapi.js';
import { clientErrorHandler, frameworkErrors, maxParamLength, problemPlugin } from './http/problem.js';
import { protectionPlugin } from './http/protection.js';
import { pageRoutes } from './pages/routes.js';
import { placesRoutes } from './places/routes.js';
import { readModelPlugin } from './read-model/plugin.js';
import { resourceRoutes } from './resources/routes.js';
import { resourceSchemasPlugin } from './resources/schemas.js';
import { resourceWriteRoutes } from './resources/write-routes.js';
import { vocabularyRoutes } from './vocabulary/routes.js';

/** What a caller other than the server may add; the service itself is configured by `Config` alone. */
export interface AppOptions {
  /** Where log lines go instead of stdout: tests read what the service would log. */
  logStream?: { write(line: string): void };
  /**
   * Plugins registered after the service's own routes, before it is ready. Tests use one to reach a
   * path the service has no route for on purpose, such as a handler that throws (a 500).
   */
  plugins?: FastifyPluginAsync[];
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  const store = await openStore(config);
  const app = Fastify({
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            serializers: logSerializers,
            ...(options.logStream ? { stream: options.logStream } : {}),
          },
    // One line per answer, with the route pattern and the status: logging.ts.
    logController: new RequestLogController(),
    trustProxy: config.trustProxy,
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    keepAliveTimeout: config.keepAliveTimeoutMs,
    // A request that arrived before close() is answered in full (with `Connection: close`), not with
    // fastify's plain-JSON 503: see server.ts for the order of a shutdown.
    return503OnClosing: false,
    // Starting waits for the read model, which a large dataset's builder process may take minutes to build
    // (stopped after 20, and then the server builds it): not fastify's 10 s, but still a limit.
    pluginTimeout: 30 * 60_000,
    routerOptions: { maxParamLength },
    frameworkErrors,
    clientErrorHandler,
    schemaController: { compilersFactory: lazyCompilersFactory },
    ajv: {
      customOptions: {
        // Reject unknown properties and query parameters instead of silently dropping them.
        removeAdditional: false,
        allErrors: true,
      },
    },
  });

  app.decorate('publicBaseUrl', config.publicBaseUrl);
  await app.register(databasePlugin, { store });
  await app.register(readModelPlugin, { separateBuildFrom: config.readModelBuildProcessFrom });
  await app.register(problemPlugin);
  await app.register(requestLogPlugin);
  // Before CORS: a preflight is answered by CORS's own hook, and must be rate limited first.
  await app.register(protectionPlugin, config);
  await app.register(corsPlugin);
  await app.register(authPlugin);
  await app.register(finiteNumbersPlugin);
  await app.register(swagger, openapiOptions);
  await app.register(docsPlugin);
  await app.register(resourceSchemasPlugin);

  await app.register(healthRoutes);
  await app.register(openapiRoutes);
  await app.register(vocabularyRoutes);
  await app.register(placesRoutes);
  await app.register(resourceRoutes);
  await app.register(resourceWriteRoutes);
  await app.register(coverageRoutes, { answerCacheBytes: config.coverageCacheMb * 2 ** 20 });
  await app.register(apiInfoRoutes);
  await app.register(exportRoutes);
  await app.register(changeRoutes);
  await app.register(hsdsRoutes);
  await app.register(pageRoutes);
  for (const plugin of options.plugins ?? []) await app.register(plugin);
  await app.ready();
  return app;
}
