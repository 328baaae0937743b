// The points in a box by position must be exactly kdbush's own `range`, read through the index's ids.
import fc from 'fast-check';
import KDBush from 'kdbush';
import t from 'tap';
import { positionsInBox } from '../../src/read-model/spatial.js';

t.test('positionsInBox is range by position, edges and repeated points included', async (t) => {
  // Coordinates on a coarse grid, so that points repeat and lie on the box's edges.
  const coordinate = fc.integer({ min: 0, max: 40 }).map((n) => n / 4);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(coordinate, coordinate), { minLength: 1, maxLength: 600 }),
      fc.tuple(coordinate, coordinate, coordinate, coordinate),
      fc.constantFrom(2, 16, 64),
      (points, [x1, y1, x2, y2], nodeSize) => {
        const index = new KDBush(points.length, nodeSize);
        for (const [x, y] of points) index.add(x, y);
        index.finish();
        const box = [Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)] as const;
        const byPosition = positionsInBox(index, ...box).map((i) => index.ids[i] as number);
        t.strictSame(
          byPosition.sort((a, b) => a - b),
          index.range(...box).sort((a, b) => a - b),
        );
      },
    ),
    { numRuns: 300, seed: 21 },
  );
});
