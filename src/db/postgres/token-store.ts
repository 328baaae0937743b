// Staff tokens on PostgreSQL: the TokenStore of src/db/store.ts.
import { and, asc, eq, isNull } from 'drizzle-orm';
import pg from 'pg';
import { TokenNameTaken, type TokenRow, type TokenStore } from '../store.js';
import type { PgDb } from './client.js';
import * as schema from './schema.js';

const t = schema.apiTokens;
const uniqueViolation = '23505';

/** The driver's error, wherever drizzle put it (drizzle 0.45 wraps driver errors in a `cause`). */
function databaseError(error: unknown): pg.DatabaseError | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 3; e = e.cause, depth++) {
    if (e instanceof pg.DatabaseError) return e;
  }
  return undefined;
}

export class PostgresTokenStore implements TokenStore {
  constructor(private readonly db: PgDb) {}

  async insertToken(token: {
    name: string;
    scope: string;
    tokenHash: string;
    createdAt: Date;
  }): Promise<void> {
    try {
      await this.db.insert(t).values(token);
    } catch (error) {
      const cause = databaseError(error);
      if (cause?.code === uniqueViolation && cause.constraint === 'api_tokens_name_unique') {
        throw new TokenNameTaken(token.name);
      }
      throw error;
    }
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    const revoked = await this.db
      .update(t)
      .set({ revokedAt: at })
      .where(and(eq(t.name, name), isNull(t.revokedAt)))
      .returning({ name: t.name });
    return revoked.length > 0;
  }

  async listTokens(): Promise<TokenRow[]> {
    const rows = await this.db
      .select({ name: t.name, scope: t.scope, createdAt: t.createdAt, revokedAt: t.revokedAt })
      .from(t)
      .orderBy(asc(t.name));
    return rows.map((row) => ({
      ...row,
      createdAt: row.createdAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
    }));
  }

  async activeToken(tokenHash: string): Promise<{ name: string; scope: string } | undefined> {
    const [row] = await this.db
      .select({ name: t.name, scope: t.scope })
      .from(t)
      .where(and(eq(t.tokenHash, tokenHash), isNull(t.revokedAt)))
      .limit(1);
    return row;
  }
}
