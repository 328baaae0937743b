// Shared set-up of the command-line tools: the same configuration and database preparation as the service.
import { loadConfig } from '../config.js';
import { migrateDatabase, type OpenDatabase, openDatabase } from '../db/client.js';
import { loadPlaces, type Places } from '../places/places.js';
import { loadVocabulary, type Vocabulary } from '../vocabulary/vocabulary.js';

export interface CliContext {
  database: OpenDatabase;
  places: Places;
  vocabulary: Vocabulary;
}

/** Opens the configured database with migrations applied, runs `task`, closes it, sets the exit code. */
export async function runCli(task: (context: CliContext) => void | Promise<void>): Promise<void> {
  let database: OpenDatabase | undefined;
  try {
    database = openDatabase(loadConfig().databasePath);
    migrateDatabase(database);
    await task({ database, places: loadPlaces(database.db), vocabulary: loadVocabulary(database.db) });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  } finally {
    database?.close();
  }
}
