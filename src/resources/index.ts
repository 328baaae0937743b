// The resources' read side: everything the list, nearby and text questions need, held in memory and
// answered without SQL. A base, built from the store in one go (slots numbered in name order), plus an
// overlay of the resources written since, which shadow their base slots; the read-model store
// (src/read-model/store.ts) builds and swaps it. Each resource's public JSON is made once, by the one
// function that assembles a Resource (repository.ts), and spliced into every answer that lists it.
import { around } from 'geokdbush';
import KDBush from 'kdbush';
import { wallTimeAt } from '../hours/clock.js';
import {
  type CompiledHours,
  compileHours,
  type HoursState,
  openingStatus,
  stateAtWallTime,
} from '../hours/open-at.js';
import {
  boxAround,
  cosLatitude,
  distanceKm,
  haversine,
  haversineOfKm,
  kmOfHaversine,
  type Point,
} from '../places/geo.js';
import type { Places } from '../places/places.js';
import {
  Documents,
  DocumentsBuilder,
  type DocumentsParts,
  jsonMembers,
  jsonOfMembers,
} from '../read-model/documents.js';
import {
  emptyPostings,
  intersect,
  type Postings,
  PostingsBuilder,
  seek,
  union,
} from '../read-model/postings.js';
import { leastSorted, topByScore } from '../read-model/select.js';
import { positionsInBox } from '../read-model/spatial.js';
import { StringList, type StringListParts, StringPositions } from '../read-model/string-list.js';
import { infixFrom, matchFactor, trigrams, words } from '../read-model/text.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import type { Resource } from './schemas.js';

/** What the index knows of one resource, derived from its public shape. */
export interface IndexedEntry {
  id: string;
  name: string;
  version: number;
  /** Its public JSON's members (`jsonMembers`): the base holds them interned. */
  members: readonly string[];
  national: boolean;
  /** Every filter value the resource has, as `field:value` keys (see `keyGroups`). */
  keys: ReadonlySet<string>;
  points: readonly { lat: number; lon: number; approximate: boolean }[];
  /** Each folded word of its searchable text with the weight of the weightiest field holding it. */
  words: ReadonlyMap<string, number>;
  hours: CompiledHours;
  /** The age range served, −1 for no limit. */
  ageMin: number;
  ageMax: number;
  /** YYYY-MM-DD: the staff worklist lists the least recently verified first. */
  lastVerified: string;
}

/** Field weights for relevance: the name counts most, then kind and matrix labels, organisation, text. */
const weights = { name: 10, labels: 4, organization: 3, description: 1 } as const;
const anyAxis = '*';

export interface EntryContext {
  places: Places;
  vocabulary: Vocabulary;
}

/** The folded words of each vocabulary term's code and labels, by `axis:code`: folded once, not per resource. */
function labelsOf(vocabulary: Vocabulary): Map<string, readonly string[]> {
  const labels = new Map<string, readonly string[]>();
  for (const [axis, terms] of Object.entries(vocabulary.terms)) {
    for (const term of terms) {
      labels.set(`${axis}:${term.code}`, [...new Set(words(`${term.code} ${term.labelSv} ${term.labelEn}`))]);
    }
  }
  return labels;
}
const labelCache = new WeakMap<Vocabulary, Map<string, readonly string[]>>();

const cellKeyCache = new Map<string, readonly string[]>();

/** The keys of a cell with each subset of its axes left open: a filter may name any of them. */
function cellKeys(cell: { area: string; role: string; group: string }): readonly string[] {
  const id = `${cell.area}|${cell.role}|${cell.group}`;
  let keys = cellKeyCache.get(id);
  if (!keys) {
    keys = [1, 2, 3, 4, 5, 6, 7].map(
      (mask) =>
        `cell:${mask & 1 ? cell.area : anyAxis}|${mask & 2 ? cell.role : anyAxis}|${mask & 4 ? cell.group : anyAxis}`,
    );
    if (cellKeyCache.size < 10_000) cellKeyCache.set(id, keys);
  }
  return keys;
}

/** Whether a person can be told how to reach the resource: a phone, e-mail, website or chat. */
const hasContact = (contact: Resource['contact']) =>
  contact.phone !== undefined ||
  contact.email !== undefined ||
  contact.website !== undefined ||
  contact.chat !== undefined;

/** The index entry of a resource as `assemble` in repository.ts gives it. */
export function entryOf(resource: Resource, version: number, context: EntryContext): IndexedEntry {
  const keys = new Set<string>([
    `kind:${resource.kind}`,
    `status:${resource.status}`,
    `nat:${resource.serviceArea.national ? 1 : 0}`,
    `h24:${resource.open24h ? 1 : 0}`,
    `contact:${hasContact(resource.contact) ? 1 : 0}`,
  ]);
  for (const audience of resource.audiences) keys.add(`aud:${audience}`);
  for (const language of resource.languages) keys.add(`lang:${language}`);
  if (resource.anonymous !== null && resource.anonymous !== undefined)
    keys.add(`anon:${resource.anonymous ? 1 : 0}`);
  if (resource.withoutReferral !== null && resource.withoutReferral !== undefined)
    keys.add(`wr:${resource.withoutReferral ? 1 : 0}`);
  for (const code of resource.serviceArea.municipalities) keys.add(`muni:${code}`);
  for (const cell of resource.cells) for (const key of cellKeys(cell)) keys.add(key);

  const points: IndexedEntry['points'][number][] = [];
  for (const location of resource.locations) {
    if (location.visibility === 'public' && location.lat !== undefined && location.lon !== undefined) {
      points.push({ lat: location.lat, lon: location.lon, approximate: false });
      continue;
    }
    const seat = context.places.municipalities.get(location.municipality);
    if (seat) points.push({ lat: seat.seatLat, lon: seat.seatLon, approximate: true });
  }

  let labels = labelCache.get(context.vocabulary);
  if (!labels) {
    labels = labelsOf(context.vocabulary);
    labelCache.set(context.vocabulary, labels);
  }
  const weighted = new Map<string, number>();
  const addText = (text: string | undefined, weight: number) => {
    if (!text) return;
    for (const word of words(text)) if ((weighted.get(word) ?? 0) < weight) weighted.set(word, weight);
  };
  const addWords = (list: readonly string[] | undefined, weight: number) => {
    for (const word of list ?? []) if ((weighted.get(word) ?? 0) < weight) weighted.set(word, weight);
  };
  addText(resource.name, weights.name);
  addWords(labels.get(`kinds:${resource.kind}`) ?? words(resource.kind), weights.labels);
  for (const cell of resource.cells) {
    addWords(labels.get(`areas:${cell.area}`), weights.labels);
    addWords(labels.get(`roles:${cell.role}`), weights.labels);
    addWords(labels.get(`groups:${cell.group}`), weights.labels);
  }
  addText(resource.organization.name, weights.organization);
  addText(resource.description.sv, weights.description);
  addText(resource.description.en, weights.description);

  return {
    id: resource.id,
    name: resource.name,
    version,
    members: jsonMembers(resource),
    national: resource.serviceArea.national,
    keys,
    points,
    words: weighted,
    hours: compileHours({
      open24h: resource.open24h,
      openingHours: resource.openingHours,
      locations: resource.locations,
    }),
    ageMin: resource.ageMin ?? -1,
    ageMax: resource.ageMax ?? -1,
    lastVerified: resource.lastVerified,
  };
}

// --- Criteria ---

/** What the index is asked: groups of keys, each of which must have one key present; and text terms. */
export interface IndexQuery {
  groups: readonly (readonly string[])[];
  terms?: readonly string[];
  /** Only resources open at this instant (ms since the epoch); each answer says its opening status. */
  openAt?: number;
  /** Only resources whose age range includes this age (no limit matches). */
  age?: number;
}

export interface CriteriaForIndex {
  serves: string[][];
  kinds?: string[];
  statuses: readonly string[];
  national?: boolean;
  cell?: { area?: string; role?: string; group?: string };
  audience?: string;
  language?: string;
  anonymous?: boolean;
  withoutReferral?: boolean;
  open24h?: boolean;
  terms?: string[];
  openAt?: number;
  age?: number;
  /** Only entries with no phone, e-mail, website or chat. */
  withoutContact?: boolean;
}

/** The key groups of a set of criteria: AND across groups, OR within one. */
export function indexQuery(criteria: CriteriaForIndex): IndexQuery {
  const groups: string[][] = [];
  // National resources serve every municipality, so they match every place filter.
  for (const anyOf of criteria.serves) groups.push([...anyOf.map((code) => `muni:${code}`), 'nat:1']);
  if (criteria.kinds?.length) groups.push(criteria.kinds.map((kind) => `kind:${kind}`));
  if (criteria.statuses.length) groups.push(criteria.statuses.map((status) => `status:${status}`));
  if (criteria.national !== undefined) groups.push([`nat:${criteria.national ? 1 : 0}`]);
  const cell = criteria.cell ?? {};
  if (cell.area !== undefined || cell.role !== undefined || cell.group !== undefined) {
    groups.push([`cell:${cell.area ?? anyAxis}|${cell.role ?? anyAxis}|${cell.group ?? anyAxis}`]);
  }
  if (criteria.audience) groups.push([`aud:${criteria.audience}`]);
  if (criteria.language) groups.push([`lang:${criteria.language}`]);
  for (const [prefix, value] of [
    ['anon', criteria.anonymous],
    ['wr', criteria.withoutReferral],
    ['h24', criteria.open24h],
  ] as const) {
    if (value !== undefined) groups.push([`${prefix}:${value ? 1 : 0}`]);
  }
  if (criteria.withoutContact) groups.push(['contact:0']);
  return {
    groups,
    ...(criteria.terms?.length ? { terms: criteria.terms } : {}),
    ...(criteria.openAt === undefined ? {} : { openAt: criteria.openAt }),
    ...(criteria.age === undefined ? {} : { age: criteria.age }),
  };
}

/** What a query asks beyond keys and text: an age and an instant, with the wall clock read once. */
interface Conditions {
  age?: number;
  openAt?: { ms: number; day: number; minute: number };
}

function conditionsOf(query: IndexQuery): Conditions | undefined {
  if (query.age === undefined && query.openAt === undefined) return undefined;
  return {
    ...(query.age === undefined ? {} : { age: query.age }),
    ...(query.openAt === undefined ? {} : { openAt: { ms: query.openAt, ...wallTimeAt(query.openAt) } }),
  };
}

/**
 * The conditions as checks: `ages` on an age range (−1: no limit), `open` on hours, which counts the
 * resources that only their unknown hours keep out (call it last, after every other filter).
 */
class ConditionCheck {
  hoursUnknown = 0;
  constructor(readonly conditions: Conditions | undefined) {}

  ages(min: number, max: number): boolean {
    const age = this.conditions?.age;
    return age === undefined || ((min < 0 || age >= min) && (max < 0 || age <= max));
  }

  open(hours: CompiledHours): boolean {
    const at = this.conditions?.openAt;
    if (!at) return true;
    const state: HoursState = stateAtWallTime(hours, at.day, at.minute);
    if (state === 'hours-unknown') this.hoursUnknown += 1;
    return state === 'open';
  }

  entry(entry: IndexedEntry): boolean {
    return this.ages(entry.ageMin, entry.ageMax) && this.open(entry.hours);
  }

  /** What the answer adds: how many more match but have unknown hours, when an instant was asked. */
  get extra(): { hoursUnknown?: number } {
    return this.conditions?.openAt ? { hoursUnknown: this.hoursUnknown } : {};
  }
}

/** The JSON of a listed resource, with its opening status when the query names an instant. */
function presented(json: string, hours: CompiledHours, conditions: Conditions | undefined): string {
  return conditions?.openAt
    ? withMembers(json, { openingStatus: openingStatus(hours, conditions.openAt.ms) })
    : json;
}

function entryMatchesGroups(entry: IndexedEntry, groups: IndexQuery['groups']): boolean {
  return groups.every((group) => group.some((key) => entry.keys.has(key)));
}

/** An entry's relevance for the terms as an integer (twice the weights), or −1 when a term misses it. */
export function entryScore(entry: IndexedEntry, terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    let best = 0;
    for (const [word, weight] of entry.words) {
      const factor = matchFactor(word, term);
      if (factor > 0 && weight * factor * 2 > best) best = weight * factor * 2;
    }
    if (best === 0) return -1;
    score += best;
  }
  return score;
}

/** The nearest of an entry's points, exactly as answers give it. */
function nearestOf(
  point: Point,
  points: IndexedEntry['points'],
): { distanceKm: number; approximate: boolean } | null {
  let best: { distanceKm: number; approximate: boolean } | null = null;
  for (const p of points) {
    const d = distanceKm(point, p);
    if (!best || d < best.distanceKm) best = { distanceKm: d, approximate: p.approximate };
  }
  return best;
}

// --- The base ---

/** Builds a base from entries added in name order (then id), as `ORDER BY name, id` gives them. */
export class BaseIndexBuilder {
  readonly ids: string[] = [];
  readonly names: string[] = [];
  private readonly documents = new DocumentsBuilder();
  readonly versions: number[] = [];
  readonly national: number[] = [];
  readonly hours: CompiledHours[] = [];
  readonly ageMin: number[] = [];
  readonly ageMax: number[] = [];
  readonly lastVerified: string[] = [];
  private readonly postings = new PostingsBuilder();
  private readonly locStart: number[] = [0];
  private readonly locLat: number[] = [];
  private readonly locLon: number[] = [];
  private readonly locApprox: number[] = [];
  private readonly wordPostings = new Map<string, { slots: number[]; weights: number[] }>();

  add(entry: IndexedEntry): void {
    const slot = this.ids.length;
    this.ids.push(entry.id);
    this.names.push(entry.name);
    this.documents.add(entry.members);
    this.versions.push(entry.version);
    this.national.push(entry.national ? 1 : 0);
    this.hours.push(entry.hours);
    this.ageMin.push(entry.ageMin);
    this.ageMax.push(entry.ageMax);
    this.lastVerified.push(entry.lastVerified);
    for (const key of entry.keys) this.postings.add(key, slot);
    for (const p of entry.points) {
      this.locLat.push(p.lat);
      this.locLon.push(p.lon);
      this.locApprox.push(p.approximate ? 1 : 0);
    }
    this.locStart.push(this.locLat.length);
    for (const [word, weight] of entry.words) {
      const postings = this.wordPostings.get(word);
      if (postings) {
        postings.slots.push(slot);
        postings.weights.push(weight);
      } else this.wordPostings.set(word, { slots: [slot], weights: [weight] });
    }
  }

  build(): BaseIndex {
    const size = this.ids.length;
    const locStart = Uint32Array.from(this.locStart);
    const locLat = Float64Array.from(this.locLat);
    const locLon = Float64Array.from(this.locLon);
    const locCos = Float64Array.from(locLat, cosLatitude);
    // The spatial index holds the points of regional resources; national lines come apart.
    let regionalPoints = 0;
    for (let s = 0; s < size; s++)
      if (this.national[s] === 0) regionalPoints += (locStart[s + 1] as number) - (locStart[s] as number);
    const pointSlot = new Uint32Array(regionalPoints);
    const spatial = new KDBush(Math.max(1, regionalPoints));
    for (let s = 0; s < size; s++) {
      if (this.national[s] === 1) continue;
      for (let l = locStart[s] as number; l < (locStart[s + 1] as number); l++) {
        pointSlot[spatial.add(locLon[l] as number, locLat[l] as number)] = s;
      }
    }
    if (regionalPoints === 0) spatial.add(0, 0);
    spatial.finish();
    // By position in the spatial index's kd order: what the count within a radius reads for each point.
    const positions = spatial.ids.length;
    const slotAtPosition = new Uint32Array(positions);
    const cosAtPosition = new Float64Array(positions);
    for (let i = 0; i < positions; i++) {
      slotAtPosition[i] = pointSlot[spatial.ids[i] as number] as number;
      cosAtPosition[i] = cosLatitude(spatial.coords[2 * i + 1] as number);
    }

    const vocabulary = [...this.wordPostings.keys()].sort();
    const wordStart = new Uint32Array(vocabulary.length + 1);
    let total = 0;
    vocabulary.forEach((word, w) => {
      total += this.wordPostings.get(word)?.slots.length ?? 0;
      wordStart[w + 1] = total;
    });
    const wordSlots = new Uint32Array(total);
    const wordWeights = new Uint8Array(total);
    const trigramLists = new PostingsBuilder();
    vocabulary.forEach((word, w) => {
      const postings = this.wordPostings.get(word) as { slots: number[]; weights: number[] };
      wordSlots.set(postings.slots, wordStart[w]);
      wordWeights.set(postings.weights, wordStart[w]);
      for (const trigram of trigrams(word)) trigramLists.add(trigram, w);
    });

    return new BaseIndex({
      ids: StringList.of(this.ids),
      names: StringList.of(this.names),
      documents: this.documents.build(),
      versions: Uint32Array.from(this.versions),
      national: Uint8Array.from(this.national),
      hours: this.hours,
      ageMin: Int16Array.from(this.ageMin),
      ageMax: Int16Array.from(this.ageMax),
      lastVerified: StringList.of(this.lastVerified),
      postings: this.postings.build(),
      locStart,
      locLat,
      locLon,
      locCos,
      locApprox: Uint8Array.from(this.locApprox),
      spatial,
      pointSlot,
      slotAtPosition,
      cosAtPosition,
      regionalPoints,
      vocabulary,
      wordStart,
      wordSlots,
      wordWeights,
      trigrams: trigramLists.build(),
    });
  }
}

interface BaseData {
  ids: StringList;
  names: StringList;
  documents: Documents;
  versions: Uint32Array;
  national: Uint8Array;
  hours: CompiledHours[];
  ageMin: Int16Array;
  ageMax: Int16Array;
  lastVerified: StringList;
  postings: Map<string, Postings>;
  locStart: Uint32Array;
  locLat: Float64Array;
  locLon: Float64Array;
  /** Each location's cosine of latitude, for `haversine`. */
  locCos: Float64Array;
  locApprox: Uint8Array;
  spatial: KDBush;
  /** Each spatial point's slot, by id, and by position in the index (with its latitude's cosine). */
  pointSlot: Uint32Array;
  slotAtPosition: Uint32Array;
  cosAtPosition: Float64Array;
  regionalPoints: number;
  vocabulary: string[];
  wordStart: Uint32Array;
  wordSlots: Uint32Array;
  wordWeights: Uint8Array;
  trigrams: Map<string, Postings>;
}

/** A base's data as plain values (the spatial index as its buffer): what a saved model holds. */
export type BaseParts = Omit<BaseData, 'spatial' | 'documents' | 'ids' | 'names' | 'lastVerified'> & {
  spatial: ArrayBufferLike;
  documents: DocumentsParts;
  ids: StringListParts;
  names: StringListParts;
  lastVerified: StringListParts;
};

/** Unions and term lookups are remembered per base, up to this many each. */
const memoLimit = 512;
/** Term results kept per base, in slots summed over terms (6 bytes each). */
const termCacheBudget = 4_000_000;
/**
 * A term matching at least this share of the base also gets a table of its weight by slot (2 bytes per
 * resource, charged to the budget as a third of an entry each): a query then looks a slot up instead of
 * seeking in a long list. `stod` matches every synthetic resource, `kvinnor` three in five.
 */
const denseShare = 1 / 8;

/** A term's matches: sorted slots with their weights, and for a frequent term its weight by slot (0: none). */
interface TermPostings {
  slots: Uint32Array;
  weights: Uint16Array;
  bySlot?: Uint16Array;
}
/** Bitmaps are one byte per resource: fewer of them. */
const bitmapLimit = 64;
/** A list this many times the shortest is probed by its bitmap rather than by seeking in it. */
const denseFactor = 8;

/** Per-slot stamps for one nearby query: a slot is marked when its stamp equals `generation`. */
interface Marks {
  generation: number;
  /** Counted within the radius. */
  within: Uint32Array;
  /** Decided: serving, counted within the radius, or left out. */
  seen: Uint32Array;
}

/** The immutable part of the index. Slot s is the s-th resource by name, then id. */
export class BaseIndex {
  readonly size: number;
  private readonly slotsById: StringPositions;
  private readonly all: Postings;
  private readonly unions = new Map<string, Postings>();
  private readonly bitmaps = new Map<string, Uint8Array>();
  private readonly marked: Omit<Marks, 'generation'>;
  private markGeneration = 0;
  private readonly termWords = new Map<string, { words: Uint32Array; factors: Float64Array }>();
  // Scratch space for text queries, reused: JavaScript runs one query at a time.
  private readonly stamp: Uint32Array;
  private readonly best: Uint16Array;
  private generation = 0;
  private readonly termCache = new Map<string, TermPostings>();
  private matched: { slots: Uint32Array; scores: Uint16Array } | undefined;
  private termCacheEntries = 0;

  constructor(readonly data: BaseData) {
    this.size = data.ids.length;
    this.slotsById = new StringPositions(data.ids);
    this.all = Uint32Array.from({ length: this.size }, (_, i) => i);
    this.stamp = new Uint32Array(this.size);
    this.best = new Uint16Array(this.size);
    this.marked = {
      within: new Uint32Array(this.size),
      seen: new Uint32Array(this.size),
    };
  }

  static fromParts(parts: BaseParts): BaseIndex {
    return new BaseIndex({
      ...parts,
      ids: new StringList(parts.ids),
      names: new StringList(parts.names),
      lastVerified: new StringList(parts.lastVerified),
      spatial: KDBush.from(parts.spatial),
      documents: Documents.fromParts(parts.documents),
    });
  }

  toParts(): BaseParts {
    const { spatial, documents, ids, names, lastVerified, ...rest } = this.data;
    return {
      ...rest,
      ids: ids.toParts(),
      names: names.toParts(),
      lastVerified: lastVerified.toParts(),
      spatial: spatial.data,
      documents: documents.toParts(),
    };
  }

  /** The slot of a resource by its id. */
  slotById(id: string): number | undefined {
    return this.slotsById.get(id);
  }

  /** Position of (name, id) among the slots: the number of slots that sort before it. */
  insertionPoint(name: string, id: string): number {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const n = this.data.names.at(mid);
      const before = n < name || (n === name && this.data.ids.at(mid) < id);
      if (before) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /**
   * The slots matching every group (sorted). A group whose list is long (a sixteenth of the resources or
   * more, such as a status or a common cell) and many times the shortest is probed by its bitmap, made once
   * and kept: seeking in it cost a filtered list a third of a millisecond at 100 000 resources.
   */
  matching(groups: IndexQuery['groups']): Postings {
    if (groups.length === 0) return this.all;
    const lists = groups.map((group) => this.anyOf(group));
    const shortest = Math.min(...lists.map((list) => list.length));
    if (shortest === 0) return emptyPostings;
    const sought: Postings[] = [];
    const maps: Uint8Array[] = [];
    lists.forEach((list, i) => {
      if (list.length >= shortest * denseFactor && list.length * 16 >= this.size)
        maps.push(this.bitmap(groups[i] as readonly string[]));
      else sought.push(list);
    });
    return intersect(sought, maps);
  }

  private anyOf(group: readonly string[]): Postings {
    if (group.length === 1) return this.data.postings.get(group[0] as string) ?? emptyPostings;
    const key = [...group].sort().join(',');
    let list = this.unions.get(key);
    if (!list) {
      list = union(group.map((k) => this.data.postings.get(k) ?? emptyPostings));
      if (this.unions.size >= memoLimit) this.unions.clear();
      this.unions.set(key, list);
    }
    return list;
  }

  /** Whether a slot is in every group, by one bitmap per group (made on first use and kept). */
  predicate(groups: IndexQuery['groups']): (slot: number) => boolean {
    if (groups.length === 0) return () => true;
    const map = groups.length === 1 ? this.bitmap(groups[0] as readonly string[]) : this.allOf(groups);
    return (slot) => map[slot] === 1;
  }

  /**
   * One bitmap for all the groups (made on first use and kept with the others): nearby looks up every
   * resource in its box, and one lookup per resource costs half of two (each one a jump in memory).
   */
  private allOf(groups: IndexQuery['groups']): Uint8Array {
    const key = groups
      .map((group) => [...group].sort().join(','))
      .sort()
      .join('&');
    return this.kept(key, () => {
      const maps = this.groupBitmaps(groups);
      const all = (maps[0] as Uint8Array).slice();
      for (const other of maps.slice(1))
        for (let slot = 0; slot < this.size; slot++)
          all[slot] = (all[slot] as number) & (other[slot] as number);
      return all;
    });
  }

  /** One bitmap per group (made on first use and kept): a slot is in all groups when it is 1 in each. */
  groupBitmaps(groups: IndexQuery['groups']): Uint8Array[] {
    return groups.map((group) => this.bitmap(group));
  }

  private bitmap(group: readonly string[]): Uint8Array {
    return this.kept([...group].sort().join(','), () => {
      const map = new Uint8Array(this.size);
      for (const slot of this.anyOf(group)) map[slot] = 1;
      return map;
    });
  }

  /**
   * The bitmap kept under `key`, made on first use; beyond `bitmapLimit` the one used longest ago is let go,
   * so that a run of new questions (filtered lists, nearby) does not drop those asked all the time.
   */
  private kept(key: string, make: () => Uint8Array): Uint8Array {
    let map = this.bitmaps.get(key);
    if (map) {
      this.bitmaps.delete(key);
    } else {
      map = make();
      if (this.bitmaps.size >= bitmapLimit) this.bitmaps.delete(this.bitmaps.keys().next().value as string);
    }
    this.bitmaps.set(key, map);
    return map;
  }

  /** Stamp arrays for one nearby query, reused; a new generation clears them all at once. */
  marks(): Marks {
    if (this.markGeneration >= 0xfffffff0) {
      this.markGeneration = 0;
      for (const marks of Object.values(this.marked)) marks.fill(0);
    }
    this.markGeneration += 1;
    return { generation: this.markGeneration, ...this.marked };
  }

  /** The vocabulary words a term matches, with how well. */
  private wordsFor(term: string): { words: Uint32Array; factors: Float64Array } {
    let found = this.termWords.get(term);
    if (found) return found;
    const vocabulary = this.data.vocabulary;
    const ids: number[] = [];
    if (term.length >= infixFrom) {
      let shortest: Postings | undefined;
      for (const trigram of trigrams(term)) {
        const list = this.data.trigrams.get(trigram) ?? emptyPostings;
        if (!shortest || list.length < shortest.length) shortest = list;
      }
      for (const w of shortest ?? emptyPostings) if ((vocabulary[w] as string).includes(term)) ids.push(w);
    } else {
      let low = 0;
      let high = vocabulary.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((vocabulary[mid] as string) < term) low = mid + 1;
        else high = mid;
      }
      for (let w = low; w < vocabulary.length && (vocabulary[w] as string).startsWith(term); w++) ids.push(w);
    }
    found = {
      words: Uint32Array.from(ids),
      factors: Float64Array.from(ids, (w) => matchFactor(vocabulary[w] as string, term)),
    };
    if (this.termWords.size >= memoLimit) this.termWords.clear();
    this.termWords.set(term, found);
    return found;
  }

  /** The slots a term matches, sorted, each with its best weight for it (twice the weight × match factor). */
  private termPostings(term: string): TermPostings {
    const cached = this.termCache.get(term);
    if (cached) return cached;
    const { words: matched, factors } = this.wordsFor(term);
    const { wordStart, wordSlots, wordWeights } = this.data;
    const generation = this.nextGeneration();
    const touched: number[] = [];
    for (let m = 0; m < matched.length; m++) {
      const w = matched[m] as number;
      const factor2 = (factors[m] as number) * 2;
      for (let p = wordStart[w] as number; p < (wordStart[w + 1] as number); p++) {
        const slot = wordSlots[p] as number;
        const weight = (wordWeights[p] as number) * factor2;
        if (this.stamp[slot] !== generation) {
          this.stamp[slot] = generation;
          this.best[slot] = weight;
          touched.push(slot);
        } else if (weight > (this.best[slot] as number)) this.best[slot] = weight;
      }
    }
    const slots = Uint32Array.from(touched).sort();
    const found: TermPostings = {
      slots,
      weights: Uint16Array.from(slots, (slot) => this.best[slot] as number),
    };
    let entries = slots.length;
    if (slots.length >= this.size * denseShare) {
      const bySlot = new Uint16Array(this.size);
      for (let i = 0; i < slots.length; i++) bySlot[slots[i] as number] = found.weights[i] as number;
      found.bySlot = bySlot;
      entries += Math.ceil(this.size / 3);
    }
    this.termCacheEntries += entries;
    if (this.termCacheEntries > termCacheBudget) {
      this.termCache.clear();
      this.termCacheEntries = entries;
    }
    this.termCache.set(term, found);
    return found;
  }

  private nextGeneration(): number {
    if (this.generation >= 0xfffffff0) {
      this.generation = 0;
      this.stamp.fill(0);
    }
    return ++this.generation;
  }

  /** The length of the shortest of the terms' lists: what walking them would cost. */
  termCost(terms: readonly string[]): number {
    let least = this.size;
    for (const term of terms) least = Math.min(least, this.termPostings(term).slots.length);
    return least;
  }

  /**
   * The slots matching every term (sorted) with their relevance, an integer: per term the best weight of
   * a matching word, summed. Each term's slots are computed once and kept (within a budget). With bitmaps,
   * only the slots in each; with `among` (sorted), only slots in it. Walks the shortest list (the terms'
   * or `among`) and probes the others: a frequent term by its table, the rest by seeking. The arrays
   * given are valid until the next call, and are not to be written to.
   */
  termMatches(
    terms: readonly string[],
    maps: readonly Uint8Array[] = [],
    among?: Postings,
  ): { slots: Uint32Array; scores: Uint16Array } {
    const lists = terms
      .map((term) => this.termPostings(term))
      .sort((a, b) => a.slots.length - b.slots.length);
    const first = lists[0] as TermPostings;
    if (lists.length === 1 && maps.length === 0 && among === undefined)
      return { slots: first.slots, scores: first.weights };
    const byAmong = among !== undefined && among.length < first.slots.length;
    const walked = byAmong ? among : first.slots;
    const probed = byAmong ? lists : lists.slice(1);
    // Into scratch space kept for the next query: a new pair of arrays per query (370 kB for "stod
    // kvinnor" at 100 000) kept the collector busy. JavaScript runs one query at a time.
    if (!this.matched || this.matched.slots.length < walked.length) {
      this.matched = { slots: new Uint32Array(this.size), scores: new Uint16Array(this.size) };
    }
    const { slots, scores } = this.matched;
    const at = new Array<number>(probed.length).fill(0);
    let n = 0;
    outer: for (let i = 0; i < walked.length; i++) {
      const slot = walked[i] as number;
      for (let g = 0; g < maps.length; g++) if ((maps[g] as Uint8Array)[slot] === 0) continue outer;
      let score = byAmong ? 0 : (first.weights[i] as number);
      for (let k = 0; k < probed.length; k++) {
        const other = probed[k] as TermPostings;
        if (other.bySlot) {
          const weight = other.bySlot[slot] as number;
          if (weight === 0) continue outer;
          score += weight;
          continue;
        }
        const p = seek(other.slots, slot, at[k] as number);
        at[k] = p;
        if (p >= other.slots.length) break outer;
        if (other.slots[p] !== slot) continue outer;
        score += other.weights[p] as number;
      }
      slots[n] = slot;
      scores[n++] = score;
    }
    return { slots: slots.subarray(0, n), scores: scores.subarray(0, n) };
  }

  /** Membership of the term matches, by stamps: for checking candidates found another way (nearby). */
  termPredicate(terms: readonly string[]): (slot: number) => boolean {
    const { slots } = this.termMatches(terms);
    const generation = this.nextGeneration();
    for (const slot of slots) this.stamp[slot] = generation;
    return (slot) => this.stamp[slot] === generation;
  }

  /**
   * The nearest location of a slot (the first of equals), or −1 when it has none; with its distance in
   * `into` (NaN for none), exactly `distanceKm`.
   */
  nearest(slot: number, here: Here, into: { km: number }): number {
    const { locStart, locLat, locLon, locCos } = this.data;
    let best = -1;
    let bestKm = Number.NaN;
    for (let l = locStart[slot] as number; l < (locStart[slot + 1] as number); l++) {
      const km = kmOfHaversine(
        haversine(
          here.lat,
          here.lon,
          here.cos,
          locLat[l] as number,
          locLon[l] as number,
          locCos[l] as number,
        ),
      );
      if (best < 0 || km < bestKm) {
        best = l;
        bestKm = km;
      }
    }
    into.km = bestKm;
    return best;
  }
}

/** A point asked about, with its latitude's cosine. */
interface Here {
  lat: number;
  lon: number;
  cos: number;
}

/**
 * A radius, with the haversines below which a distance is surely within it and above which surely not:
 * they differ from the radius's own by far more than the few units in the last place that the haversine
 * and `kmOfHaversine` can be off by (their relative error is about 1e−15).
 */
interface Radius {
  km: number;
  surelyWithin: number;
  surelyBeyond: number;
}

/**
 * Whether a haversine is within the radius: exactly as `distanceKm(…) <= radiusKm` decides, the
 * haversine alone answering unless it is within a hair of the radius's.
 */
const isWithin = (h: number, radius: Radius): boolean =>
  h < radius.surelyWithin || (h <= radius.surelyBeyond && kmOfHaversine(h) <= radius.km);

function radiusOf(km: number): Radius {
  const h = haversineOfKm(km);
  return { km, surelyWithin: h * (1 - 1e-9), surelyBeyond: h * (1 + 1e-9) };
}

// --- The index: base plus overlay ---

interface OverlayEntry {
  entry: IndexedEntry;
  /** Where it sorts among base slots by name and id: between two slot numbers. */
  key: number;
}

export interface ListAnswer {
  totalItems: number;
  items: string[];
  /** With an instant: the resources matching everything else whose hours are unknown then. */
  hoursUnknown?: number;
}

export interface NearbyAnswerItem {
  json: string;
  distanceKm: number | null;
  distanceApproximate: boolean;
  servesLocation: boolean;
}

interface Candidate {
  /** A base slot, or −1 for an overlay entry. */
  slot: number;
  entry?: IndexedEntry;
  key: number;
  rank: number;
}

const roundKm = (d: number) => Math.round(d * 10) / 10;
/** Beyond any distance in tenths of a kilometre on earth: a resource without a location sorts last. */
const noLocation = 2 ** 21;

export class ResourceIndex {
  private readonly overlay: OverlayEntry[];
  private readonly overlayById: Map<string, OverlayEntry>;

  /**
   * @param base the built base
   * @param dead base slots shadowed by the overlay (written since, changed or gone), or undefined for none
   * @param entries the overlay: resources written since the base was built
   */
  constructor(
    readonly base: BaseIndex,
    readonly version: number,
    private readonly dead: Uint8Array | undefined = undefined,
    entries: readonly IndexedEntry[] = [],
  ) {
    const sorted = [...entries].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    this.overlay = sorted.map((entry, ordinal) => ({
      entry,
      key: base.insertionPoint(entry.name, entry.id) - 0.5 + ordinal / (2 * (sorted.length + 1)),
    }));
    this.overlayById = new Map(this.overlay.map((o) => [o.entry.id, o]));
  }

  get overlaySize(): number {
    return this.overlay.length;
  }

  get size(): number {
    let dead = 0;
    if (this.dead) for (const d of this.dead) dead += d;
    return this.base.size - dead + this.overlay.length;
  }

  /** The entries written since the base, for carrying over into a newer one. */
  overlayEntries(): IndexedEntry[] {
    return this.overlay.map((o) => o.entry);
  }

  /**
   * A new index with these resources written (an entry) or gone (null), sharing this one's base. The
   * caller swaps it in whole.
   */
  withWrites(written: ReadonlyMap<string, IndexedEntry | null>, version: number): ResourceIndex {
    const dead = this.dead ? this.dead.slice() : new Uint8Array(this.base.size);
    const entries = new Map(this.overlay.map((o) => [o.entry.id, o.entry]));
    for (const [id, entry] of written) {
      const slot = this.base.slotById(id);
      if (slot !== undefined) dead[slot] = 1;
      if (entry) entries.set(id, entry);
      else entries.delete(id);
    }
    return new ResourceIndex(this.base, version, dead, [...entries.values()]);
  }

  private alive(slot: number): boolean {
    return this.dead === undefined || this.dead[slot] === 0;
  }

  /** One resource's JSON and version. */
  get(id: string): { json: string; version: number } | undefined {
    const o = this.overlayById.get(id);
    if (o) return { json: jsonOfMembers(o.entry.members), version: o.entry.version };
    const slot = this.base.slotById(id);
    if (slot === undefined || !this.alive(slot)) return undefined;
    return { json: this.base.data.documents.json(slot), version: this.base.data.versions[slot] as number };
  }

  private json(c: Candidate, conditions: Conditions | undefined): string {
    return c.entry
      ? presented(jsonOfMembers(c.entry.members), c.entry.hours, conditions)
      : this.slotJson(c.slot, conditions);
  }

  private slotJson(slot: number, conditions: Conditions | undefined): string {
    return presented(
      this.base.data.documents.json(slot),
      this.base.data.hours[slot] as CompiledHours,
      conditions,
    );
  }

  /** A base slot meets the conditions (the age, then the hours). */
  private slotMeets(slot: number, check: ConditionCheck): boolean {
    const { ageMin, ageMax, hours } = this.base.data;
    return (
      check.ages(ageMin[slot] as number, ageMax[slot] as number) && check.open(hours[slot] as CompiledHours)
    );
  }

  /** A page of matches: by relevance (then name) with terms, otherwise by name; with the exact total. */
  list(query: IndexQuery, offset: number, limit: number): ListAnswer {
    const conditions = conditionsOf(query);
    const check = new ConditionCheck(conditions);
    const meets = (slot: number) => conditions === undefined || this.slotMeets(slot, check);
    let filtered = this.base.matching(query.groups);
    if (conditions && !query.terms) filtered = filtered.filter((slot) => this.alive(slot) && meets(slot));
    const overlay: Candidate[] = [];
    for (const o of this.overlay) {
      if (!entryMatchesGroups(o.entry, query.groups)) continue;
      const rank = query.terms ? entryScore(o.entry, query.terms) : 0;
      if (rank >= 0 && check.entry(o.entry)) overlay.push({ slot: -1, entry: o.entry, key: o.key, rank });
    }
    overlay.sort((a, b) => b.rank - a.rank || a.key - b.key);

    let base: Postings;
    let baseTotal: number;
    let rankAt: (position: number) => number = () => 0;
    if (query.terms) {
      // The matches in the groups, in slot order, with their scores: walking the few resources the groups
      // leave (a municipality's) or the terms' shortest list checked against the groups' bitmaps.
      const groups = query.groups;
      const found =
        groups.length > 0 && filtered.length < this.base.termCost(query.terms)
          ? this.base.termMatches(query.terms, [], filtered)
          : this.base.termMatches(query.terms, this.base.groupBitmaps(groups));
      let matches = found.slots;
      let scores = found.scores;
      let n = matches.length;
      if (this.dead || conditions) {
        matches = new Uint32Array(found.slots.length);
        scores = new Uint16Array(found.slots.length);
        n = 0;
        for (let i = 0; i < found.slots.length; i++) {
          const slot = found.slots[i] as number;
          if (this.alive(slot) && meets(slot)) {
            matches[n] = slot;
            scores[n++] = found.scores[i] as number;
          }
        }
      }
      baseTotal = n;
      const page = topByScore(matches.subarray(0, n), scores.subarray(0, n), offset + limit);
      base = page.slots;
      rankAt = (i) => page.scores[i] as number;
    } else {
      if (this.dead) {
        const alive: number[] = [];
        for (const slot of filtered) if (this.dead[slot] === 0) alive.push(slot);
        base = Uint32Array.from(alive);
      } else base = filtered;
      baseTotal = base.length;
    }

    // With terms, `base` holds only the first of the base's matches, as many as the page can take from it.
    const totalItems = baseTotal + overlay.length;
    const items: string[] = [];
    let i = 0;
    let j = 0;
    for (let position = 0; position < offset + limit && position < totalItems; position++) {
      let takeBase: boolean;
      if (i >= base.length) takeBase = false;
      else if (j >= overlay.length) takeBase = true;
      else {
        const slot = base[i] as number;
        const o = overlay[j] as Candidate;
        const rank = rankAt(i);
        takeBase = rank !== o.rank ? rank > o.rank : slot < o.key;
      }
      if (position < offset) {
        if (takeBase) i++;
        else j++;
        continue;
      }
      items.push(
        takeBase
          ? this.slotJson(base[i++] as number, conditions)
          : this.json(overlay[j++] as Candidate, conditions),
      );
    }
    return { totalItems, items, ...check.extra };
  }

  /**
   * A page of matches last verified before `before` (YYYY-MM-DD; every match when undefined), the least
   * recently verified first, then by name and id: the staff worklist. With the exact total.
   */
  leastRecentlyVerified(
    query: IndexQuery,
    before: string | undefined,
    offset: number,
    limit: number,
  ): { totalItems: number; items: string[] } {
    const { lastVerified } = this.base.data;
    const due = (date: string) => before === undefined || date < before;
    // Base slots and overlay keys share one order (name, then id), so (date, key) is (date, name, id).
    const matches: { date: string; key: number; json: () => string }[] = [];
    for (const slot of this.base.matching(query.groups)) {
      const date = lastVerified.at(slot);
      if (this.alive(slot) && due(date))
        matches.push({ date, key: slot, json: () => this.base.data.documents.json(slot) });
    }
    for (const o of this.overlay) {
      if (entryMatchesGroups(o.entry, query.groups) && due(o.entry.lastVerified))
        matches.push({ date: o.entry.lastVerified, key: o.key, json: () => jsonOfMembers(o.entry.members) });
    }
    const page = leastSorted(matches, offset + limit, (a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.key - b.key,
    );
    return { totalItems: matches.length, items: page.slice(offset).map((match) => match.json()) };
  }

  /**
   * Regional resources serving the municipality at the point or with a location within the radius:
   * serving ones first, each group by distance (none last), then by name and id.
   */
  nearby(
    query: IndexQuery,
    point: Point,
    radiusKm: number,
    municipality: string | undefined,
    offset: number,
    limit: number,
  ): { totalItems: number; items: NearbyAnswerItem[]; hoursUnknown?: number } {
    const groups = [...query.groups, ['nat:0']];
    const conditions = conditionsOf(query);
    const check = new ConditionCheck(conditions);
    const { ageMin, ageMax, hours, locApprox } = this.base.data;
    // Membership by bitmaps: no intersection of the large lists (every active resource) per request.
    const inGroups = this.base.predicate(groups);
    const textMatch = query.terms ? this.base.termPredicate(query.terms) : undefined;
    const eligible = (slot: number) =>
      inGroups(slot) &&
      this.alive(slot) &&
      (!textMatch || textMatch(slot)) &&
      (conditions?.age === undefined || check.ages(ageMin[slot] as number, ageMax[slot] as number));
    // Without an instant every resource is open: its hours are not even looked up (a jump in memory each).
    const open =
      conditions?.openAt === undefined
        ? (_slot: number) => true
        : (slot: number) => check.open(hours[slot] as CompiledHours);
    const marks = this.base.marks();
    const generation = marks.generation;
    const here: Here = { lat: point.lat, lon: point.lon, cos: cosLatitude(point.lat) };

    type Found = Candidate & { d: number | null; rounded: number; approximate: boolean };
    const found = (
      slot: number,
      entry: IndexedEntry | undefined,
      key: number,
      near: ReturnType<typeof nearestOf>,
    ): Found => ({
      slot,
      entry,
      key,
      rank: 0,
      d: near?.distanceKm ?? null,
      rounded: near ? roundKm(near.distanceKm) : Number.POSITIVE_INFINITY,
      approximate: near?.approximate ?? false,
    });
    // A base slot measured without a new object per location (this runs for every serving resource).
    const measured = { km: 0 };
    const foundSlot = (slot: number): Found => {
      const l = this.base.nearest(slot, here, measured);
      return {
        slot,
        entry: undefined,
        key: slot,
        rank: 0,
        d: l < 0 ? null : measured.km,
        rounded: l < 0 ? Number.POSITIVE_INFINITY : roundKm(measured.km),
        approximate: l >= 0 && locApprox[l] === 1,
      };
    };

    // Serving: one municipality's resources, few enough to measure them all. A base slot is held as one
    // number that orders as (distance rounded to 0.1 km, slot) does, Math.round(d × 10) being in the
    // same order as d rounded; only the page's own become objects.
    const span = this.base.size;
    const servingBase: number[] = [];
    const serving: Found[] = [];
    if (municipality) {
      for (const slot of this.base.matching([[`muni:${municipality}`]])) {
        if (!eligible(slot)) continue;
        marks.seen[slot] = generation;
        if (!open(slot)) continue;
        const tenths =
          this.base.nearest(slot, here, measured) < 0 ? noLocation : Math.round(measured.km * 10);
        servingBase.push(tenths * span + slot);
      }
    }
    const others: Found[] = [];
    for (const o of this.overlay) {
      if (!entryMatchesGroups(o.entry, groups) || (query.terms && entryScore(o.entry, query.terms) < 0))
        continue;
      if (!check.ages(o.entry.ageMin, o.entry.ageMax)) continue;
      const near = nearestOf(point, o.entry.points);
      if (municipality && o.entry.keys.has(`muni:${municipality}`)) {
        if (check.open(o.entry.hours)) serving.push(found(-1, o.entry, o.key, near));
      } else if (near && near.distanceKm <= radiusKm && check.open(o.entry.hours))
        others.push(found(-1, o.entry, o.key, near));
    }

    // Within the radius and not serving: counted exactly over the points in the radius's box, each
    // resource at its first point within (a resource is within when any of its locations is, which is what
    // its nearest being within means). Points are read by position in the spatial index, in memory order;
    // only those within the radius lead to their resource's (scattered) data.
    const { spatial, pointSlot, slotAtPosition, cosAtPosition, regionalPoints } = this.base.data;
    const within = (slot: number) => marks.within[slot] === generation;
    let withinCount = 0;
    if (regionalPoints > 0) {
      // A hair wider than the radius's box: a location within the radius by `distanceKm` is inside it
      // even where the box's edge and the distance round differently.
      const box = boxAround(point, radiusKm);
      const pad = 1e-7;
      const radius = radiusOf(radiusKm);
      const coords = spatial.coords;
      const { seen } = marks;
      for (const i of positionsInBox(
        spatial,
        box.minLon - pad,
        box.minLat - pad,
        box.maxLon + pad,
        box.maxLat + pad,
      )) {
        const h = haversine(
          here.lat,
          here.lon,
          here.cos,
          coords[2 * i + 1] as number,
          coords[2 * i] as number,
          cosAtPosition[i] as number,
        );
        if (!isWithin(h, radius)) continue;
        const slot = slotAtPosition[i] as number;
        if (seen[slot] === generation) continue;
        seen[slot] = generation;
        if (eligible(slot) && open(slot)) {
          marks.within[slot] = generation;
          withinCount += 1;
        }
      }
    }
    const servingCount = servingBase.length + serving.length;
    const totalItems = servingCount + withinCount + others.length;

    const byDistance = (a: Found, b: Found) => a.rounded - b.rounded || a.key - b.key;
    const end = Math.min(offset + limit, totalItems);
    const items: NearbyAnswerItem[] = [];
    const emit = (c: Found, serves: boolean) =>
      items.push({
        json: this.json(c, conditions),
        distanceKm: c.d === null ? null : roundKm(c.d),
        distanceApproximate: c.approximate,
        servesLocation: serves,
      });
    if (offset < servingCount) {
      // Only the page's first `end` are put in order: a large municipality has thousands serving it.
      const firstOfBase = leastSorted(servingBase, end, (a, b) => a - b).map((order) =>
        foundSlot(order % span),
      );
      const first = leastSorted([...firstOfBase, ...serving], end, byDistance);
      for (let k = offset; k < first.length; k++) emit(first[k] as Found, true);
    }
    const need = end - servingCount;
    if (need > 0) {
      // Nearest first over the spatial index, as many as the page needs, plus every tie at its edge.
      const wanted = new Map<number, Found>();
      const take = (ids: number[]) => {
        for (const p of ids) {
          const slot = pointSlot[p] as number;
          if (wanted.has(slot)) continue;
          wanted.set(slot, foundSlot(slot));
        }
      };
      const predicate = (p: number) => within(pointSlot[p] as number);
      const reach = radiusKm * 1.001 + 0.01;
      let k = need + 8;
      for (;;) {
        const ids = around(spatial, point.lon, point.lat, k, reach, predicate);
        take(ids);
        if (wanted.size >= need || ids.length < k) break;
        k *= 2;
      }
      const list = [...wanted.values(), ...others].sort(byDistance);
      const edge = list[Math.min(need, list.length) - 1];
      if (edge?.d != null && list.length > need) {
        // Rounding to 0.1 km and the library's own earth radius: take every point that could tie.
        take(
          around(
            spatial,
            point.lon,
            point.lat,
            Number.POSITIVE_INFINITY,
            Math.min(reach, edge.d * 1.001 + 0.11),
            predicate,
          ),
        );
      }
      const ordered = [...wanted.values(), ...others].sort(byDistance);
      for (let n = Math.max(0, offset - servingCount); n < need && n < ordered.length; n++) {
        emit(ordered[n] as Found, false);
      }
    }
    return { totalItems, items, ...check.extra };
  }
}

/** Splices extra members into a serialised object. */
export function withMembers(json: string, members: Record<string, unknown>): string {
  let extra = '';
  for (const [name, value] of Object.entries(members))
    extra += `,${JSON.stringify(name)}:${JSON.stringify(value)}`;
  return json.length > 2 ? `${json.slice(0, -1)}${extra}}` : `{${extra.slice(1)}}`;
}
