// CORS: every read is open to any origin, so that apps and maps on other sites can use the data; changes
// are not. The delegator decides per request from the method (for a preflight, the method it asks about)
// and the path. A write gets no Access-Control-Allow-Origin, and its preflight is not answered.
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** POSTs that only read: the criteria travel in the body to keep a position out of URLs. */
const readingPosts = new Set(['/v1/resources/search']);

export function isRead(method: string, path: string): boolean {
  return method === 'GET' || method === 'HEAD' || (method === 'POST' && readingPosts.has(path));
}

function requestedMethod(request: FastifyRequest): string {
  if (request.method !== 'OPTIONS') return request.method;
  const asked = request.headers['access-control-request-method'];
  return typeof asked === 'string' ? asked.trim().toUpperCase() : '';
}

export const corsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cors, {
      // A preflight without Origin is answered like any other request, not with a text/plain 400.
      strictPreflight: false,
      delegator: (request, callback) => {
        const path = request.url.split('?')[0] ?? '';
        const method = requestedMethod(request);
        if (!isRead(method, path)) {
          callback(null, { origin: false });
          return;
        }
        callback(null, {
          origin: '*',
          methods: method === 'POST' ? ['POST'] : ['GET', 'HEAD'],
          allowedHeaders: ['Accept', 'Accept-Language', 'Content-Type', 'If-Modified-Since', 'If-None-Match'],
          exposedHeaders: [
            'Changes-Cursor',
            'Content-Disposition',
            'Content-Language',
            'ETag',
            'Last-Modified',
            'Link',
            'Retry-After',
          ],
          maxAge: 86_400,
        });
      },
    });
  },
  { name: 'cors' },
);
