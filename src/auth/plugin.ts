// Bearer authentication for writes. Reads stay open; a write route adds `preValidation: app.authenticate`
// (after the rate limiter's onRequest, so guessing tokens is rate-limited; before the body is validated).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Problem } from '../http/problem.js';
import { type TokenHolder, verifyToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
    /** The token holder when the request carries a valid token, for reads that show more to admins. */
    optionalTokenHolder: (request: FastifyRequest) => Promise<TokenHolder | undefined>;
  }
  interface FastifyRequest {
    tokenHolder?: TokenHolder;
  }
}

const unauthorized = (detail: string) =>
  new Problem(401, 'unauthorized', detail, undefined, { 'www-authenticate': 'Bearer realm="stodkartan"' });

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,200})$/.exec(header.trim());
  return match?.[1] ?? '';
}

export const authPlugin = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('tokenHolder', undefined);
    app.decorate('authenticate', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      if (token === undefined) throw unauthorized('This change needs `Authorization: Bearer <token>`.');
      const holder = token === '' ? undefined : await verifyToken(app.tokens, token);
      if (!holder) throw unauthorized('The bearer token is unknown or revoked.');
      request.tokenHolder = holder;
    });
    app.decorate('optionalTokenHolder', async (request: FastifyRequest) => {
      const token = bearerToken(request);
      return token ? verifyToken(app.tokens, token) : undefined;
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
