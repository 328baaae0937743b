// Staff tokens: created and revoked from the command line, presented as `Authorization: Bearer`.
// Only a SHA-256 hash is stored: a token is 256 random bits, so a plain hash is enough. The store (SQLite or
// PostgreSQL, src/db/store.ts `TokenStore`) keeps the rows; this file holds the rules.
import { createHash, randomBytes } from 'node:crypto';
import { TokenNameTaken, type TokenRow, type TokenStore } from '../db/store.js';

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

export async function createToken(
  store: TokenStore,
  name: string,
  scope: Scope,
  now: Date = new Date(),
): Promise<string> {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new TokenError('a token name is 1–64 letters, digits, dots, hyphens or underscores');
  }
  const token = `stk_${randomBytes(32).toString('base64url')}`;
  try {
    await store.insertToken({ name, scope: formatScope(scope), tokenHash: hashOf(token), createdAt: now });
  } catch (error) {
    if (error instanceof TokenNameTaken) {
      throw new TokenError(`a token named '${name}' exists already (names are never reused, even revoked)`);
    }
    throw error;
  }
  return token;
}

export async function revokeToken(store: TokenStore, name: string, now: Date = new Date()): Promise<void> {
  if (!(await store.revokeToken(name, now))) throw new TokenError(`no active token is named '${name}'`);
}

export function listTokens(store: TokenStore): Promise<TokenRow[]> {
  return store.listTokens();
}

/** The holder of an active token, or undefined for an unknown or revoked one. */
export async function verifyToken(store: TokenStore, token: string): Promise<TokenHolder | undefined> {
  const row = await store.activeToken(hashOf(token));
  const scope = row ? parseScope(row.scope) : undefined;
  return row && scope ? { name: row.name, scope } : undefined;
}
