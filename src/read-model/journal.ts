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

const writeListeners = new WeakMap<Database.Database, Set<(version: number) => void>>();

export function recordWrite(sqlite: Database.Database, entry: JournalEntry): void {
  if (entry.from === entry.to && entry.ids.length === 0) return;
  let journal = journals.get(sqlite);
  if (!journal) {
    journal = [];
    journals.set(sqlite, journal);
  }
  journal.push(entry);
  if (journal.length > maxEntries) journal.splice(0, journal.length - maxEntries);
  const listeners = writeListeners.get(sqlite);
  // Recorded inside the write's transaction, which better-sqlite3 commits (or rolls back) before any timer
  // runs: the listeners hear of the version once the write is visible, or find that it never was.
  if (listeners?.size)
    setImmediate(() => {
      for (const listener of listeners) listener(entry.to);
    });
}

/** Calls `listener` with the version a write of this process left, soon after it committed. */
export function onRecordedWrite(sqlite: Database.Database, listener: (version: number) => void): () => void {
  let listeners = writeListeners.get(sqlite);
  if (!listeners) {
    listeners = new Set();
    writeListeners.set(sqlite, listeners);
  }
  listeners.add(listener);
  return () => listeners.delete(listener);
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
  const found = journalSince(sqlite, version, current);
  journals.set(
    sqlite,
    (journals.get(sqlite) ?? []).filter((entry) => entry.to > current),
  );
  return found;
}

/**
 * As `writesSince`, without dropping anything: for a reader that is not the only one (the SQLite ChangeFeed,
 * src/db/sqlite/change-feed.ts). The journal still keeps at most `maxEntries`.
 */
export function journalSince(
  sqlite: Database.Database,
  version: number,
  current: number,
): { ids: Set<string>; complete: boolean } {
  const journal = journals.get(sqlite) ?? [];
  const ids = new Set<string>();
  let at = version;
  let complete = true;
  for (const entry of journal) {
    // Taken in already: the model's version is past it.
    if (entry.to <= version) continue;
    for (const id of entry.ids) ids.add(id);
    if (entry.from === at) at = entry.to;
    else complete = false;
  }
  if (at !== current) complete = false;
  return { ids, complete };
}
