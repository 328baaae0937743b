// The coverage definitions of the domain notes written out as plainly as possible, with no index, no
// pruning and no shortcuts: what the computation is compared with, on random worlds and on the database.
import type {
  CountyInput,
  CountyOverview,
  CoverageInput,
  CoverageReport,
  CoverageResource,
  CoverageStatus,
  PlaceMunicipality,
} from '../../src/coverage/compute.js';
import { distanceKm } from '../../src/places/geo.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';

export function referenceCounts(r: CoverageResource, d: string): boolean {
  const started = r.activeFrom === null || r.activeFrom <= d;
  if (!r.forIndividuals) return false;
  if (r.status === 'active') return started && (r.activeUntil === null || d < r.activeUntil);
  if (r.status === 'closed') return r.activeUntil !== null && started && d < r.activeUntil;
  return false;
}

const sameCell = (a: Cell, b: Cell) => a.area === b.area && a.role === b.role && a.group === b.group;
const tenths = (x: number) => Math.round(x * 10) / 10;
const rank: Partial<Record<CoverageStatus, number>> = { gap: 3, 'national-only': 2, partial: 1 };

export function referenceReport(input: CoverageInput) {
  const municipalities = input.place.municipalities;
  const counted = input.resources.filter((r) => referenceCounts(r, input.at));
  const inventoried = input.inventory !== null;
  const cells = input.cells.map((cell) => {
    const covering = counted.filter((r) => r.cells.some((c) => sameCell(c, cell)));
    const isRegional = (m: PlaceMunicipality) =>
      covering.some((r) => !r.national && r.serviceArea.includes(m.code));
    const hasNational = covering.some((r) => r.national);
    const regionalCount = municipalities.filter(isRegional).length;
    const collator = new Intl.Collator('sv');
    const resources = covering
      .filter((r) => r.national || r.serviceArea.some((code) => municipalities.some((m) => m.code === code)))
      .sort(
        (a, b) =>
          (a.national ? 1 : 0) - (b.national ? 1 : 0) ||
          collator.compare(a.name, b.name) ||
          a.id.localeCompare(b.id),
      )
      .map((r) => {
        const dated = [r.activeFrom, r.sourceSeen]
          .filter((d): d is string => typeof d === 'string')
          .sort()
          .at(-1);
        const afterInventory =
          input.inventory !== null && dated !== undefined && dated > input.inventory.completedOn;
        return { id: r.id, name: r.name, kind: r.kind, afterInventory };
      });
    const none = {
      lackingMunicipalities: [],
      affectedPopulation: 0,
      notKnownMunicipalities: [],
      notKnownPopulation: 0,
    };
    if (!inventoried) {
      return {
        ...cell,
        status: 'not-inventoried' as CoverageStatus,
        nationalSupport: hasNational,
        ...none,
        resources,
        reach: { medianKm: null, maxKm: null },
      };
    }
    const complete =
      input.inventory?.completeness === 'complete' &&
      !input.inventory.notAssessed.some(
        (p) =>
          (!p.area || p.area === cell.area) &&
          (!p.role || p.role === cell.role) &&
          (!p.group || p.group === cell.group),
      );
    let status: CoverageStatus;
    if (regionalCount === municipalities.length) status = 'covered';
    else if (!complete) status = regionalCount > 0 ? 'partly-known' : 'none-known';
    else if (regionalCount > 0) status = 'partial';
    else status = hasNational ? 'national-only' : 'gap';
    const lacking = municipalities.filter((m) => !isRegional(m));
    const points = covering
      .filter((r) => !r.national)
      .flatMap((r) =>
        r.locations.map((l) => {
          if (l.visibility === 'public' && l.lat !== null && l.lon !== null)
            return { lat: l.lat, lon: l.lon };
          const seat = input.seats.get(l.municipality) as { seatLat: number; seatLon: number };
          return { lat: seat.seatLat, lon: seat.seatLon };
        }),
      );
    let reach: { medianKm: number | null; maxKm: number | null } = { medianKm: null, maxKm: null };
    if (lacking.length > 0 && points.length > 0) {
      const nearest = lacking
        .map((m) => Math.min(...points.map((p) => distanceKm({ lat: m.seatLat, lon: m.seatLon }, p))))
        .sort((a, b) => a - b);
      const n = nearest.length;
      const middle =
        n % 2 === 1
          ? (nearest[(n - 1) / 2] as number)
          : ((nearest[n / 2 - 1] as number) + (nearest[n / 2] as number)) / 2;
      reach = { medianKm: tenths(middle), maxKm: tenths(nearest[n - 1] as number) };
    }
    const named = lacking.map((m) => ({ code: m.code, name: m.name }));
    const population = lacking.reduce((s, m) => s + m.population2016, 0);
    return {
      ...cell,
      status,
      nationalSupport: hasNational,
      ...none,
      ...(complete
        ? { lackingMunicipalities: named, affectedPopulation: population }
        : { notKnownMunicipalities: named, notKnownPopulation: population }),
      resources,
      reach,
    };
  });
  const gaps = cells
    .map((c, i) => ({ c, i }))
    .filter(({ c }) => c.status === 'partial' || c.status === 'national-only' || c.status === 'gap')
    .sort(
      (a, b) =>
        b.c.affectedPopulation - a.c.affectedPopulation ||
        (rank[b.c.status] ?? 0) - (rank[a.c.status] ?? 0) ||
        a.i - b.i,
    )
    .map(({ c }) => c);
  const count = (s: CoverageStatus) => cells.filter((c) => c.status === s).length;
  return {
    summary: {
      covered: count('covered'),
      partial: count('partial'),
      partlyKnown: count('partly-known'),
      noneKnown: count('none-known'),
      nationalOnly: count('national-only'),
      gap: count('gap'),
      notInventoried: count('not-inventoried'),
    },
    cells,
    gaps,
  };
}

/** A county's row of the national overview, read off its reference report. */
export function referenceCountyOverview(
  county: CountyInput,
  world: Pick<CoverageInput, 'at' | 'cells' | 'resources' | 'seats'>,
): CountyOverview {
  const report = referenceReport({
    ...world,
    place: {
      type: 'county',
      code: county.code,
      name: county.name,
      county: { code: county.code, name: county.name },
      municipalities: county.municipalities,
    },
    inventory: county.inventory,
  });
  return {
    county: { code: county.code, name: county.name },
    inventoried: county.inventory !== null,
    inventory: county.inventory,
    municipalityCount: county.municipalities.length,
    population2016: county.municipalities.reduce((sum, m) => sum + m.population2016, 0),
    summary: report.summary,
    largestGap: largestGapOf(report),
  };
}

/** The overview's summary of a report's largest gap, as the national overview shows it. */
export function largestGapOf(report: { gaps: CoverageReport['gaps'] }): CountyOverview['largestGap'] {
  const largest = report.gaps[0];
  return largest
    ? {
        area: largest.area,
        role: largest.role,
        group: largest.group,
        status: largest.status,
        affectedPopulation: largest.affectedPopulation,
        lackingMunicipalityCount: largest.lackingMunicipalities.length,
      }
    : null;
}
