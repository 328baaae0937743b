// Staff tokens: created and revoked from the command line, presented as `Authorization: Bearer`.
// Only a SHA-256 hash is stored: a token is 256 random bits, so a plain hash is enough.
import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';

export type Scope = { kind: 'admin' } | { kind: 'county'; county: string };

export interface TokenHolder {
  name: string;
  scope: Scope;
}

export function parseScope(text: string): Scope | undefined {
  if (text === 'admin') return { kind: 'admin' };
  const match = /^county:([0-9]{2})$/.exec(text);
  return match?.[1] ? { kind: 'county', county: match[1] } : undefined;
}

export const formatScope = (scope: Scope) => (scope.kind === 'admin' ? 'admin' : `county:${scope.county}`);

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

export class TokenError extends Error {}

export function createToken(db: Db, name: string, scope: Scope, now: Date = new Date()): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new TokenError('a token name is 1–64 letters, digits, dots, hyphens or underscores');
  }
  if (db.select().from(schema.apiTokens).where(eq(schema.apiTokens.name, name)).get()) {
    throw new TokenError(`a token named '${name}' exists already (names are never reused, even revoked)`);
  }
  const token = `stk_${randomBytes(32).toString('base64url')}`;
  db.insert(schema.apiTokens)
    .values({ name, scope: formatScope(scope), tokenHash: hashOf(token), createdAt: now.toISOString() })
    .run();
  return token;
}

export function revokeToken(db: Db, name: string, now: Date = new Date()): void {
  const result = db
    .update(schema.apiTokens)
    .set({ revokedAt: now.toISOString() })
    .where(and(eq(schema.apiTokens.name, name), isNull(schema.apiTokens.revokedAt)))
    .run();
  if (result.changes === 0) throw new TokenError(`no active token is named '${name}'`);
}

export function listTokens(db: Db) {
  return db
    .select({
      name: schema.apiTokens.name,
      scope: schema.apiTokens.scope,
      createdAt: schema.apiTokens.createdAt,
      revokedAt: schema.apiTokens.revokedAt,
    })
    .from(schema.apiTokens)
    .orderBy(asc(schema.apiTokens.name))
    .all();
}

/** The holder of an active token, or undefined for an unknown or revoked one. */
export function verifyToken(db: Db, token: string): TokenHolder | undefined {
  const row = db
    .select({ name: schema.apiTokens.name, scope: schema.apiTokens.scope })
    .from(schema.apiTokens)
    .where(and(eq(schema.apiTokens.tokenHash, hashOf(token)), isNull(schema.apiTokens.revokedAt)))
    .get();
  const scope = row ? parseScope(row.scope) : undefined;
  return row && scope ? { name: row.name, scope } : undefined;
}
