// Whether a resource is open at an instant, and when that next changes: pure functions over its hours.
// The rule: read the Stockholm wall clock at the instant (day and minute); the resource is open when an
// interval of that day holds the minute, or an interval of the day before that runs past midnight does.
// So 09:00–16:00 is nine to four on the clock in winter and in summer; on the night the clocks go back,
// a night interval holds the repeated hour twice; on the night they go forward, the skipped hour holds
// nothing. Days whose hours nobody stated (a holiday without a rule, before `validFrom`, after
// `validUntil`) are unknown, and unknown is never open.
import {
  dateOfDay,
  dayOfDate,
  instantsShowing,
  offsetChangesBetween,
  wallTimeAt,
  weekdayOfDay,
} from './clock.js';
import { isSwedishHoliday } from './holidays.js';
import { minutesOf, type OpeningHours, weekdays } from './schedule.js';

export type HoursState = 'open' | 'closed' | 'hours-unknown';

/** What a resource says of its hours, and the visiting hours of those of its places that state their own. */
export interface HoursFacts {
  open24h: boolean;
  openingHours: OpeningHours | null | undefined;
  locations?: readonly { openingHours?: OpeningHours | null | undefined }[];
}

type Interval = readonly [opens: number, closes: number];

/** Hours made ready for evaluation: minutes and day numbers instead of strings. */
export type CompiledHours =
  | { kind: 'always' }
  | { kind: 'unknown' }
  | {
      kind: 'schedule';
      /** Index 0 = Monday. */
      weekly: Interval[][];
      holidays: OpeningHours['holidays'];
      exceptions: Map<number, Interval[]>;
      validFrom: number;
      validUntil: number;
      /** The latest closing minute of an interval past midnight (0 without any). */
      latestOvernightClose: number;
      /** Every minute of the day at which the state can change. */
      boundaries: number[];
    }
  | {
      /** Several stated hours (the resource's own and its places'): open when any of them is open. */
      kind: 'any';
      parts: CompiledHours[];
    };

const overnight = ([opens, closes]: Interval) => closes <= opens;

// Shared: most resources have no stated hours, and a read model holds one of these per resource.
const always: CompiledHours = Object.freeze({ kind: 'always' });
const unknown: CompiledHours = Object.freeze({ kind: 'unknown' });

/**
 * A resource's hours with its places' hours: the resource is open when its own hours or any place's
 * hours say open; otherwise its hours are unknown when any of them is unknown then, and closed when all
 * say closed. Unstated hours take no part: a resource without hours of its own whose places state theirs
 * is read from its places alone (a place without hours of its own keeps the resource's).
 */
export function compileHours(facts: HoursFacts): CompiledHours {
  const places = (facts.locations ?? []).flatMap((l) => (l.openingHours ? [l.openingHours] : []));
  if (places.length === 0) return compileOwn(facts);
  const own = facts.open24h || facts.openingHours ? [compileOwn(facts)] : [];
  const parts = [...own, ...places.map((openingHours) => compileOwn({ open24h: false, openingHours }))];
  if (parts.some((part) => part.kind === 'always')) return always;
  return parts.length === 1 ? (parts[0] as CompiledHours) : { kind: 'any', parts };
}

function compileOwn(facts: HoursFacts): CompiledHours {
  if (facts.open24h) return always;
  const hours = facts.openingHours;
  if (!hours) return unknown;
  const weekly: Interval[][] = weekdays.map(() => []);
  for (const entry of hours.weekly) {
    for (const day of entry.days)
      weekly[weekdays.indexOf(day)]?.push([minutesOf(entry.opens), minutesOf(entry.closes)]);
  }
  const exceptions = new Map<number, Interval[]>();
  for (const exception of hours.exceptions ?? []) {
    exceptions.set(
      dayOfDate(exception.date),
      exception.hours.map((h) => [minutesOf(h.opens), minutesOf(h.closes)] as const),
    );
  }
  const all = [...weekly.flat(), ...[...exceptions.values()].flat()];
  const latestOvernightClose = Math.max(0, ...all.filter(overnight).map(([, closes]) => closes));
  const boundaries = [...new Set([0, latestOvernightClose, ...all.flatMap(([o, c]) => [o, c % 1440])])];
  return {
    kind: 'schedule',
    weekly,
    holidays: hours.holidays,
    exceptions,
    validFrom: hours.validFrom ? dayOfDate(hours.validFrom) : Number.NEGATIVE_INFINITY,
    validUntil: hours.validUntil ? dayOfDate(hours.validUntil) : Number.POSITIVE_INFINITY,
    latestOvernightClose,
    boundaries,
  };
}

/**
 * Whether a local day (days since 1970-01-01) is a Swedish holiday, remembered by day number: every state
 * and every candidate change asks, and the calendar's own lookup goes through a date string.
 */
const holidayByDay = new Map<number, boolean>();
function isHolidayDay(day: number): boolean {
  let holiday = holidayByDay.get(day);
  if (holiday === undefined) {
    holiday = isSwedishHoliday(dateOfDay(day));
    if (holidayByDay.size >= 100_000) holidayByDay.clear();
    holidayByDay.set(day, holiday);
  }
  return holiday;
}

/** The intervals of a local day, or undefined when that day's hours are unknown. */
function intervalsOn(
  hours: Extract<CompiledHours, { kind: 'schedule' }>,
  day: number,
): Interval[] | undefined {
  if (day < hours.validFrom || day > hours.validUntil) return undefined;
  const exception = hours.exceptions.get(day);
  if (exception) return exception;
  const weekday = weekdayOfDay(day);
  if (hours.holidays !== 'as-usual' && isHolidayDay(day)) {
    if (hours.holidays === 'closed') return [];
    if (hours.holidays === 'as-sunday') return hours.weekly[6];
    if (hours.holidays === undefined) return undefined;
  }
  return hours.weekly[weekday];
}

/** The state at a wall-clock time. */
export function stateAtWallTime(hours: CompiledHours, day: number, minute: number): HoursState {
  if (hours.kind === 'any') {
    let state: HoursState = 'closed';
    for (const part of hours.parts) {
      const partState = stateAtWallTime(part, day, minute);
      if (partState === 'open') return 'open';
      if (partState === 'hours-unknown') state = 'hours-unknown';
    }
    return state;
  }
  if (hours.kind === 'always') return 'open';
  if (hours.kind === 'unknown') return 'hours-unknown';
  const today = intervalsOn(hours, day);
  for (const [opens, closes] of today ?? []) {
    if (opens <= minute && minute < (closes > opens ? closes : 1440)) return 'open';
  }
  const yesterday = intervalsOn(hours, day - 1);
  for (const interval of yesterday ?? []) if (overnight(interval) && minute < interval[1]) return 'open';
  if (today === undefined) return 'hours-unknown';
  if (yesterday === undefined && minute < hours.latestOvernightClose) return 'hours-unknown';
  return 'closed';
}

/** The state at an instant (ms since the epoch). */
export function stateAt(hours: CompiledHours, ms: number): HoursState {
  const { day, minute } = wallTimeAt(ms);
  return stateAtWallTime(hours, day, minute);
}

/** How far ahead the next change is looked for. */
export const horizonDays = 14;

/** The minutes of the day at which the state can change; none for hours that never change. */
function boundariesOf(hours: CompiledHours): number[] {
  if (hours.kind === 'schedule') return hours.boundaries;
  if (hours.kind === 'any') return [...new Set(hours.parts.flatMap(boundariesOf))];
  return [];
}

/**
 * The first instant after `ms` at which the state differs from `current` (the state at `ms`), within the
 * horizon; null when it holds (24/7, unknown, or no change within 14 days). The state can change only where
 * the wall clock reaches a minute at which some interval opens or closes, or a day begins, or where the
 * clocks change: those instants are tried in order.
 */
export function nextChange(
  hours: CompiledHours,
  ms: number,
  current: HoursState = stateAt(hours, ms),
): { state: HoursState; at: number } | null {
  if (hours.kind !== 'schedule' && hours.kind !== 'any') return null;
  const boundaries = boundariesOf(hours);
  const { day } = wallTimeAt(ms);
  const until = ms + (horizonDays + 1) * 86_400_000;
  const candidates: number[] = offsetChangesBetween(ms + 1, until).map((change) => change.at);
  for (let d = day; d <= day + horizonDays + 1; d++) {
    for (const minute of boundaries) {
      for (const at of instantsShowing(d, minute)) if (at > ms && at < until) candidates.push(at);
    }
  }
  candidates.sort((a, b) => a - b);
  for (const at of candidates) {
    const state = stateAt(hours, at);
    if (state !== current) return { state, at };
  }
  return null;
}

/** The answer's account of a resource's hours at an instant. */
export interface OpeningStatus {
  at: string;
  state: HoursState;
  next: { state: HoursState; at: string } | null;
}

export function openingStatus(hours: CompiledHours, ms: number): OpeningStatus {
  const state = stateAt(hours, ms);
  const next = nextChange(hours, ms, state);
  return {
    at: new Date(ms).toISOString(),
    state,
    next: next ? { state: next.state, at: new Date(next.at).toISOString() } : null,
  };
}
