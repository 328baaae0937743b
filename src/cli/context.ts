// Shared set-up of the command-line tools: the same configuration and store as the service (SQLite at
// DATABASE_PATH, or PostgreSQL at DATABASE_URL), migrated, but neither seeded nor its untracked states
// recorded: a tool does its one task. Nothing here knows the engine; the store does (src/db/open.ts).
import { loadConfig } from '../config.js';
import { type OpenStore, openStore } from '../db/open.js';
import type { Places } from '../places/places.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';

export interface CliContext {
  store: OpenStore;
  places: Places;
  vocabulary: Vocabulary;
}

/** How long a tool waits at its end for the database's files to be emptied of what it withdrew. */
const withdrawalWaitMs = 30_000;

/** Opens the configured store with migrations applied, runs `task`, closes it, sets the exit code. */
export async function runCli(task: (context: CliContext) => void | Promise<void>): Promise<void> {
  let store: OpenStore | undefined;
  try {
    store = await openStore(loadConfig(), { startUp: false });
    await task({ store, places: store.places, vocabulary: store.vocabulary });
    // On SQLite an address this run withdrew stays in the write-ahead log while another process (the server)
    // reads: wait for the log to be emptied rather than leave it there.
    if (!(await store.withdrawnDataForgotten(withdrawalWaitMs))) {
      process.stderr.write(
        `the write-ahead log still holds what this run withdrew: another process kept reading the database for ` +
          `${withdrawalWaitMs / 1000} s; the log is emptied when the last connection to the database closes\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    await store?.close().catch((error: Error) => {
      // The task's work is committed; only the tidying at close (SQLite's checkpoint) did not finish.
      process.stderr.write(`closing the database: ${error.message}\n`);
    });
  }
}
