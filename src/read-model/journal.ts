// The writes this process made, so that the read model can apply them at once instead of rebuilding:
// each write transaction records the dataset version it started from, the version it left, and the ids
// it saved. A version reached by any other way (another process, a rolled-back transaction) breaks the
// chain, and the read model then rebuilds from the database as well.
import type Database from 'better-sqlite3';

export interface JournalEntry {
  from: number;
  to: number;
  ids: readonly string[];
}

const journals = new WeakMap<Database.Database, JournalEntry[]>();
/** Past this many unread entries the oldest go: whoever reads that late rebuilds anyway. */
const maxEntries = 10_000;

export function recordWrite(sqlite: Database.Database, entry: JournalEntry): void {
  if (entry.from === entry.to && entry.ids.length === 0) return;
  let journal = journals.get(sqlite);
  if (!journal) {
    journal = [];
    journals.set(sqlite, journal);
  }
  journal.push(entry);
  if (journal.length > maxEntries) journal.splice(0, journal.length - maxEntries);
}

/**
 * The ids written since `version`, and whether the recorded writes account for every change up to
 * `current` (a contiguous chain from one to the other). Entries up to `current` are dropped.
 */
export function writesSince(
  sqlite: Database.Database,
  version: number,
  current: number,
): { ids: Set<string>; complete: boolean } {
  const journal = journals.get(sqlite) ?? [];
  const ids = new Set<string>();
  let at = version;
  let complete = true;
  for (const entry of journal) {
    for (const id of entry.ids) ids.add(id);
    if (entry.from === at) at = entry.to;
    else if (entry.to > version) complete = false;
  }
  if (at !== current) complete = false;
  journals.set(
    sqlite,
    journal.filter((entry) => entry.to > current),
  );
  return { ids, complete };
}
