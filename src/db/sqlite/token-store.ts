// Staff tokens on SQLite: the TokenStore of src/db/store.ts over the embedded database.
import { SqliteError } from 'better-sqlite3';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../client.js';
import * as schema from '../schema.js';
import { TokenNameTaken, type TokenRow, type TokenStore } from '../store.js';

const t = schema.apiTokens;

export class SqliteTokenStore implements TokenStore {
  constructor(private readonly db: Db) {}

  async insertToken(token: {
    name: string;
    scope: string;
    tokenHash: string;
    createdAt: Date;
  }): Promise<void> {
    try {
      this.db
        .insert(t)
        .values({ ...token, createdAt: token.createdAt.toISOString() })
        .run();
    } catch (error) {
      if (error instanceof SqliteError && error.message.includes('api_tokens.name')) {
        throw new TokenNameTaken(token.name);
      }
      throw error;
    }
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    const result = this.db
      .update(t)
      .set({ revokedAt: at.toISOString() })
      .where(and(eq(t.name, name), isNull(t.revokedAt)))
      .run();
    return result.changes > 0;
  }

  async listTokens(): Promise<TokenRow[]> {
    return this.db
      .select({ name: t.name, scope: t.scope, createdAt: t.createdAt, revokedAt: t.revokedAt })
      .from(t)
      .orderBy(asc(t.name))
      .all();
  }

  async activeToken(tokenHash: string): Promise<{ name: string; scope: string } | undefined> {
    return this.db
      .select({ name: t.name, scope: t.scope })
      .from(t)
      .where(and(eq(t.tokenHash, tokenHash), isNull(t.revokedAt)))
      .get();
  }
}
