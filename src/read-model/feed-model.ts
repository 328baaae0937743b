// The read model of a replica that follows the store's ChangeFeed (src/db/store.ts), on either engine: built
// from `bulkLoad` at start, then kept as of the database by the written resources `changesSince` names, read
// with `getResources` and laid over the base. It hears of a new version three ways: the write this process
// just made (`caughtUp`, awaited by the writer: a client sees its own write on its next request), the feed's
// subscription (PostgreSQL's NOTIFY from any replica; SQLite's own writes), and a poll of `datasetVersion`
// once a second, the safety net for a notice lost while the listener reconnected, and the only way a SQLite
// reader learns of another process's write. When the record does not reach back to the model's version
// (pruned on PostgreSQL; another process on SQLite), or the overlay has lasted `foldAfterMs`, the model is
// rebuilt from a fresh `bulkLoad` off the request path, and swapped in whole.
//
// Reads never wait: `current()` returns the model as it stands. Every step (catching up, rebuilding) runs one
// at a time, so a rebuilt model (from a snapshot taken after the last step) is never older than the one it
// replaces.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SupportIndexBuilder } from '../coverage/support-index.js';
import type { ChangeFeed, ResourceStore, WriteReceipt } from '../db/store.js';
import type { Places } from '../places/places.js';
import {
  BaseIndexBuilder,
  type EntryContext,
  entryOf,
  type IndexedEntry,
  ResourceIndex,
} from '../resources/index.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { addSupport, type ReadModel } from './store.js';

export interface FeedReadModelOptions {
  /** How often the version is polled, whatever the subscription says. */
  pollMs?: number;
  /** Resources per `bulkLoad` batch, indexed between two turns of the event loop. */
  batchSize?: number;
  /** Below this many resources a change rebuilds the model whole at once (milliseconds); above, an overlay. */
  rebuildWholeBelow?: number;
  /** How long after a change the overlay is folded into a new base. */
  foldAfterMs?: number;
  /** Where a failed step is told (the app's log); the model in use stays. */
  warn?: (details: object, message: string) => void;
}

export class FeedReadModel {
  private model: ReadModel;
  private readonly context: EntryContext;
  private readonly options: Required<Omit<FeedReadModelOptions, 'warn'>> & Pick<FeedReadModelOptions, 'warn'>;
  private stepping: Promise<void> | undefined;
  private again = false;
  /** Set when the next step must rebuild whole (a fold is due, or a load was aborted). */
  private rebuildDue = false;
  private load: AbortController | undefined;
  private loading: Promise<unknown> | undefined;
  private readonly stops: (() => void)[] = [];
  private poll: NodeJS.Timeout | undefined;
  private foldTimer: NodeJS.Timeout | undefined;
  private readonly waiting = new Set<{ version: number; resolve: () => void }>();
  private closed = false;
  /** Counts, for tests and the benchmark. */
  readonly stats = { fullBuilds: 0, incremental: 0, abortedLoads: 0 };

  private constructor(
    private readonly feed: ChangeFeed,
    private readonly resources: Pick<ResourceStore, 'getResources'>,
    context: EntryContext,
    options: FeedReadModelOptions,
    initial: ReadModel,
  ) {
    this.context = context;
    this.options = {
      pollMs: options.pollMs ?? 1_000,
      batchSize: options.batchSize ?? 2_000,
      rebuildWholeBelow: options.rebuildWholeBelow ?? 2_000,
      foldAfterMs: options.foldAfterMs ?? 1_000,
      warn: options.warn,
    };
    this.model = initial;
  }

  /** Loads the model, then follows the feed until `close`. */
  static async open(
    feed: ChangeFeed,
    resources: Pick<ResourceStore, 'getResources'>,
    places: Places,
    vocabulary: Vocabulary,
    options: FeedReadModelOptions = {},
  ): Promise<FeedReadModel> {
    const context = { places, vocabulary };
    const initial = await loadModel(feed, context, options.batchSize ?? 2_000);
    const model = new FeedReadModel(feed, resources, context, options, initial);
    model.stats.fullBuilds += 1;
    model.follow();
    return model;
  }

  /** The model as of the last version taken in. */
  current(): ReadModel {
    return this.model;
  }

  /** Resolves once the model has taken in this write (read-your-writes for the process that made it). */
  async caughtUp(receipt: Pick<WriteReceipt, 'to'>): Promise<void> {
    if (this.model.version >= receipt.to || this.closed) return;
    const reached = this.whenAt(receipt.to);
    void this.step();
    await reached;
  }

  /** Resolves once the model is at `version` or later (or closed): how a test awaits a replica, no sleeps. */
  whenAt(version: number): Promise<void> {
    if (this.model.version >= version || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.add({ version, resolve });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.stops) stop();
    if (this.poll) clearInterval(this.poll);
    if (this.foldTimer) clearTimeout(this.foldTimer);
    this.load?.abort();
    await this.stepping;
    for (const waiter of this.waiting) waiter.resolve();
    this.waiting.clear();
  }

  private follow(): void {
    this.stops.push(
      this.feed.subscribe((version) => {
        if (version > this.model.version) void this.step();
      }),
      // Before the store removes a withdrawn address's old row versions: a load under way is ended (its
      // snapshot keeps them) and the next step loads again.
      this.feed.onWithdrawal(async () => {
        if (!this.load) return;
        this.load.abort();
        this.rebuildDue = true;
        this.again = true;
        await this.loading?.catch(() => {});
      }),
    );
    this.poll = setInterval(() => {
      this.feed.datasetVersion().then(
        (version) => {
          if (version !== this.model.version) void this.step();
        },
        // The database is away: /ready says so; the poll tries again in a second.
        () => {},
      );
    }, this.options.pollMs);
    // Not unref'd: like the PostgreSQL listener's connection, the poll lives until `close`.
  }

  /** Runs one step after another until nothing is left to do; one at a time. */
  private step(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.stepping) {
      this.again = true;
      return this.stepping;
    }
    this.stepping = (async () => {
      do {
        this.again = false;
        try {
          await this.catchUp();
        } catch (error) {
          if (this.closed) break;
          if ((error as Error).name === 'AbortError') {
            this.stats.abortedLoads += 1;
            continue;
          }
          // The model in use stays; the next notice, poll or fold tries again.
          this.options.warn?.({ error: (error as Error).message }, 'read model could not follow the store');
          break;
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.stepping = undefined;
    });
    return this.stepping;
  }

  private async catchUp(): Promise<void> {
    if (this.rebuildDue) return this.rebuild();
    const changes = await this.feed.changesSince(this.model.version);
    if (changes.version === this.model.version) return;
    // Incomplete (pruned, or written by another SQLite process), or behind (the database was replaced), or
    // small enough that a whole build takes milliseconds (and keeps coverage's index current too).
    if (
      !changes.complete ||
      changes.version < this.model.version ||
      this.model.resources.size < this.options.rebuildWholeBelow
    )
      return this.rebuild();
    const written = new Map<string, IndexedEntry | null>(changes.ids.map((id) => [id, null]));
    for (let start = 0; start < changes.ids.length; start += this.options.batchSize) {
      const found = await this.resources.getResources(
        changes.ids.slice(start, start + this.options.batchSize),
      );
      for (const { resource, version } of found)
        written.set(resource.id, entryOf(resource, version, this.context));
    }
    // Read after `changesSince`: a resource may be newer than `changes.version`, never older, and the next
    // step reads it again.
    this.swap({
      ...this.model,
      version: changes.version,
      resources: this.model.resources.withWrites(written, changes.version),
    });
    this.stats.incremental += 1;
    this.scheduleFold();
  }

  private async rebuild(): Promise<void> {
    this.rebuildDue = false;
    const load = new AbortController();
    this.load = load;
    const loading = loadModel(this.feed, this.context, this.options.batchSize, load.signal);
    this.loading = loading;
    try {
      const built = await loading;
      this.swap(built);
      this.stats.fullBuilds += 1;
    } catch (error) {
      if ((error as Error).name === 'AbortError') this.rebuildDue = true;
      throw error;
    } finally {
      this.load = undefined;
      this.loading = undefined;
    }
  }

  private swap(model: ReadModel): void {
    this.model = model;
    for (const waiter of this.waiting) {
      if (model.version >= waiter.version) {
        waiter.resolve();
        this.waiting.delete(waiter);
      }
    }
  }

  private scheduleFold(): void {
    if (this.foldTimer || this.closed) return;
    this.foldTimer = setTimeout(() => {
      this.foldTimer = undefined;
      if (this.model.resources.overlaySize === 0) return;
      this.rebuildDue = true;
      void this.step();
    }, this.options.foldAfterMs);
    this.foldTimer.unref();
  }
}

/** A whole model from one `bulkLoad`, yielding to the event loop between batches. */
async function loadModel(
  feed: ChangeFeed,
  context: EntryContext,
  batchSize: number,
  signal?: AbortSignal,
): Promise<ReadModel> {
  const resources = new BaseIndexBuilder();
  const support = new SupportIndexBuilder(context.vocabulary.cells(), context.places.municipalities.keys());
  const { version } = await feed.bulkLoad(
    async (batch) => {
      for (const { resource, version: resourceVersion } of batch) {
        const entry = entryOf(resource, resourceVersion, context);
        resources.add(entry);
        addSupport(support, resource, entry.hours, context.places);
      }
      await nextTurn();
    },
    { batchSize, ...(signal ? { signal } : {}) },
  );
  return {
    version,
    // Unused here: the feed, not the history, says what changed.
    historyId: 0,
    resources: new ResourceIndex(resources.build(), version),
    support: support.build(),
  };
}
