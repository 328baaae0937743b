// The set operations under every filtered read: intersect (lists sought, bitmaps looked up) and union must
// give what plain sets give, for lists of any lengths, empty ones and long runs included.
import fc from 'fast-check';
import t from 'tap';
import { intersect, union } from '../../src/read-model/postings.js';

const size = 600;
const postings = fc
  .uniqueArray(fc.nat({ max: size - 1 }), { maxLength: size })
  .map((slots) => Uint32Array.from(slots).sort());
const bitmap = fc.uniqueArray(fc.nat({ max: size - 1 }), { maxLength: size }).map((slots) => {
  const map = new Uint8Array(size);
  for (const slot of slots) map[slot] = 1;
  return map;
});

t.test('intersect is the slots in every list and marked in every bitmap, in order', async (t) => {
  fc.assert(
    fc.property(
      fc.array(postings, { minLength: 1, maxLength: 4 }),
      fc.array(bitmap, { maxLength: 3 }),
      (lists, maps) => {
        const want = [...(lists[0] as Uint32Array)].filter(
          (slot) => lists.every((list) => list.includes(slot)) && maps.every((map) => map[slot] === 1),
        );
        t.strictSame([...intersect(lists, maps)], want);
      },
    ),
    { numRuns: 500, seed: 21 },
  );
  t.throws(() => intersect([]), RangeError, 'no list to walk');
});

t.test('union is the sorted slots in any list, each once', async (t) => {
  fc.assert(
    fc.property(fc.array(postings, { maxLength: 4 }), (lists) => {
      const want = [...new Set(lists.flatMap((list) => [...list]))].sort((a, b) => a - b);
      t.strictSame([...union(lists)], want);
    }),
    { numRuns: 300, seed: 21 },
  );
});
