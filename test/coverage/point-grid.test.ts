// The reach grid answers exactly what a brute-force minimum over the accepted points answers, whether the
// points are spread over Sweden, packed into one bucket, or far from the query, and whatever a query
// passes over.
import { deepStrictEqual } from 'node:assert/strict';
import fc from 'fast-check';
import t from 'tap';
import { PointGrid } from '../../src/coverage/point-grid.js';
import { distanceKm, type Point } from '../../src/places/geo.js';

const sweden = fc.record({
  lat: fc.double({ min: 55, max: 69.5, noNaN: true }),
  lon: fc.double({ min: 10, max: 24.5, noNaN: true }),
});
/** Points within a few km of each other: many in one bucket, many near its edges. */
const cluster = fc
  .record({
    lat: fc.double({ min: 57, max: 58, noNaN: true }),
    lon: fc.double({ min: 14, max: 15, noNaN: true }),
  })
  .chain((centre) =>
    fc.record({
      lat: fc.double({ min: centre.lat - 0.05, max: centre.lat + 0.05, noNaN: true }),
      lon: fc.double({ min: centre.lon - 0.05, max: centre.lon + 0.05, noNaN: true }),
    }),
  );
/** Anywhere on Earth, for queries far outside the grid. */
const anywhere = fc.record({
  lat: fc.double({ min: -89, max: 89, noNaN: true }),
  lon: fc.double({ min: -179, max: 179, noNaN: true }),
});

function bruteForce(from: Point, points: readonly Point[], accepted: readonly boolean[]): number | null {
  let best: number | null = null;
  points.forEach((point, i) => {
    if (!accepted[i]) return;
    const km = distanceKm(from, point);
    if (best === null || km < best) best = km;
  });
  return best;
}

const gridOf = (points: readonly Point[]) =>
  new PointGrid(
    points.map((p) => p.lat),
    points.map((p) => p.lon),
    points.map((_, i) => i),
  );

t.test('the nearest accepted point, exactly as brute force finds it', async (t) => {
  const world = fc
    .oneof(fc.array(sweden, { maxLength: 300 }), fc.array(cluster, { maxLength: 300 }))
    .chain((points) =>
      fc.record({
        points: fc.constant(points),
        accepted: fc.array(fc.boolean(), { minLength: points.length, maxLength: points.length }),
        queries: fc.array(fc.oneof(sweden, cluster, anywhere), { minLength: 1, maxLength: 20 }),
      }),
    );
  fc.assert(
    fc.property(world, ({ points, accepted, queries }) => {
      const grid = gridOf(points);
      for (const from of queries) {
        deepStrictEqual(
          grid.nearestKm(from, (i) => accepted[i] === true),
          bruteForce(from, points, accepted),
        );
        deepStrictEqual(
          grid.nearestKm(from),
          bruteForce(
            from,
            points,
            points.map(() => true),
          ),
        );
      }
    }),
    { numRuns: 400 },
  );
  t.pass('400 random point sets agree');
});

t.test('edge cases: no points, one point, the query on a point, nothing accepted', async (t) => {
  t.equal(gridOf([]).nearestKm({ lat: 57, lon: 14 }), null);
  const one = gridOf([{ lat: 57.7, lon: 11.97 }]);
  t.equal(one.nearestKm({ lat: 57.7, lon: 11.97 }), 0);
  t.equal(
    one.nearestKm({ lat: 57.7, lon: 11.97 }, () => false),
    null,
  );
  const from = { lat: 67.86, lon: 20.22 };
  t.equal(one.nearestKm(from), distanceKm(from, { lat: 57.7, lon: 11.97 }), 'from far outside the grid');
  const row = gridOf(Array.from({ length: 50 }, (_, i) => ({ lat: 56 + i * 0.25, lon: 14 })));
  t.equal(
    row.nearestKm({ lat: 56.1, lon: 14 }, (i) => i === 49),
    distanceKm({ lat: 56.1, lon: 14 }, { lat: 68.25, lon: 14 }),
  );
});
