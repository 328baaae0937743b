// Rows written with statements prepared once per connection: drizzle prepares a statement anew on every
// call, which dominated bulk imports. A row is the same object a drizzle insert takes (property names
// of the table definition), and each value goes through its column's own mapping (booleans, JSON), so
// a column added to a table and to the row object needs nothing here.
import type Database from 'better-sqlite3';
import { type Column, getTableColumns, getTableName, type Table } from 'drizzle-orm';
import type { Db } from './client.js';

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function prepared(sqlite: Database.Database, key: string, text: () => string): Database.Statement {
  let byKey = statements.get(sqlite);
  if (!byKey) {
    byKey = new Map();
    statements.set(sqlite, byKey);
  }
  let statement = byKey.get(key);
  if (!statement) {
    statement = sqlite.prepare(text());
    byKey.set(key, statement);
  }
  return statement;
}

/** The better-sqlite3 connection under a drizzle database or a drizzle transaction on it. */
export function connectionOf(db: Db): Database.Database {
  const handle = db as unknown as { $client?: Database.Database; session?: { client?: Database.Database } };
  const client = handle.$client ?? handle.session?.client;
  if (!client) throw new Error('no better-sqlite3 connection under this drizzle database');
  return client;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Each table's columns by property name, looked up once: an import binds hundreds of thousands of rows. */
const columnsByTable = new WeakMap<Table, Record<string, Column>>();

function bound(table: Table, row: Record<string, unknown>): { names: string[]; values: unknown[] } {
  let columns = columnsByTable.get(table);
  if (!columns) {
    columns = getTableColumns(table) as Record<string, Column>;
    columnsByTable.set(table, columns);
  }
  const names: string[] = [];
  const values: unknown[] = [];
  for (const key in row) {
    const column = columns[key];
    if (!column) throw new Error(`${getTableName(table)} has no column for '${key}'`);
    const value = row[key];
    names.push(column.name);
    values.push(value === null || value === undefined ? null : column.mapToDriverValue(value));
  }
  return { names, values };
}

export function insertRow(sqlite: Database.Database, table: Table, row: Record<string, unknown>): void {
  const { names, values } = bound(table, row);
  const name = getTableName(table);
  prepared(
    sqlite,
    `insert ${name} ${names.join(',')}`,
    () =>
      `INSERT INTO ${quote(name)} (${names.map(quote).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`,
  ).run(...values);
}

/** Updates the row whose `column` equals `value`. */
export function updateRow(
  sqlite: Database.Database,
  table: Table,
  row: Record<string, unknown>,
  where: { column: Column; value: unknown },
): void {
  const { names, values } = bound(table, row);
  const name = getTableName(table);
  prepared(
    sqlite,
    `update ${name} ${names.join(',')} where ${where.column.name}`,
    () =>
      `UPDATE ${quote(name)} SET ${names.map((n) => `${quote(n)} = ?`).join(', ')} WHERE ${quote(where.column.name)} = ?`,
  ).run(...values, where.value);
}

export function deleteRows(
  sqlite: Database.Database,
  table: Table,
  where: { column: Column; value: unknown },
) {
  const name = getTableName(table);
  prepared(
    sqlite,
    `delete ${name} where ${where.column.name}`,
    () => `DELETE FROM ${quote(name)} WHERE ${quote(where.column.name)} = ?`,
  ).run(where.value);
}

/** A statement of the caller's own, prepared once per connection. */
export function statement(sqlite: Database.Database, text: string): Database.Statement {
  return prepared(sqlite, text, () => text);
}
