// Putting in order only what a page shows: the first few of many candidates, without ordering them all.

/**
 * The `count` least of `items` by `compare`, in order: the same as `items.sort(compare).slice(0, count)`
 * when `compare` is a total order (no two items compare equal), at the cost of one comparison per item
 * when `count` is small. May reorder `items`.
 */
export function leastSorted<T>(items: T[], count: number, compare: (a: T, b: T) => number): T[] {
  if (count <= 0) return [];
  // A heap gains nothing when most of the items are wanted.
  if (count * 4 >= items.length) return items.sort(compare).slice(0, count);
  // A max-heap of the least `count` seen so far: its root is the greatest of them.
  const heap: T[] = [];
  const greater = (i: number, j: number) => compare(heap[i] as T, heap[j] as T) > 0;
  const swap = (i: number, j: number) => {
    const t = heap[i] as T;
    heap[i] = heap[j] as T;
    heap[j] = t;
  };
  for (const item of items) {
    if (heap.length < count) {
      heap.push(item);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!greater(i, parent)) break;
        swap(i, parent);
        i = parent;
      }
    } else if (compare(item, heap[0] as T) < 0) {
      heap[0] = item;
      for (let i = 0; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let largest = i;
        if (left < count && greater(left, largest)) largest = left;
        if (right < count && greater(right, largest)) largest = right;
        if (largest === i) break;
        swap(i, largest);
        i = largest;
      }
    }
  }
  return heap.sort(compare);
}

/**
 * The first `count` matches by score (descending), then slot: from matches in slot order, in two passes
 * over them and a sort of the few taken, where ordering every match would cost a pass per score level.
 */
export function topByScore(
  slots: Uint32Array,
  scores: Uint16Array,
  count: number,
): { slots: Uint32Array; scores: Uint16Array } {
  const n = slots.length;
  const take = Math.min(count, n);
  if (take <= 0) return { slots: new Uint32Array(0), scores: new Uint16Array(0) };
  let maxScore = 0;
  for (let k = 0; k < n; k++) if ((scores[k] as number) > maxScore) maxScore = scores[k] as number;
  const perScore = new Uint32Array(maxScore + 1);
  for (let k = 0; k < n; k++) perScore[scores[k] as number] = (perScore[scores[k] as number] as number) + 1;
  // The lowest score the page reaches, and how many of that score it takes (the first in slot order).
  let threshold = maxScore;
  let above = 0;
  while (above + (perScore[threshold] as number) < take) above += perScore[threshold--] as number;
  let atThreshold = take - above;
  // Counting positions: each score's first place in the page, from the highest down.
  const startOf = new Uint32Array(maxScore + 1);
  for (let score = maxScore, at = 0; score >= threshold; score--) {
    startOf[score] = at;
    at += perScore[score] as number;
  }
  const pageSlots = new Uint32Array(take);
  const pageScores = new Uint16Array(take);
  for (let k = 0; k < n; k++) {
    const score = scores[k] as number;
    if (score < threshold || (score === threshold && atThreshold-- <= 0)) continue;
    const at = startOf[score] as number;
    startOf[score] = at + 1;
    pageSlots[at] = slots[k] as number;
    pageScores[at] = score;
  }
  return { slots: pageSlots, scores: pageScores };
}
