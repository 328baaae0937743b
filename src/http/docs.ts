// Interactive documentation at /docs (Swagger UI), served entirely from the service's own assets: no CDN,
// no validator service, no request to any other host, so it works offline and leaks nothing.
// Swagger UI's own top bar (the framework's logo, a URL field reading /docs/json) is replaced by the
// service's header, and its colours and controls are adjusted so that the page meets WCAG 2.1 AA as
// axe-core checks it (test/e2e/coverage-page.e2e.ts): src/pages/docs/docs.css and docs.js.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { pagesDirectory } from '../pages/routes.js';
import { serviceInfo } from './api-info.js';

/** Only this origin, for everything; no `upgrade-insecure-requests`, which would break http://127.0.0.1. */
export const docsContentSecurityPolicy =
  "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'self'; img-src 'self' data:; object-src 'none'; script-src 'self'; " +
  "script-src-attr 'none'; style-src 'self' 'unsafe-inline'";

export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    const [css, js] = await Promise.all([
      readFile(join(pagesDirectory, 'docs', 'docs.css'), 'utf8'),
      readFile(join(pagesDirectory, 'docs', 'docs.js'), 'utf8'),
    ]);
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: docsContentSecurityPolicy,
      theme: {
        title: `${serviceInfo.name} – API`,
        css: [{ filename: 'stodkartan.css', content: css }],
        js: [{ filename: 'stodkartan.js', content: js }],
      },
      uiConfig: {
        // Swagger UI would otherwise send the whole document to validator.swagger.io.
        validatorUrl: null,
        // Without the top bar: the service's own header (docs.js) names the service and links /openapi.json.
        layout: 'BaseLayout',
        // Deep links put a link inside each operation's toggle button, a control nested in a control that
        // screen readers cannot reach (axe: nested-interactive).
        deepLinking: false,
        docExpansion: 'list',
        defaultModelsExpandDepth: 0,
        displayRequestDuration: true,
        // The highlighter's colours on its dark ground fall short of 4.5:1; plain text on it does not.
        syntaxHighlight: false,
      },
    });
  },
  { name: 'docs', dependencies: ['@fastify/swagger'] },
);
