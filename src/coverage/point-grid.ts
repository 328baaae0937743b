// Nearest-point search for reach: a uniform grid of half-degree buckets searched in rings outwards from
// the query. Exact: every bucket and ring is skipped only when a lower bound on the great-circle distance
// to anything in it is no nearer than the best distance found, and candidates are measured with
// `distanceKm` itself, so the answer is the brute-force minimum.
import { distanceKm, type Point } from '../places/geo.js';

/** About 55 km north–south: a few dozen points per bucket at 100 000 resources. */
const bucketDegrees = 0.5;
/** A little under geo.ts's mean radius, so that rounding never lets a lower bound exceed a distance. */
const lowerBoundRadiusKm = 6371;
/** Bucket edges are widened by this much, so that a point rounded into a bucket lies within its edges. */
const edgeSlackDegrees = 1e-9;
const radians = Math.PI / 180;

/**
 * A lower bound on the distance from a point whose latitude has the cosine `cosFrom` to any point at least
 * `dLat` degrees away in latitude and `dLon` (under 180) in longitude, whose latitude has a cosine of at
 * least `cosLat`. Haversine grows with both differences (up to 180°) and with the latitudes' cosines.
 */
function lowerBoundKm(cosFrom: number, dLat: number, dLon: number, cosLat: number): number {
  const sinLat = Math.sin((dLat * radians) / 2);
  const sinLon = Math.sin((dLon * radians) / 2);
  const h = sinLat * sinLat + cosFrom * cosLat * sinLon * sinLon;
  return 2 * lowerBoundRadiusKm * Math.asin(Math.min(1, Math.sqrt(h)));
}

const minCos = (lowLat: number, highLat: number) =>
  Math.min(Math.cos(lowLat * radians), Math.cos(highLat * radians));

export class PointGrid {
  readonly size: number;
  private readonly rows: number;
  private readonly columns: number;
  private readonly minLat: number;
  private readonly minLon: number;
  private readonly maxLon: number;
  private readonly cosLatGrid: number;
  /** Bucket b holds the points start[b] … start[b + 1] − 1 of `lat`, `lon` and `owner`. */
  private readonly start: Uint32Array;
  private readonly lat: Float64Array;
  private readonly lon: Float64Array;
  private readonly owner: Uint32Array;
  /** Each bucket's extent: the least and greatest latitude and longitude of its points. */
  private readonly extent: Float64Array;

  /** `owner[i]` says whose point i is (a resource's index), for a query to accept or pass over it. */
  constructor(lat: ArrayLike<number>, lon: ArrayLike<number>, owner: ArrayLike<number>) {
    const size = lat.length;
    this.size = size;
    let minLat = Number.POSITIVE_INFINITY;
    let maxLat = Number.NEGATIVE_INFINITY;
    let minLon = Number.POSITIVE_INFINITY;
    let maxLon = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < size; i++) {
      const la = lat[i] as number;
      const lo = lon[i] as number;
      if (la < minLat) minLat = la;
      if (la > maxLat) maxLat = la;
      if (lo < minLon) minLon = lo;
      if (lo > maxLon) maxLon = lo;
    }
    if (size === 0) minLat = maxLat = minLon = maxLon = 0;
    this.minLat = minLat;
    this.minLon = minLon;
    this.maxLon = maxLon;
    this.cosLatGrid = minCos(minLat, maxLat);
    this.rows = Math.floor((maxLat - minLat) / bucketDegrees) + 1;
    this.columns = Math.floor((maxLon - minLon) / bucketDegrees) + 1;

    // A counting sort of the points into their buckets.
    const bucketOf = new Uint32Array(size);
    const start = new Uint32Array(this.rows * this.columns + 1);
    for (let i = 0; i < size; i++) {
      const bucket = this.rowOf(lat[i] as number) * this.columns + this.columnOf(lon[i] as number);
      bucketOf[i] = bucket;
      start[bucket + 1] = (start[bucket + 1] as number) + 1;
    }
    for (let b = 1; b < start.length; b++) start[b] = (start[b] as number) + (start[b - 1] as number);
    const next = start.slice(0, -1);
    this.lat = new Float64Array(size);
    this.lon = new Float64Array(size);
    this.owner = new Uint32Array(size);
    for (let i = 0; i < size; i++) {
      const bucket = bucketOf[i] as number;
      const at = next[bucket] as number;
      next[bucket] = at + 1;
      this.lat[at] = lat[i] as number;
      this.lon[at] = lon[i] as number;
      this.owner[at] = owner[i] as number;
    }
    this.start = start;

    this.extent = new Float64Array((start.length - 1) * 4);
    for (let b = 0; b + 1 < start.length; b++) {
      let low = Number.POSITIVE_INFINITY;
      let high = Number.NEGATIVE_INFINITY;
      let west = Number.POSITIVE_INFINITY;
      let east = Number.NEGATIVE_INFINITY;
      for (let i = start[b] as number; i < (start[b + 1] as number); i++) {
        const la = this.lat[i] as number;
        const lo = this.lon[i] as number;
        if (la < low) low = la;
        if (la > high) high = la;
        if (lo < west) west = lo;
        if (lo > east) east = lo;
      }
      this.extent.set([low, high, west, east], b * 4);
    }
  }

  private rowOf(lat: number): number {
    return Math.min(this.rows - 1, Math.max(0, Math.floor((lat - this.minLat) / bucketDegrees)));
  }

  private columnOf(lon: number): number {
    return Math.min(this.columns - 1, Math.max(0, Math.floor((lon - this.minLon) / bucketDegrees)));
  }

  /**
   * The distance in km from `from` to the nearest point whose owner `accepts`; null when there is none.
   * Rings of buckets are searched outwards until no point outside them can be nearer.
   */
  nearestKm(from: Point, accepts: (owner: number) => boolean = () => true): number | null {
    if (this.size === 0) return null;
    const cosFrom = Math.cos(from.lat * radians);
    // Longitude differences beyond 180° wrap around and shrink again; no bound holds then.
    const lonBounds = Math.max(Math.abs(from.lon - this.minLon), Math.abs(from.lon - this.maxLon)) < 180;
    const row0 = this.rowOf(from.lat);
    const column0 = this.columnOf(from.lon);
    let best = Number.POSITIVE_INFINITY;

    const scan = (row: number, column: number) => {
      const bucket = row * this.columns + column;
      const first = this.start[bucket] as number;
      const end = this.start[bucket + 1] as number;
      if (first === end) return;
      const e = bucket * 4;
      const low = this.extent[e] as number;
      const high = this.extent[e + 1] as number;
      const west = this.extent[e + 2] as number;
      const east = this.extent[e + 3] as number;
      const dLat = Math.max(0, low - from.lat, from.lat - high);
      const dLon = lonBounds ? Math.max(0, west - from.lon, from.lon - east) : 0;
      if (lowerBoundKm(cosFrom, dLat, dLon, minCos(low, high)) >= best) return;
      for (let i = first; i < end; i++) {
        if (!accepts(this.owner[i] as number)) continue;
        const km = distanceKm(from, { lat: this.lat[i] as number, lon: this.lon[i] as number });
        if (km < best) best = km;
      }
    };

    for (let ring = 0; ; ring++) {
      const top = row0 + ring;
      const bottom = row0 - ring;
      const left = column0 - ring;
      const right = column0 + ring;
      for (let column = Math.max(0, left); column <= Math.min(this.columns - 1, right); column++) {
        if (top < this.rows) scan(top, column);
        if (ring > 0 && bottom >= 0) scan(bottom, column);
      }
      for (let row = Math.max(0, bottom + 1); row <= Math.min(this.rows - 1, top - 1); row++) {
        if (left >= 0 && ring > 0) scan(row, left);
        if (right < this.columns && ring > 0) scan(row, right);
      }

      // The nearest any point outside this ring's rectangle can be: beyond one of its open sides.
      let outside = Number.POSITIVE_INFINITY;
      if (top + 1 < this.rows) {
        const edge = this.minLat + (top + 1) * bucketDegrees - edgeSlackDegrees;
        outside = Math.min(outside, lowerBoundKm(cosFrom, Math.max(0, edge - from.lat), 0, 0));
      }
      if (bottom - 1 >= 0) {
        const edge = this.minLat + bottom * bucketDegrees + edgeSlackDegrees;
        outside = Math.min(outside, lowerBoundKm(cosFrom, Math.max(0, from.lat - edge), 0, 0));
      }
      if (right + 1 < this.columns) {
        const edge = this.minLon + (right + 1) * bucketDegrees - edgeSlackDegrees;
        const dLon = lonBounds ? Math.max(0, edge - from.lon) : 0;
        outside = Math.min(outside, lowerBoundKm(cosFrom, 0, dLon, this.cosLatGrid));
      }
      if (left - 1 >= 0) {
        const edge = this.minLon + left * bucketDegrees + edgeSlackDegrees;
        const dLon = lonBounds ? Math.max(0, from.lon - edge) : 0;
        outside = Math.min(outside, lowerBoundKm(cosFrom, 0, dLon, this.cosLatGrid));
      }
      if (outside >= best) break;
    }
    return Number.isFinite(best) ? best : null;
  }
}
