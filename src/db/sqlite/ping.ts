// Whether the SQLite database answers: /health and /ready (`OpenStore.ping`, src/db/open.ts).
import type { OpenDatabase } from '../client.js';

export function sqlitePing(database: OpenDatabase): () => Promise<boolean> {
  return async () => {
    try {
      database.sqlite.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  };
}
