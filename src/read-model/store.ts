// The one place that builds and refreshes the read model: the resources index (src/resources/index.ts)
// and coverage's support index, built from the store at start and whenever the dataset version moves.
// A write this process made (recorded in the journal) is applied at once, as an overlay, so the next read
// sees it; anything else (another process, a rolled-back write), and the overlay's folding into a new
// base, is rebuilt off the request path on a second connection, in chunks between which reads go on
// with the old model. A new model replaces the old in one assignment: a read sees one or the other.
import { type ChildProcess, fork } from 'node:child_process';
import { readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { defaultReadModelBuildProcessFrom } from '../config.js';
import { locatedPoint } from '../coverage/compute.js';
import { type ResourceStatus, type SupportIndex, SupportIndexBuilder } from '../coverage/support-index.js';
import { type OpenDatabase, onWithdrawal } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import type { WriteReceipt } from '../db/store.js';
import type { CompiledHours } from '../hours/open-at.js';
import { fromSources, projectRoot } from '../paths.js';
import type { Places } from '../places/places.js';
import {
  BaseIndexBuilder,
  type EntryContext,
  entryOf,
  type IndexedEntry,
  ResourceIndex,
} from '../resources/index.js';
import { countResources, everyResource, storedResources } from '../resources/repository.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { writesSince } from './journal.js';
import { modelFingerprint, readKey, readSnapshot, resourcesDigest, snapshotKey } from './snapshot.js';

export interface ReadModel {
  version: number;
  /**
   * The last history row the model has taken in: every write path records one, so a write by another
   * process is found by the rows after it (`current`).
   */
  historyId: number;
  resources: ResourceIndex;
  support: SupportIndex;
}

export interface ReadModelOptions {
  /** The database file, for the builder's own connection; ':memory:' builds on the main one, at once. */
  path: string;
  /** Below this many resources a full rebuild runs at once on the read path (it takes milliseconds). */
  syncRebuildBelow?: number;
  /** Resources read and indexed between two yields to the event loop. */
  chunk?: number;
  /** How long after a write the overlay is folded into a new base. */
  foldAfterMs?: number;
  /**
   * From this many resources on, every build runs in a process of its own (builder-process.ts) and saves
   * the model beside the database (`<path>.read-model`), where the next start finds it. Not for ':memory:'.
   */
  separateBuildFrom?: number;
  /** Where a build that failed or a saved model that was refused is told (the app's log). */
  warn?: (details: object, message: string) => void;
}

/** A builder process still running after this long is stopped, and the server builds instead. */
const builderTimeoutMs = 20 * 60_000;
/** After a builder process failed, builds run in the server for this long before it is tried again. */
const separateRetryAfterMs = 10 * 60_000;

/** Where a database's saved read model is kept. */
export const savedModelPath = (databasePath: string) => `${databasePath}.read-model`;

const builderEntry = fromSources
  ? join(projectRoot, 'src', 'read-model', 'builder-process.ts')
  : join(projectRoot, 'dist', 'read-model', 'builder-process.js');

/**
 * Builds a model step by step: each table is read once (src/resources/repository.ts `everyResource`) and
 * each `next()` indexes one chunk of resources; the last returns the model.
 */
export function* buildSteps(
  sqlite: Database.Database,
  context: EntryContext,
  chunk: number,
  /** Runs first in the build's read transaction: what else it reads is of the same snapshot. */
  before?: () => void,
): Generator<void, ReadModel> {
  sqlite.exec('BEGIN');
  try {
    before?.();
    // One read transaction: the version, the last history row and every resource are of one snapshot.
    const version = datasetVersion(sqlite);
    const historyId = lastHistoryId(sqlite);
    const resources = new BaseIndexBuilder();
    const support = new SupportIndexBuilder(context.vocabulary.cells(), context.places.municipalities.keys());
    for (const found of everyResource(sqlite, chunk)) {
      for (const { resource, version: resourceVersion } of found) {
        const entry = entryOf(resource, resourceVersion, context);
        resources.add(entry);
        addSupport(support, resource, entry.hours, context.places);
      }
      yield;
    }
    return {
      version,
      historyId,
      resources: new ResourceIndex(resources.build(), version),
      support: support.build(),
    };
  } finally {
    sqlite.exec('COMMIT');
  }
}

const lastHistoryId = (sqlite: Database.Database): number =>
  sqlite.prepare<[], number>('SELECT coalesce(max(id), 0) FROM resource_history').pluck().get() ?? 0;

/** The resources written since history row `after` (by any write path, any process), and the last row. */
function historySince(sqlite: Database.Database, after: number): { ids: Set<string>; last: number } {
  const rows = sqlite
    .prepare<[number], [string, number]>(
      'SELECT resource_id, id FROM resource_history WHERE id > ? ORDER BY id',
    )
    .raw()
    .all(after);
  return { ids: new Set(rows.map(([id]) => id)), last: rows.at(-1)?.[1] ?? after };
}

export function addSupport(
  builder: SupportIndexBuilder,
  resource: Parameters<typeof entryOf>[0],
  hours: CompiledHours,
  places: Places,
): void {
  const r = builder.add({
    id: resource.id,
    name: resource.name,
    kind: resource.kind,
    status: resource.status as ResourceStatus,
    activeFrom: resource.activeFrom ?? null,
    activeUntil: resource.activeUntil ?? null,
    forIndividuals: resource.audiences.includes('individuals'),
    national: resource.serviceArea.national,
    sourceSeen: resource.source.seen ?? null,
    // Compiled once, by the resource's index entry.
    hours,
    hoursKey: JSON.stringify([
      resource.open24h,
      resource.openingHours ?? null,
      ...resource.locations.flatMap((l) => (l.openingHours ? [l.openingHours] : [])),
    ]),
  });
  for (const cell of resource.cells) builder.addCell(r, cell.area, cell.role, cell.group);
  for (const code of resource.serviceArea.municipalities) builder.addMunicipality(r, code);
  for (const location of resource.locations) {
    const point = locatedPoint(
      {
        visibility: location.visibility,
        municipality: location.municipality,
        lat: location.visibility === 'public' ? (location.lat ?? null) : null,
        lon: location.visibility === 'public' ? (location.lon ?? null) : null,
      },
      places.municipalities,
    );
    if (point) builder.addPoint(r, point);
  }
}

export class ReadModelStore {
  private model: ReadModel;
  private readonly context: EntryContext;
  private readonly syncRebuildBelow: number;
  private readonly chunk: number;
  private readonly foldAfterMs: number;
  private readonly separateBuildFrom: number;
  private builder: Database.Database | undefined;
  /** The builder process of a separate build under way. */
  private child: ChildProcess | undefined;
  /** The steps of a build in the server under way: returning them ends its read transaction. */
  private steps: Generator<void, ReadModel> | undefined;
  /** Raised by every abort: a build that began under another number is dropped. */
  private generation = 0;
  private separateFailedAt = Number.NEGATIVE_INFINITY;
  private building: Promise<void> | undefined;
  private again = false;
  /** Ids written in this process while a rebuild runs: carried over onto the new base. */
  private writtenDuringBuild: Set<string> | undefined;
  private foldTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Counts of builds, for tests and the benchmark. */
  readonly stats = {
    fullBuilds: 0,
    backgroundBuilds: 0,
    /** Builds (at start or in the background) run by a process of their own. */
    separateBuilds: 0,
    /** Starts from a saved model. */
    loads: 0,
    incremental: 0,
    lastBuildMs: 0,
  };

  /**
   * A store whose model is built here and now; `open` is the way in for a database of any size.
   * @param initial a model already built (by `open`), instead of building one
   */
  constructor(
    private readonly database: OpenDatabase,
    places: Places,
    vocabulary: Vocabulary,
    private readonly options: ReadModelOptions,
    initial?: ReadModel,
  ) {
    this.context = { places, vocabulary };
    this.syncRebuildBelow = options.syncRebuildBelow ?? 2_000;
    this.chunk = options.chunk ?? 2_000;
    this.foldAfterMs = options.foldAfterMs ?? 1_000;
    this.separateBuildFrom = options.separateBuildFrom ?? defaultReadModelBuildProcessFrom;
    this.model = initial ?? this.buildNow();
    onWithdrawal(database, () => this.abortBuild());
  }

  /**
   * The store for a database: a small dataset's model is built here; a large one's is read from the model
   * saved beside the database when that was saved from exactly the data there now, else built in a
   * process of its own (and saved for the next start).
   */
  static async open(
    database: OpenDatabase,
    places: Places,
    vocabulary: Vocabulary,
    options: ReadModelOptions,
  ): Promise<ReadModelStore> {
    const from = options.separateBuildFrom ?? defaultReadModelBuildProcessFrom;
    if (options.path === ':memory:' || countResources(database.db) < from)
      return new ReadModelStore(database, places, vocabulary, options);
    const sqlite = database.sqlite;
    const started = performance.now();
    let initial: ReadModel | undefined;
    const saved = savedModelPath(options.path);
    const fingerprint = await modelFingerprint(sqlite);
    // The key, version and digest of one snapshot: the saved model must match the data that key guards.
    sqlite.exec('BEGIN');
    let key: Buffer | undefined;
    let expect: { version: number; digest: string };
    try {
      key = readKey(sqlite);
      expect = { version: datasetVersion(sqlite), digest: resourcesDigest(sqlite) };
    } finally {
      sqlite.exec('COMMIT');
    }
    const found = await readSnapshot(saved, key, fingerprint, expect);
    if (typeof found !== 'string') initial = found;
    else if (found !== 'missing') options.warn?.({ reason: found }, 'saved read model not used');
    const loaded = initial !== undefined;
    initial ??= await buildSeparately(options, sqlite);
    const store = new ReadModelStore(database, places, vocabulary, options, initial);
    if (initial) {
      if (loaded) store.stats.loads += 1;
      else store.stats.separateBuilds += 1;
      store.stats.lastBuildMs = performance.now() - started;
    }
    return store;
  }

  /**
   * Read-your-writes needs no wait here: `current()` compares the dataset version on every read and takes in
   * this process's writes from the journal. The same method as FeedReadModel's, for the writers.
   */
  async caughtUp(_receipt: Pick<WriteReceipt, 'to'>): Promise<void> {}

  private buildNow(): ReadModel {
    const started = performance.now();
    const steps = buildSteps(this.database.sqlite, this.context, this.chunk);
    let step = steps.next();
    while (!step.done) step = steps.next();
    this.stats.fullBuilds += 1;
    this.stats.lastBuildMs = performance.now() - started;
    return step.value;
  }

  /** The model as of the current data, or of the data just before it while a rebuild runs. */
  current(): ReadModel {
    const version = datasetVersion(this.database.sqlite);
    if (version === this.model.version || this.closed) return this.model;
    // A small dataset is rebuilt whole at once (milliseconds): every part of the model, coverage's too, is
    // then as of the write. A large one takes the written resources now and the rest off the request path.
    if (this.model.resources.base.size < this.syncRebuildBelow) {
      writesSince(this.database.sqlite, this.model.version, version);
      this.model = this.buildNow();
      return this.model;
    }
    const { ids, complete } = writesSince(this.database.sqlite, this.model.version, version);
    // A complete chain of this process's writes: every history row up to now is one of them.
    let historyId = complete ? lastHistoryId(this.database.sqlite) : this.model.historyId;
    if (!complete) {
      // Another process wrote (an import, a second server): what it wrote is in the history, taken in now,
      // so that a withdrawn address is not served until the rebuild; a write by hand in SQL that leaves no
      // history waits for the rebuild.
      const since = historySince(this.database.sqlite, historyId);
      for (const id of since.ids) ids.add(id);
      historyId = since.last;
      void this.rebuildInBackground();
    }
    if (ids.size > 0) {
      this.applyWrites(ids, version, historyId);
      this.scheduleFold();
    } else this.model = { ...this.model, version, historyId };
    return this.model;
  }

  /** Reads the written resources from the store and lays them over the base. */
  private applyWrites(ids: ReadonlySet<string>, version: number, historyId: number): void {
    const list = [...ids];
    const written = new Map<string, IndexedEntry | null>(list.map((id) => [id, null]));
    for (let start = 0; start < list.length; start += 2_000) {
      for (const { resource, version: resourceVersion } of storedResources(
        this.database.sqlite,
        list.slice(start, start + 2_000),
      )) {
        written.set(resource.id, entryOf(resource, resourceVersion, this.context));
      }
    }
    this.model = {
      ...this.model,
      version,
      historyId,
      resources: this.model.resources.withWrites(written, version),
    };
    for (const id of ids) this.writtenDuringBuild?.add(id);
    this.stats.incremental += 1;
  }

  private scheduleFold(): void {
    if (this.foldTimer || this.closed) return;
    this.foldTimer = setTimeout(() => {
      this.foldTimer = undefined;
      if (this.model.resources.overlaySize > 0) void this.rebuildInBackground();
    }, this.foldAfterMs);
    this.foldTimer.unref();
  }

  /** Rebuilds from a snapshot in chunks, yielding to reads between them; resolves once swapped in. */
  rebuildInBackground(): Promise<void> {
    if (this.building) {
      this.again = true;
      return this.building;
    }
    this.building = this.runRebuild()
      .catch((error: Error) => {
        // Never a rejection nobody handles: the model in use stays, and the next write or fold tries again.
        this.options.warn?.({ error: error.message }, 'read model rebuild failed');
      })
      .finally(() => {
        this.building = undefined;
        if (this.again && !this.closed) {
          this.again = false;
          void this.rebuildInBackground();
        }
      });
    return this.building;
  }

  /** Whether a background rebuild is running. */
  get rebuilding(): boolean {
    return this.building !== undefined;
  }

  private async runRebuild(): Promise<void> {
    const started = performance.now();
    const generation = this.generation;
    this.writtenDuringBuild = new Set();
    const separately =
      this.options.path !== ':memory:' &&
      this.model.resources.size >= this.separateBuildFrom &&
      Date.now() - this.separateFailedAt > separateRetryAfterMs;
    const elsewhere = separately
      ? await buildSeparately(this.options, this.database.sqlite, (child) => {
          this.child = child;
        })
      : undefined;
    this.child = undefined;
    // Aborted (an address was withdrawn while it built) or closed: `again` builds anew.
    if (this.closed || this.generation !== generation) return;
    if (elsewhere) this.stats.separateBuilds += 1;
    // A build elsewhere that failed (the process could not start or save, or its model cannot be read) is
    // done here instead, and here for a while: a correct model first, memory second.
    else if (separately) this.separateFailedAt = Date.now();
    const built = elsewhere ?? (await this.buildHere());
    if (!built) return;
    const carried = this.writtenDuringBuild;
    this.writtenDuringBuild = undefined;
    // Writes of this process after the snapshot stay laid over the new base.
    const overlay = new Map<string, IndexedEntry | null>();
    for (const entry of this.model.resources.overlayEntries())
      if (carried.has(entry.id)) overlay.set(entry.id, entry);
    for (const id of carried) if (!overlay.has(id)) overlay.set(id, null);
    const version = carried.size > 0 ? this.model.version : built.version;
    const resources = overlay.size > 0 ? built.resources.withWrites(overlay, version) : built.resources;
    this.model = { version, historyId: built.historyId, resources, support: built.support };
    this.stats.backgroundBuilds += 1;
    this.stats.lastBuildMs = performance.now() - started;
  }

  /** A build on a second connection, in chunks between which reads go on; undefined once ended. */
  private async buildHere(): Promise<ReadModel | undefined> {
    const steps = buildSteps(this.builderConnection(), this.context, this.chunk);
    this.steps = steps;
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setImmediate(resolve));
      // Ended by abortBuild or close, which returned the steps (and so ended their read transaction).
      if (this.steps !== steps) return undefined;
      step = steps.next();
    }
    this.steps = undefined;
    return step.value;
  }

  /**
   * Called when this process withdrew an address: a build under way holds a read transaction, which keeps
   * the write-ahead log (with the address) from being emptied, and would save a model with the address.
   * It is ended (the builder process killed), the saved models removed (their key is gone already), and
   * the build starts again.
   */
  private abortBuild(): void {
    this.generation += 1;
    this.endBuild();
    if (this.options.path !== ':memory:') removeSavedModels(this.options.path);
    if (this.building) this.again = true;
  }

  private endBuild(): void {
    this.steps?.return(undefined as never);
    this.steps = undefined;
    this.child?.kill('SIGKILL');
  }

  private builderConnection(): Database.Database {
    if (this.options.path === ':memory:') return this.database.sqlite;
    if (!this.builder) {
      const sqlite = new Database(this.options.path, { fileMustExist: true });
      sqlite.pragma('busy_timeout = 5000');
      // A rebuild reads every page: a larger cache and memory-mapped reads spare most of the copying.
      sqlite.pragma('cache_size = -65536');
      sqlite.pragma('mmap_size = 268435456');
      this.builder = sqlite;
    }
    return this.builder;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.foldTimer) clearTimeout(this.foldTimer);
    this.endBuild();
    await this.building;
    this.builder?.close();
  }
}

/** Removes the saved model and every builder output or temporary file beside it. */
function removeSavedModels(path: string): void {
  const saved = savedModelPath(path);
  const name = basename(saved);
  for (const file of readdirSync(dirname(saved)))
    if (file === name || file.startsWith(`${name}.`)) rmSync(join(dirname(saved), file), { force: true });
}

let builds = 0;

/**
 * Runs builder-process.ts on the database into an output file of its own and reads the model from there;
 * when it can be read, it becomes the saved model (for the next start). Undefined when the process failed,
 * ran too long, or saved a model that cannot be read (an address was withdrawn while it built: the key it
 * used is gone).
 */
async function buildSeparately(
  options: ReadModelOptions,
  sqlite: Database.Database,
  started?: (child: ChildProcess) => void,
): Promise<ReadModel | undefined> {
  const saved = savedModelPath(options.path);
  const output = `${saved}.${process.pid}-${++builds}.building`;
  try {
    snapshotKey(sqlite);
    const fingerprint = await modelFingerprint(sqlite);
    const failure = await new Promise<object | undefined>((resolve) => {
      // The same Node options as this process (under the tests and tsx, the TypeScript loader), except a
      // debugger's, whose port the child could not share. It reports a failure by its code only.
      const child = fork(builderEntry, [options.path, output, fingerprint], {
        execArgv: process.execArgv.filter((option) => !option.startsWith('--inspect')),
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      started?.(child);
      let reported: string | undefined;
      const timer = setTimeout(() => child.kill('SIGKILL'), builderTimeoutMs);
      timer.unref();
      child.on('message', (message: { failed?: string }) => {
        reported = message.failed;
      });
      child.on('error', (error: NodeJS.ErrnoException) => resolve({ code: error.code }));
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(code === 0 ? undefined : { exitCode: code, signal, code: reported });
      });
    });
    if (failure) {
      options.warn?.(failure, 'read-model builder process failed; the server builds instead');
      return undefined;
    }
    // The key now: if an address was withdrawn while the builder ran, the key it used is gone.
    const model = await readSnapshot(output, readKey(sqlite), fingerprint, undefined);
    if (typeof model === 'string') return undefined;
    renameSync(output, saved);
    return model;
  } catch (error) {
    options.warn?.({ error: (error as Error).message }, 'read-model builder process failed');
    return undefined;
  } finally {
    rmSync(output, { force: true });
  }
}
