// Nearby search against a brute-force computation, on random resources and random points (fast-check).

import fc from 'fast-check';
import t from 'tap';
import { distanceKm, type Geometry, inGeometry, type Point } from '../../src/places/geo.js';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { type Body, buildTestApp, importEntries, queryRows, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t, { SEED_IF_EMPTY: 'false' });
const municipalities = [...app.places.municipalities.values()];
const codes = municipalities.map((m) => m.code);

// Southern and central Sweden with a margin over the sea, Norway and Denmark.
const lat = fc.double({ min: 55, max: 61, noNaN: true });
const lon = fc.double({ min: 10.5, max: 19, noNaN: true });
const code = fc.constantFrom(...codes);
const location = fc.oneof(
  fc.record({ visibility: fc.constant('public' as const), municipality: code, lat, lon }),
  fc.record({ visibility: fc.constant('public' as const), municipality: code }),
  fc.record({ visibility: fc.constant('confidential' as const), municipality: code }),
);
const resource = fc.record({
  name: fc.constantFrom('Alfa', 'Beta', 'Gamma', 'Delta'),
  served: fc.uniqueArray(code, { minLength: 1, maxLength: 6 }),
  locations: fc.array(location, { maxLength: 3 }),
});

const generated: ResourceInput[] = fc
  .sample(resource, { numRuns: 250, seed: 20261123 })
  .map((r) =>
    resourceInput({ name: r.name, serviceArea: { municipalities: r.served }, locations: r.locations }),
  );
// Every municipality served by something, so that points often fall in a served municipality.
generated.push(
  resourceInput({ name: 'Regional', serviceArea: { counties: ['14', '06', '12', '01'] }, locations: [] }),
);
await importEntries(app, generated, { source: 'generated', today: '2026-11-23' });

const boundaries = (
  await queryRows<{ code: string; boundary: string }>(app, 'SELECT code, boundary FROM municipalities')
).map((row) => ({ code: row.code, geometry: JSON.parse(row.boundary) as Geometry }));

/** The brute force: every resource, every location, every boundary; no index, no SQL. */
function expected(point: Point, radiusKm: number) {
  const here = boundaries.find((b) => inGeometry(point, b.geometry))?.code ?? null;
  const rows = generated.flatMap((r) => {
    const servesLocation = here !== null && app.places.expand(r.serviceArea).includes(here);
    let best: { d: number; approximate: boolean } | null = null;
    for (const l of r.locations) {
      const seat = app.places.municipalities.get(l.municipality);
      const exact = l.lat !== undefined && l.lon !== undefined;
      const at = exact
        ? { lat: l.lat as number, lon: l.lon as number }
        : { lat: seat?.seatLat ?? 0, lon: seat?.seatLon ?? 0 };
      const d = distanceKm(point, at);
      if (!best || d < best.d) best = { d, approximate: !exact };
    }
    if (!servesLocation && (!best || best.d > radiusKm)) return [];
    return [
      {
        id: r.id as string,
        name: r.name,
        servesLocation,
        distanceKm: best ? Math.round(best.d * 10) / 10 : null,
        distanceApproximate: best?.approximate ?? false,
      },
    ];
  });
  rows.sort(
    (a, b) =>
      Number(b.servesLocation) - Number(a.servesLocation) ||
      (a.distanceKm ?? Number.POSITIVE_INFINITY) - (b.distanceKm ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name, 'en') ||
      (a.id < b.id ? -1 : 1),
  );
  return { municipality: here, rows };
}

async function actual(point: Point, radiusKm: number) {
  const rows: Body[] = [];
  let municipality: string | null = null;
  for (let page = 1; page <= 20; page++) {
    const { body } = await request(app, {
      method: 'POST',
      url: '/v1/resources/search',
      payload: { ...point, radiusKm, limit: 100, page },
    });
    municipality = body.municipality?.code ?? null;
    rows.push(
      ...body.items.map((r: Body) => ({
        id: r.id,
        name: r.name,
        servesLocation: r.servesLocation,
        distanceKm: r.distanceKm,
        distanceApproximate: r.distanceApproximate,
      })),
    );
    if (page >= body.totalPages) break;
  }
  return { municipality, rows };
}

t.test('nearby equals the brute force on random points and radii', async (t) => {
  let compared = 0;
  await fc.assert(
    fc.asyncProperty(
      lat,
      lon,
      fc.double({ min: 0.5, max: 400, noNaN: true }),
      async (pointLat, pointLon, radiusKm) => {
        const point = { lat: pointLat, lon: pointLon };
        const want = expected(point, radiusKm);
        const got = await actual(point, radiusKm);
        compared += 1;
        // Ties in distance at 0.1 km may order differently only if names and ids tie too, which they never do.
        t.strictSame(
          got,
          want,
          `at ${pointLat.toFixed(3)},${pointLon.toFixed(3)} within ${radiusKm.toFixed(1)} km`,
        );
      },
    ),
    { numRuns: 60, seed: 42 },
  );
  t.equal(compared, 60);
});
