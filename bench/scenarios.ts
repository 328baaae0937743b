// The requests the benchmark measures: what apps and county staff ask most, on a national-sized dataset.
import type { Point } from '../src/places/geo.js';
import type { Places } from '../src/places/places.js';

export type ScenarioId =
  | 'filtered-list'
  | 'nearby'
  | 'nearby-rotating'
  | 'full-text'
  | 'one-resource'
  | 'coverage-county'
  | 'coverage-national';

/** The nearby scenarios asked in PostGIS directly (`--database-url`): SQL through a pg Pool, no HTTP. */
export type PostgisId = 'postgis-nearby' | 'postgis-nearby-rotating';

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** Paths sent in turn on every connection; one path for a fixed request. */
  paths: string[];
  /** For routes still being written: a 404 skips the scenario instead of failing it. */
  skipIfMissing: boolean;
}

/** Göteborg's centre: the largest cluster of resources in the dataset, so the heaviest nearby answer. */
export const nearbyPath = '/v1/resources/nearby?lat=57.7089&lon=11.9746&radiusKm=50';

const nearbyAt = (point: Point) => `/v1/resources/nearby?lat=${point.lat}&lon=${point.lon}&radiusKm=50`;

/** The seats of the `count` most populous municipalities: the points most asked about. */
export function busiestSeats(places: Places, count = 20): Point[] {
  return [...places.municipalities.values()]
    .sort((a, b) => b.population2016 - a.population2016)
    .slice(0, count)
    .map((m) => ({ lat: m.seatLat, lon: m.seatLon }));
}

export function scenarios(input: { resourceId: string; seats: readonly Point[] }): Scenario[] {
  const fixed = (id: ScenarioId, title: string, path: string, skipIfMissing = false): Scenario => ({
    id,
    title,
    paths: [path],
    skipIfMissing,
  });
  return [
    fixed(
      'filtered-list',
      'filtered list (Göteborg, close-relationship, subjected)',
      '/v1/resources?municipality=1480&area=close-relationship&role=subjected&limit=20',
    ),
    fixed('nearby', 'nearby (Göteborg, 50 km)', nearbyPath),
    {
      id: 'nearby-rotating',
      title: `nearby (${input.seats.length} municipality seats in turn, 50 km)`,
      paths: input.seats.map(nearbyAt),
      skipIfMissing: false,
    },
    fixed('full-text', 'full text (q=stod kvinnor)', '/v1/resources?q=stod%20kvinnor&limit=20'),
    fixed('one-resource', 'one resource by id', `/v1/resources/${input.resourceId}`),
    fixed('coverage-county', 'coverage of a county (14)', '/v1/coverage?county=14', true),
    fixed('coverage-national', 'national coverage', '/v1/coverage/national', true),
  ];
}
