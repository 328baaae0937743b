// The security headers every answer carries, in one place: computed once by helmet from these options, set
// by an onRequest hook (protection.ts) on every routed answer (a route may name its own in its config, as the
// pages do), and by the problem path on the answers that come before any hook (a URL fastify cannot decode, a
// path parameter over its length, a request Node's parser refuses: 431, 400).
import type { ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export const helmetOptions = {
  // The service's own pages (/docs, /coverage) load scripts and styles from the service only.
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
    },
  },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
} satisfies HelmetOptions;

/** What helmet sets with these options, as header name (lower case) → value: computed once, at start. */
export function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  } as unknown as ServerResponse;
  let failed: unknown;
  helmet(options)({} as never, response, (error?: unknown) => {
    failed = error;
  });
  if (failed) throw failed;
  return Object.freeze(headers);
}

export const securityHeaders = helmetHeaders(helmetOptions);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A route's own security headers (computed once by `helmetHeaders`) instead of the service's. */
    securityHeaders?: Readonly<Record<string, string>>;
  }
}
