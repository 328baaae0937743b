// Ajv's type coercion turns "Infinity" and "1e400" into Infinity and then lets it past `maximum`, and
// JSON.parse reads 1e400 as Infinity too. No number this API accepts may be infinite, so every validated
// query and body is checked once here, before any handler runs.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { badRequest } from './problem.js';

function firstInfinite(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (value === null || typeof value !== 'object' || depth > 8) return undefined;
  for (const [key, member] of Object.entries(value)) {
    const found = firstInfinite(member, `${path}/${key}`, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

export const finiteNumbersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preHandler', async (request) => {
      const inQuery = firstInfinite(request.query, '');
      if (inQuery !== undefined) {
        const name = inQuery.split('/')[1] ?? '';
        throw badRequest('validation-failed', `Invalid query '${name}': must be a finite number.`, [
          { in: 'query', name, reason: 'must be a finite number' },
        ]);
      }
      const inBody = firstInfinite(request.body, '');
      if (inBody !== undefined) {
        throw badRequest('validation-failed', `Invalid body '${inBody}': must be a finite number.`, [
          { in: 'body', pointer: inBody, reason: 'must be a finite number' },
        ]);
      }
    });
  },
  { name: 'finite-numbers' },
);
