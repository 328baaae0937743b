// The service's own web pages: /coverage, the coverage matrix of a county with a map of its gaps, and the
// accessibility statement (tillgänglighetsredogörelse) at /tillganglighet and /accessibility. A page is
// static files (HTML, CSS, a plain ES module) that talk to the public API like any other client; nothing is
// built or rendered on the server. The files are read from src/pages/ under the project root, both when the
// service runs from src/ (tsx) and from dist/ (tsc copies no assets), so the Docker image must copy them.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { helmetHeaders, helmetOptions } from '../http/security-headers.js';
import { projectRoot } from '../paths.js';

export const pagesDirectory = join(projectRoot, 'src', 'pages');

/**
 * The pages load everything from this origin and run no inline script or style. This replaces the
 * service-wide policy, whose `upgrade-insecure-requests` would send the page's own requests to https on a
 * plain-http host such as http://127.0.0.1:3000.
 */
export const pageContentSecurityPolicy = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    baseUri: ["'none'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    imgSrc: ["'self'", 'data:'],
    objectSrc: ["'none'"],
    scriptSrc: ["'self'"],
    scriptSrcAttr: ["'none'"],
    styleSrc: ["'self'"],
  },
};

interface Asset {
  path: string;
  file: string;
  contentType: string;
}

export const coverageAssets: readonly Asset[] = [
  { path: '/coverage', file: 'coverage/index.html', contentType: 'text/html; charset=utf-8' },
  {
    path: '/coverage/coverage.js',
    file: 'coverage/coverage.js',
    contentType: 'text/javascript; charset=utf-8',
  },
  { path: '/coverage/coverage.css', file: 'coverage/coverage.css', contentType: 'text/css; charset=utf-8' },
];

/** The accessibility statement in Swedish and English; it uses the coverage page's stylesheet. */
export const accessibilityAssets: readonly Asset[] = [
  { path: '/tillganglighet', file: 'accessibility/sv.html', contentType: 'text/html; charset=utf-8' },
  { path: '/accessibility', file: 'accessibility/en.html', contentType: 'text/html; charset=utf-8' },
];

/** The service's security headers with the pages' own policy in place of the service-wide one. */
const pageHeaders = helmetHeaders({ ...helmetOptions, contentSecurityPolicy: pageContentSecurityPolicy });

export async function pageRoutes(app: FastifyInstance) {
  for (const asset of [...coverageAssets, ...accessibilityAssets]) {
    // Read once at start: a missing file is a broken build and should stop the service, not answer 500s.
    const body = await readFile(join(pagesDirectory, asset.file));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
    app.get(
      asset.path,
      { schema: { hide: true }, config: { securityHeaders: pageHeaders } },
      async (request, reply) => {
        reply.header('etag', etag).header('cache-control', 'no-cache');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        return reply.type(asset.contentType).send(body);
      },
    );
  }
  app.get('/coverage/', { schema: { hide: true } }, async (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(query === -1 ? '/coverage' : `/coverage${request.url.slice(query)}`);
  });
}
