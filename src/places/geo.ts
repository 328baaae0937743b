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
  const dLat = toRadians(b.lat - a.lat);
  const dLon = toRadians(b.lon - a.lon);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

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
