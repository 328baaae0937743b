// The dataset's version: a counter that triggers (migration 0003) raise on every write to resources and
// their cells, service areas and locations. Reading it is one primary-key lookup, cheap enough to do on
// every request: a cache or an ETag built at one version is current while the version is unchanged.
import type Database from 'better-sqlite3';

const statements = new WeakMap<Database.Database, Database.Statement<[], number>>();

/** The current version; any write to the resource data since a previous read gives a different one. */
export function datasetVersion(sqlite: Database.Database): number {
  let statement = statements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare<[], number>('SELECT version FROM dataset_version WHERE id = 1').pluck();
    statements.set(sqlite, statement);
  }
  const version = statement.get();
  if (version === undefined) throw new Error('dataset_version has no row: apply the migrations');
  return version;
}
