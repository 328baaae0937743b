// Ordering only a page's worth must give what ordering everything gives, ties and short lists included.
import fc from 'fast-check';
import t from 'tap';
import { leastSorted, topByScore } from '../../src/read-model/select.js';

t.test('leastSorted is sort then slice, for a total order', async (t) => {
  fc.assert(
    fc.property(
      // Distances with many ties, told apart by a unique key, as nearby orders them.
      fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 300 }),
      fc.integer({ min: -1, max: 320 }),
      (distances, count) => {
        const items = distances.map((d, key) => ({ d, key: (key * 7919) % 1009 }));
        const unique = [...new Map(items.map((i) => [i.key, i])).values()];
        const compare = (a: (typeof unique)[number], b: (typeof unique)[number]) =>
          a.d - b.d || a.key - b.key;
        const want = [...unique].sort(compare).slice(0, Math.max(0, count));
        t.strictSame(leastSorted([...unique], count, compare), want);
      },
    ),
    { numRuns: 400, seed: 21 },
  );
});

t.test('topByScore is a sort by score (descending) then slot, cut to the count', async (t) => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.nat({ max: 5000 }), { maxLength: 400 }),
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 400, maxLength: 400 }),
      fc.integer({ min: 0, max: 450 }),
      (slotList, scoreList, count) => {
        const slots = Uint32Array.from(slotList).sort();
        const scores = Uint16Array.from(slots, (_, i) => (scoreList[i] as number) * 2);
        const want = [...slots]
          .map((slot, i) => ({ slot, score: scores[i] as number }))
          .sort((a, b) => b.score - a.score || a.slot - b.slot)
          .slice(0, count);
        const got = topByScore(slots, scores, count);
        t.strictSame(
          [...got.slots],
          want.map((w) => w.slot),
        );
        t.strictSame(
          [...got.scores],
          want.map((w) => w.score),
        );
      },
    ),
    { numRuns: 400, seed: 21 },
  );
});
