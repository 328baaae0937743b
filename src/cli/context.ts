// Shared set-up of the command-line tools: the same configuration and database preparation as the service.
import { loadConfig } from '../config.js';
import { migrateDatabase, type OpenDatabase, openDatabase, withdrawnDataForgotten } from '../db/client.js';
import { loadPlaces, type Places } from '../places/places.js';
import { loadVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';

export interface CliContext {
  database: OpenDatabase;
  places: Places;
  vocabulary: Vocabulary;
}

/** How long a tool waits at its end for the log to be emptied of what it withdrew. */
const withdrawalWaitMs = 30_000;

/** Opens the configured database with migrations applied, runs `task`, closes it, sets the exit code. */
export async function runCli(task: (context: CliContext) => void | Promise<void>): Promise<void> {
  let database: OpenDatabase | undefined;
  try {
    database = openDatabase(loadConfig().databasePath);
    migrateDatabase(database);
    await task({ database, places: loadPlaces(database.db), vocabulary: loadVocabulary(database.db) });
    // An address this run withdrew stays in the write-ahead log while another process (the server) reads:
    // wait for the log to be emptied rather than leave it there.
    if (!(await withdrawnDataForgotten(database, withdrawalWaitMs))) {
      process.stderr.write(
        `the write-ahead log still holds what this run withdrew: another process kept reading the database for ` +
          `${withdrawalWaitMs / 1000} s; the log is emptied when the last connection to the database closes\n`,
      );
    }
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    database?.close();
  }
}
