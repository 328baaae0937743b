// Coverage answers kept for as long as the read model they were computed from is current. There are few
// coverage questions (21 counties, 290 municipalities, subregions, the national overview, a handful of
// filters), each answer depends only on the support index, the county inventories, the query and the date
// or instant it is for, and a county's answer is several MB at national scale: computing and encoding it
// again for every request is most of what the request costs. A new support index (the read model rebuilt
// after a write) drops every answer; an inventory is part of the key, as inventories are not part of the
// read model. Bounded in bytes, least recently used first out. Only public answers belong here: coverage
// holds no search position and nothing confidential.

/** An answer as sent: body, media type and the headers that go with that representation. */
export interface CachedAnswer {
  body: Buffer;
  contentType: string;
  headers: Readonly<Record<string, string>>;
}

/** The bytes an answer holds: its body, its key and its headers (strings counted at two bytes a unit). */
function sizeOf(key: string, answer: CachedAnswer): number {
  let size = answer.body.length + 2 * (key.length + answer.contentType.length);
  for (const [name, value] of Object.entries(answer.headers)) size += 2 * (name.length + value.length);
  return size;
}

export class AnswerCache {
  /** What the answers were computed from; weakly held, so the cache never keeps an old read model alive. */
  private source: WeakRef<object> | undefined;
  /** In order of use, least recent first (a Map keeps insertion order; a hit is moved to the end). */
  private readonly answers = new Map<string, { answer: CachedAnswer; size: number }>();
  private held = 0;
  /** Counts, for tests and the benchmark. */
  readonly stats = { hits: 0, misses: 0, evictions: 0 };

  /** At most `maxBytes` (see `sizeOf`); 0 keeps nothing. */
  constructor(readonly maxBytes: number) {}

  /** Bytes held now. */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.answers.size;
  }

  /**
   * The answer to `key` as computed from `source`: the kept one, or the one `make` computes, kept if it fits.
   * Answers computed from any other source are dropped first.
   */
  answer(source: object, key: string, make: () => CachedAnswer): CachedAnswer {
    if (this.source?.deref() !== source) {
      this.clear();
      this.source = new WeakRef(source);
    }
    const kept = this.answers.get(key);
    if (kept) {
      this.stats.hits += 1;
      this.answers.delete(key);
      this.answers.set(key, kept);
      return kept.answer;
    }
    this.stats.misses += 1;
    const answer = make();
    const size = sizeOf(key, answer);
    if (size > this.maxBytes) return answer;
    for (const [oldest, { size: oldestSize }] of this.answers) {
      if (this.held + size <= this.maxBytes) break;
      this.answers.delete(oldest);
      this.held -= oldestSize;
      this.stats.evictions += 1;
    }
    this.answers.set(key, { answer, size });
    this.held += size;
    return answer;
  }

  clear(): void {
    this.answers.clear();
    this.held = 0;
  }
}
