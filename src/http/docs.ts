// Interactive documentation at /docs (Swagger UI), served entirely from the service's own assets: no CDN,
// no validator service, no request to any other host, so it works offline and leaks nothing.
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { serviceInfo } from './api-info.js';

/** Only this origin, for everything; no `upgrade-insecure-requests`, which would break http://127.0.0.1. */
export const docsContentSecurityPolicy =
  "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; " +
  "script-src-attr 'none'; style-src 'self' 'unsafe-inline'";

export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: docsContentSecurityPolicy,
      theme: { title: `${serviceInfo.name} – API` },
      uiConfig: {
        // Swagger UI would otherwise send the whole document to validator.swagger.io.
        validatorUrl: null,
        deepLinking: true,
        docExpansion: 'list',
        defaultModelsExpandDepth: 0,
        displayRequestDuration: true,
      },
    });
  },
  { name: 'docs', dependencies: ['@fastify/swagger'] },
);
