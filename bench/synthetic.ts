// A synthetic but plausible national dataset for load tests: resources spread over all 290 municipalities,
// with the cells, service areas, locations and flags real entries have. Pure and seeded, so the same
// count always yields the same entries (and the same cached database).
import { distanceKm } from '../src/places/geo.js';
import type { Municipality, Places } from '../src/places/places.js';
import type { InventoryInput, ResourceInput } from '../src/resources/schemas.js';
import type { Cell, Vocabulary } from '../src/vocabulary/vocabulary.js';

/** Bump when the generator changes what it writes, so that cached databases are rebuilt. */
export const generatorVersion = 1;

export type Random = () => number;

/** mulberry32: a tiny, fast, seedable generator; plenty for test data. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const integer = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

/** `count` distinct items in random order (a partial Fisher–Yates shuffle). */
function sample<T>(random: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const n = Math.min(count, pool.length);
  for (let i = 0; i < n; i++) {
    const j = integer(random, i, pool.length - 1);
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, n);
}

/** A weighted choice, by binary search over cumulative weights. */
function weightedChooser<T>(entries: readonly (readonly [T, number])[]): (random: Random) => T {
  const items = entries.map(([item]) => item);
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of entries) {
    total += weight;
    cumulative.push(total);
  }
  return (random) => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) <= target) low = middle + 1;
      else high = middle;
    }
    return items[low] as T;
  };
}

/** What a kind of service typically works with, how common it is, and who runs it. */
interface KindProfile {
  stem: string;
  weight: number;
  areas?: readonly string[];
  roles?: readonly string[];
  groups?: readonly string[];
  organization: 'kommun' | 'region' | 'ideell' | 'stat';
}

const violenceAreas = ['close-relationship', 'honour-related', 'sexual-violence'];
const kindProfiles: Record<string, KindProfile> = {
  barnahus: {
    stem: 'Barnahus',
    weight: 4,
    areas: violenceAreas,
    roles: ['subjected'],
    groups: ['girls', 'boys'],
    organization: 'kommun',
  },
  kast: {
    stem: 'KAST',
    weight: 2,
    areas: ['prostitution-trafficking'],
    roles: ['perpetrator'],
    groups: ['men', 'boys'],
    organization: 'kommun',
  },
  mikamottagning: {
    stem: 'Mikamottagningen',
    weight: 2,
    areas: ['prostitution-trafficking', 'sexual-violence'],
    roles: ['subjected'],
    organization: 'kommun',
  },
  utvag: { stem: 'Utväg', weight: 5, areas: ['close-relationship'], organization: 'kommun' },
  kvinnojour: {
    stem: 'Kvinnojouren',
    weight: 20,
    areas: violenceAreas,
    roles: ['subjected'],
    groups: ['women', 'girls', 'lgbtqi'],
    organization: 'ideell',
  },
  tjejjour: {
    stem: 'Tjejjouren',
    weight: 8,
    areas: violenceAreas,
    roles: ['subjected'],
    groups: ['girls', 'women', 'lgbtqi'],
    organization: 'ideell',
  },
  'resurscentrum-heder': {
    stem: 'Resurscentrum heder',
    weight: 3,
    areas: ['honour-related'],
    organization: 'region',
  },
  stodcentrum: {
    stem: 'Stödcentrum för unga brottsutsatta',
    weight: 5,
    areas: violenceAreas,
    roles: ['subjected'],
    groups: ['girls', 'boys', 'lgbtqi'],
    organization: 'kommun',
  },
  brottsofferjour: { stem: 'Brottsofferjouren', weight: 10, roles: ['subjected'], organization: 'ideell' },
  kriscentrum: {
    stem: 'Kriscentrum',
    weight: 6,
    areas: ['close-relationship', 'honour-related'],
    groups: ['women', 'men', 'lgbtqi'],
    organization: 'kommun',
  },
  atv: {
    stem: 'Alternativ till våld',
    weight: 6,
    areas: ['close-relationship', 'honour-related'],
    roles: ['perpetrator'],
    organization: 'kommun',
  },
  kompetenscentrum: { stem: 'Kompetenscentrum', weight: 3, organization: 'region' },
  socialtjanst: { stem: 'Socialtjänstens stödteam', weight: 20, organization: 'kommun' },
  stodlinje: { stem: 'Stödlinjen', weight: 2, organization: 'stat' },
};

const districts = ['centrum', 'norr', 'söder', 'öster', 'väster', 'City', 'Väst', 'Öst'];
const streets = ['Storgatan', 'Kungsgatan', 'Drottninggatan', 'Järnvägsgatan', 'Skolgatan', 'Parkvägen'];
const otherLanguages = ['ar', 'so', 'fa', 'ti', 'pl', 'fi', 'uk', 'ku'];
/** Sweden's extent as validation checks it; jittered coordinates are clamped inside. */
const sweden = { minLat: 55, maxLat: 69.5, minLon: 10, maxLon: 24.5 };
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

export interface SyntheticContext {
  places: Places;
  vocabulary: Vocabulary;
  /** The generation date, YYYY-MM-DD: nothing is verified after it. */
  today: string;
}

/** One inventory per county, so that coverage reports compute statuses instead of answering `unknown`. */
export function syntheticInventories(places: Places, today: string): InventoryInput[] {
  return [...places.counties.keys()].map((county) => ({
    county,
    completedOn: today,
    completeness: 'complete' as const,
    source: { title: 'Syntetisk kartläggning för prestandamätning (bench/)' },
  }));
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** A version-4-shaped UUID from the seeded generator, so that ids are stable between runs. */
function syntheticId(random: Random): string {
  const hex = Array.from({ length: 32 }, () => integer(random, 0, 15).toString(16));
  hex[12] = '4';
  hex[16] = (8 + integer(random, 0, 3)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/**
 * Yields `count` resource entries. Home municipalities are chosen half uniformly, half by population:
 * every municipality gets support, and the large cities get more of it, as in the county reports.
 */
export function* syntheticResources(count: number, context: SyntheticContext): Generator<ResourceInput> {
  const { places, vocabulary, today } = context;
  const random = seededRandom(count);
  const municipalities = [...places.municipalities.values()];
  const totalPopulation = municipalities.reduce((sum, m) => sum + m.population2016, 0);
  const chooseHome = weightedChooser(
    municipalities.map((m) => [m, 0.5 / municipalities.length + (0.5 * m.population2016) / totalPopulation]),
  );
  // A kind added to the vocabulary after this file was written still appears, with default traits.
  const profiles = new Map(
    vocabulary.terms.kinds.map((term): [string, KindProfile] => [
      term.code,
      kindProfiles[term.code] ?? { stem: term.labelSv, weight: 1, organization: 'ideell' },
    ]),
  );
  const cellsByKind = new Map(
    [...profiles].map(([code, profile]) => [code, cellsOfProfile(vocabulary, profile)]),
  );
  const chooseKind = weightedChooser([...profiles].map(([code, profile]) => [code, profile.weight] as const));
  const labels = {
    areas: new Map(vocabulary.terms.areas.map((t) => [t.code, t.labelSv.toLowerCase()])),
    groups: new Map(vocabulary.terms.groups.map((t) => [t.code, t.labelSv.toLowerCase()])),
  };
  const neighbours = nearestInCounty(places, municipalities);

  for (let i = 0; i < count; i++) {
    const home = chooseHome(random);
    const kind = chooseKind(random);
    const profile = profiles.get(kind) as KindProfile;
    const cells = cellsFor(random, cellsByKind.get(kind) ?? vocabulary.cells());
    const serviceArea = serviceAreaFor(random, home, neighbours.get(home.code) ?? []);
    const name = `${profile.stem} ${serviceArea.national ? 'Sverige' : home.name}${
      random() < 0.5 ? ` ${pick(random, districts)}` : ''
    }`;
    const groupsServed = [...new Set(cells.map((c) => labels.groups.get(c.group) ?? c.group))];
    const areasServed = [...new Set(cells.map((c) => labels.areas.get(c.area) ?? c.area))];
    const entry: ResourceInput = {
      id: syntheticId(random),
      name,
      kind,
      ...statusFor(random, today),
      audiences:
        kind === 'kompetenscentrum'
          ? ['professionals']
          : random() < 0.1
            ? ['individuals', 'professionals']
            : ['individuals'],
      description: {
        sv: `${name} ger stöd till ${groupsServed.join(', ')} i ${home.name}. Arbetar med ${areasServed.join(', ')}.`,
        ...(random() < 0.5 ? { en: `${name} offers support in ${home.name}.` } : {}),
      },
      organization: organizationFor(profile, home, places, name),
      cells,
      serviceArea,
      locations: serviceArea.national ? locationsFor(random, home, home, 0.5) : locationsFor(random, home),
      contact: contactFor(random, i),
      ...flagsFor(random, kind),
      source: { title: 'Syntetiska data för prestandamätning (bench/)' },
      lastVerified: addDays(today, -integer(random, 0, 700)),
    };
    yield entry;
  }
}

/** Each municipality's county neighbours, nearest seat first: joint services are usually adjacent. */
function nearestInCounty(
  places: Places,
  municipalities: readonly Municipality[],
): Map<string, Municipality[]> {
  const seat = (m: Municipality) => ({ lat: m.seatLat, lon: m.seatLon });
  return new Map(
    municipalities.map((m) => [
      m.code,
      places
        .municipalitiesOfCounty(m.countyCode)
        .filter((other) => other.code !== m.code)
        .map((other) => ({ other, km: distanceKm(seat(m), seat(other)) }))
        .sort((a, b) => a.km - b.km)
        .map(({ other }) => other),
    ]),
  );
}

/** The part of the matrix a kind works with; the whole matrix when its profile names none of it. */
function cellsOfProfile(vocabulary: Vocabulary, profile: KindProfile): Cell[] {
  const fits = (allowed: readonly string[] | undefined, code: string) => !allowed || allowed.includes(code);
  const cells = vocabulary
    .cells()
    .filter(
      (c) => fits(profile.areas, c.area) && fits(profile.roles, c.role) && fits(profile.groups, c.group),
    );
  return cells.length > 0 ? cells : vocabulary.cells();
}

/** 1–8 distinct cells of the kind's part of the matrix. */
function cellsFor(random: Random, candidates: readonly Cell[]): Cell[] {
  return sample(random, candidates, integer(random, 1, 8)).map((cell) => ({ ...cell }));
}

/** Mostly the home municipality; some a few neighbours, a subregion or the county; ~0.1 % national. */
function serviceAreaFor(
  random: Random,
  home: Municipality,
  neighbours: readonly Municipality[],
): ResourceInput['serviceArea'] {
  const roll = random();
  if (roll < 0.001) return { national: true };
  if (roll < 0.8 || neighbours.length === 0) return { municipalities: [home.code] };
  if (roll < 0.9) {
    const joint = neighbours.slice(0, integer(random, 1, Math.min(4, neighbours.length)));
    return { municipalities: [home.code, ...joint.map((m) => m.code)] };
  }
  if (roll < 0.95 && home.subregionCode) return { subregions: [home.subregionCode] };
  return { counties: [home.countyCode] };
}

function statusFor(
  random: Random,
  today: string,
): Pick<ResourceInput, 'status' | 'activeFrom' | 'activeUntil'> {
  const roll = random();
  if (roll < 0.92) return { status: 'active' };
  if (roll < 0.95) return { status: 'planned', activeFrom: addDays(today, integer(random, 30, 365)) };
  if (roll < 0.98) return { status: 'inactive' };
  return {
    status: 'closed',
    activeFrom: addDays(today, -integer(random, 800, 3000)),
    activeUntil: addDays(today, -integer(random, 1, 700)),
  };
}

function organizationFor(
  profile: KindProfile,
  home: Municipality,
  places: Places,
  name: string,
): ResourceInput['organization'] {
  switch (profile.organization) {
    case 'kommun':
      return { name: home.officialName, type: 'kommun' };
    case 'region':
      return {
        name: `Region ${places.counties.get(home.countyCode)?.shortName ?? home.countyCode}`,
        type: 'region',
      };
    case 'stat':
      return { name: 'Jämställdhetsmyndigheten', type: 'stat' };
    default:
      return { name, type: 'ideell' };
  }
}

/**
 * 0–2 locations: most public with coordinates within ~8 km of the seat, some public without coordinates,
 * ~10 % confidential (sheltered housing: the municipality only).
 */
function locationsFor(
  random: Random,
  home: Municipality,
  at: Municipality = home,
  chanceOfAny = 0.9,
): ResourceInput['locations'] {
  if (random() >= chanceOfAny) return [];
  const count = random() < 0.78 ? 1 : 2;
  return Array.from({ length: count }, () => {
    const roll = random();
    if (roll < 0.1) return { visibility: 'confidential' as const, municipality: at.code };
    const address = {
      street: `${pick(random, streets)} ${integer(random, 1, 120)}`,
      postalCode: `${integer(random, 100, 989)} ${String(integer(random, 0, 99)).padStart(2, '0')}`,
      city: at.name,
    };
    if (roll < 0.2) return { visibility: 'public' as const, municipality: at.code, address };
    const km = 8 * Math.sqrt(random());
    const bearing = 2 * Math.PI * random();
    const lat = clamp(at.seatLat + (km * Math.cos(bearing)) / 111.2, sweden.minLat, sweden.maxLat);
    const lon = clamp(
      at.seatLon + (km * Math.sin(bearing)) / (111.2 * Math.cos((at.seatLat * Math.PI) / 180)),
      sweden.minLon,
      sweden.maxLon,
    );
    const rounded = (value: number) => Math.round(value * 1e5) / 1e5;
    return {
      visibility: 'public' as const,
      municipality: at.code,
      address,
      lat: rounded(lat),
      lon: rounded(lon),
    };
  });
}

/** Mobile numbers in the 07[02369] ranges, which libphonenumber accepts as valid Swedish numbers. */
function contactFor(random: Random, index: number): ResourceInput['contact'] {
  const digits = Array.from({ length: 7 }, () => integer(random, 0, 9)).join('');
  return {
    ...(random() < 0.85 ? { phone: `07${pick(random, ['0', '2', '3', '6', '9'])}-${digits}` } : {}),
    ...(random() < 0.5 ? { email: `kontakt-${index}@example.org` } : {}),
    ...(random() < 0.6 ? { website: `https://example.org/stod/${index}` } : {}),
  };
}

function flagsFor(random: Random, kind: string): Partial<ResourceInput> {
  const languageRoll = random();
  const languages =
    languageRoll < 0.5
      ? undefined
      : languageRoll < 0.8
        ? ['sv']
        : languageRoll < 0.95
          ? ['sv', 'en']
          : ['sv', 'en', pick(random, otherLanguages)];
  const maybe = (chanceTrue: number, chanceFalse: number) => {
    const roll = random();
    return roll < chanceTrue ? true : roll < chanceTrue + chanceFalse ? false : undefined;
  };
  const flags: Partial<ResourceInput> = {
    ...(languages ? { languages } : {}),
    open24h: random() < 0.08,
  };
  const anonymous = maybe(0.4, 0.2);
  const withoutReferral = maybe(0.6, 0.1);
  const freeOfCharge = maybe(0.7, 0.05);
  if (anonymous !== undefined) flags.anonymous = anonymous;
  if (withoutReferral !== undefined) flags.withoutReferral = withoutReferral;
  if (freeOfCharge !== undefined) flags.freeOfCharge = freeOfCharge;
  if (kind === 'barnahus' || kind === 'stodcentrum') Object.assign(flags, { ageMin: 0, ageMax: 17 });
  return flags;
}
