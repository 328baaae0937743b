// Whether the PostgreSQL server answers: /health and /ready (`OpenStore.ping`, src/db/open.ts). A
// pool that cannot get a connection within its `connectionTimeoutMs` says no, as does a server that is
// gone; the pool opens a new connection on the next ping, so a replica recovers on its own.
import type { OpenPostgres } from './client.js';

export function postgresPing(database: OpenPostgres): () => Promise<boolean> {
  return async () => {
    try {
      await database.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  };
}
