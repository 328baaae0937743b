// The one place that builds and refreshes the read model: the resources index (src/resources/index.ts)
// and coverage's support index, built from the store at start and whenever the dataset version moves.
// A write this process made (recorded in the journal) is applied at once, as an overlay, so the next read
// sees it; anything else (another process, a rolled-back write), and the overlay's folding into a new
// base, is rebuilt off the request path on a second connection, in chunks between which reads go on
// with the old model. A new model replaces the old in one assignment: a read sees one or the other.
import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { locatedPoint } from '../coverage/compute.js';
import { type ResourceStatus, type SupportIndex, SupportIndexBuilder } from '../coverage/support-index.js';
import type { OpenDatabase } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import type { CompiledHours } from '../hours/open-at.js';
import { projectRoot } from '../paths.js';
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
import {
  fromSources,
  modelFingerprint,
  readKey,
  readSnapshot,
  resourcesDigest,
  snapshotKey,
} from './snapshot.js';

export interface ReadModel {
  version: number;
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
}

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
    // One read transaction: the version and every row are of one snapshot.
    const version = datasetVersion(sqlite);
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
    return { version, resources: new ResourceIndex(resources.build(), version), support: support.build() };
  } finally {
    sqlite.exec('COMMIT');
  }
}

function addSupport(
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
    this.separateBuildFrom = options.separateBuildFrom ?? 20_000;
    this.model = initial ?? this.buildNow();
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
    const from = options.separateBuildFrom ?? 20_000;
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
    const loaded = initial !== undefined;
    initial ??= await buildSeparately(options.path, sqlite).catch(() => undefined);
    const store = new ReadModelStore(database, places, vocabulary, options, initial);
    if (initial) {
      if (loaded) store.stats.loads += 1;
      else store.stats.separateBuilds += 1;
      store.stats.lastBuildMs = performance.now() - started;
    }
    return store;
  }

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
    if (ids.size > 0) {
      this.applyWrites(ids, version);
      this.scheduleFold();
    } else this.model = { ...this.model, version };
    if (!complete) this.rebuildInBackground();
    return this.model;
  }

  /** Reads the written resources from the store and lays them over the base. */
  private applyWrites(ids: ReadonlySet<string>, version: number): void {
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
    this.model = { ...this.model, version, resources: this.model.resources.withWrites(written, version) };
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
    this.building = this.runRebuild().finally(() => {
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
    this.writtenDuringBuild = new Set();
    const separately =
      this.options.path !== ':memory:' && this.model.resources.size >= this.separateBuildFrom;
    // A build elsewhere that fails (the process could not start, or an address was withdrawn meanwhile
    // and its model cannot be read) is done here instead: a correct model first, memory second.
    const elsewhere = separately
      ? await buildSeparately(this.options.path, this.database.sqlite, (child) => {
          this.child = child;
        })
      : undefined;
    if (elsewhere) this.stats.separateBuilds += 1;
    if (this.closed) return;
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
    this.model = { version, resources, support: built.support };
    this.stats.backgroundBuilds += 1;
    this.stats.lastBuildMs = performance.now() - started;
  }

  /** A build on a second connection, in chunks between which reads go on; undefined once closed. */
  private async buildHere(): Promise<ReadModel | undefined> {
    const steps = buildSteps(this.builderConnection(), this.context, this.chunk);
    let step = steps.next();
    while (!step.done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.closed) {
        steps.return(undefined as never);
        return undefined;
      }
      step = steps.next();
    }
    return step.value;
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
    this.child?.kill();
    await this.building;
    this.builder?.close();
  }
}

/**
 * Runs builder-process.ts on the database and reads the model it saved; undefined when it failed or when
 * the model it saved cannot be read (an address was withdrawn while it built: the key it used is gone).
 */
async function buildSeparately(
  path: string,
  sqlite: Database.Database,
  started?: (child: ChildProcess) => void,
): Promise<ReadModel | undefined> {
  const saved = savedModelPath(path);
  snapshotKey(sqlite);
  const ok = await new Promise<boolean>((resolve) => {
    // The same Node options as this process (under the tests and tsx, the TypeScript loader), except a
    // debugger's, whose port the child could not share.
    const child = fork(builderEntry, [path, saved], {
      execArgv: process.execArgv.filter((option) => !option.startsWith('--inspect')),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    started?.(child);
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  if (!ok) return undefined;
  // The key now: if an address was withdrawn while the builder ran, the key it used is gone.
  const model = await readSnapshot(saved, readKey(sqlite), await modelFingerprint(sqlite), undefined);
  return typeof model === 'string' ? undefined : model;
}
