// The security headers every answer carries, in one place. Routes get them from @fastify/helmet's hook;
// the answers that come before any hook — a URL fastify cannot decode, a path parameter over its length,
// a request Node's parser refuses (431, 400) — get the same headers, computed once from the same options.
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

/** What helmet sets with these options, as header name (lower case) → value. */
function computeSecurityHeaders(): Readonly<Record<string, string>> {
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
  helmet(helmetOptions)({} as never, response, (error?: unknown) => {
    failed = error;
  });
  if (failed) throw failed;
  return Object.freeze(headers);
}

export const securityHeaders = computeSecurityHeaders();
