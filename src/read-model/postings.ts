// Posting lists: sorted Uint32Arrays of integer slots, with the set operations the read model needs.
// Every operation here costs in proportion to the lists it is given, never to the whole dataset.

export type Postings = Uint32Array;

export const emptyPostings: Postings = new Uint32Array(0);

/** The first position in `list` at or after `from` whose value is ≥ `value` (galloping, then binary). */
export function seek(list: Postings, value: number, from: number): number {
  let step = 1;
  let low = from;
  let high = from;
  while (high < list.length && (list[high] as number) < value) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > list.length) high = list.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((list[mid] as number) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The slots in every list and marked (1) in every bitmap: walks the shortest list and probes the others, a
 * list by seeking in it, a bitmap by one lookup.
 */
export function intersect(lists: readonly Postings[], maps: readonly Uint8Array[] = []): Postings {
  if (lists.length === 0) throw new RangeError('intersect needs at least one list');
  if (lists.length === 1 && maps.length === 0) return lists[0] as Postings;
  const sorted = [...lists].sort((a, b) => a.length - b.length);
  const [shortest, ...others] = sorted as [Postings, ...Postings[]];
  const out = new Uint32Array(shortest.length);
  const at = new Array<number>(others.length).fill(0);
  let n = 0;
  outer: for (const value of shortest) {
    for (let m = 0; m < maps.length; m++) if ((maps[m] as Uint8Array)[value] !== 1) continue outer;
    for (let i = 0; i < others.length; i++) {
      const list = others[i] as Postings;
      const p = seek(list, value, at[i] as number);
      at[i] = p;
      if (p >= list.length) break outer;
      if (list[p] !== value) continue outer;
    }
    out[n++] = value;
  }
  return out.subarray(0, n);
}

/** The slots in any of the lists, sorted, without repeats. */
export function union(lists: readonly Postings[]): Postings {
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 0) return emptyPostings;
  if (nonEmpty.length === 1) return nonEmpty[0] as Postings;
  let total = 0;
  for (const list of nonEmpty) total += list.length;
  const all = new Uint32Array(total);
  let offset = 0;
  for (const list of nonEmpty) {
    all.set(list, offset);
    offset += list.length;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) {
    if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i] as number;
  }
  return all.subarray(0, n);
}

/** Builds posting lists by key from (key, slot) pairs added in ascending slot order. */
export class PostingsBuilder {
  private readonly lists = new Map<string, number[]>();

  add(key: string, slot: number): void {
    const list = this.lists.get(key);
    if (list === undefined) this.lists.set(key, [slot]);
    else if (list[list.length - 1] !== slot) list.push(slot);
  }

  build(): Map<string, Postings> {
    const out = new Map<string, Postings>();
    for (const [key, list] of this.lists) out.set(key, Uint32Array.from(list));
    return out;
  }
}
