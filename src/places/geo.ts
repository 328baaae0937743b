// Pure geometry on WGS84 coordinates: great-circle distance, bounding boxes, point in polygon, and a
// locator that finds the municipality containing a point.

export interface Point {
  lat: number;
  lon: number;
}

const earthRadiusKm = 6371.0088;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in kilometres (haversine). */
export function distanceKm(a: Point, b: Point): number {
  return kmOfHaversine(haversine(a.lat, a.lon, cosLatitude(a.lat), b.lat, b.lon, cosLatitude(b.lat)));
}

/** The cosine of a latitude, as `haversine` takes it: a caller measuring many times computes it once. */
export const cosLatitude = (lat: number): number => Math.cos(toRadians(lat));

/**
 * The haversine of the central angle between two points, given their latitudes' cosines. `distanceKm` is
 * `kmOfHaversine` of it: the same arithmetic, so a caller that splits the two gets the same distance to
 * the bit, and can compare the haversine itself with a radius's where the result is not close.
 */
export function haversine(
  aLat: number,
  aLon: number,
  aCos: number,
  bLat: number,
  bLon: number,
  bCos: number,
): number {
  const dLat = toRadians(bLat - aLat);
  const dLon = toRadians(bLon - aLon);
  return Math.sin(dLat / 2) ** 2 + aCos * bCos * Math.sin(dLon / 2) ** 2;
}

export const kmOfHaversine = (h: number): number => 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));

/**
 * The haversine of a distance: what `haversine` gives for two points that far apart (up to rounding);
 * infinite from half the earth's circumference on, which every two points are within.
 */
export const haversineOfKm = (km: number): number =>
  km >= Math.PI * earthRadiusKm ? Number.POSITIVE_INFINITY : Math.sin(km / (2 * earthRadiusKm)) ** 2;

export interface BoundingBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** A box that contains every point within `radiusKm` of `center` (generous near the poles). */
export function boxAround(center: Point, radiusKm: number): BoundingBox {
  const dLat = (radiusKm / earthRadiusKm) * (180 / Math.PI);
  const cosLat = Math.cos(toRadians(Math.min(89.9, Math.abs(center.lat) + dLat)));
  const dLon = Math.min(180, dLat / Math.max(cosLat, 1e-6));
  return {
    minLat: Math.max(-90, center.lat - dLat),
    maxLat: Math.min(90, center.lat + dLat),
    minLon: center.lon - dLon,
    maxLon: center.lon + dLon,
  };
}

/** GeoJSON positions are [lon, lat]. */
type Ring = [number, number][];
export type Geometry =
  | { type: 'Polygon'; coordinates: Ring[] }
  | { type: 'MultiPolygon'; coordinates: Ring[][] };

function inRing(point: Point, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

/** Even-odd rule: inside the outer ring and outside its holes. */
function inPolygon(point: Point, rings: Ring[]): boolean {
  const [outer, ...holes] = rings;
  return outer !== undefined && inRing(point, outer) && !holes.some((hole) => inRing(point, hole));
}

export function inGeometry(point: Point, geometry: Geometry): boolean {
  return geometry.type === 'Polygon'
    ? inPolygon(point, geometry.coordinates)
    : geometry.coordinates.some((polygon) => inPolygon(point, polygon));
}

function boxOf(geometry: Geometry): BoundingBox {
  const box = { minLat: 90, maxLat: -90, minLon: 180, maxLon: -180 };
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) {
    for (const [lon, lat] of polygon[0] ?? []) {
      box.minLat = Math.min(box.minLat, lat);
      box.maxLat = Math.max(box.maxLat, lat);
      box.minLon = Math.min(box.minLon, lon);
      box.maxLon = Math.max(box.maxLon, lon);
    }
  }
  return box;
}

/** Finds the municipality whose boundary contains a point; boxes first, polygons only for candidates. */
export class MunicipalityLocator {
  private readonly areas: { code: string; box: BoundingBox; geometry: Geometry }[];

  constructor(boundaries: Iterable<[code: string, geometry: Geometry]>) {
    this.areas = [...boundaries].map(([code, geometry]) => ({ code, geometry, box: boxOf(geometry) }));
  }

  locate(point: Point): string | null {
    for (const area of this.areas) {
      const { box } = area;
      if (
        point.lat < box.minLat ||
        point.lat > box.maxLat ||
        point.lon < box.minLon ||
        point.lon > box.maxLon
      )
        continue;
      if (inGeometry(point, area.geometry)) return area.code;
    }
    return null;
  }
}
