// The Stockholm wall clock: what a clock in Sweden shows at an instant. The offset from UTC comes from the
// time-zone data Node ships (Intl), found once per year at its changes (the last Sundays of March and
// October, as EU rules have it today) and kept; everything else is arithmetic.
const zone = 'Europe/Stockholm';
const minuteMs = 60_000;
const dayMs = 86_400_000;

const offsetFormat = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });

/** The offset from UTC in minutes at an instant, straight from Intl ("GMT+02:00" → 120). */
function intlOffsetMinutes(ms: number): number {
  const name = offsetFormat.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/** A change of offset: from `at` (ms, UTC) on, the offset is `offset` minutes. */
export interface OffsetChange {
  at: number;
  offset: number;
}

const changesByYear = new Map<number, { start: number; changes: OffsetChange[] }>();

/** The offset at the start of a UTC year and its changes within it, found by bisecting month by month. */
function yearOffsets(year: number): { start: number; changes: OffsetChange[] } {
  let found = changesByYear.get(year);
  if (found) return found;
  const changes: OffsetChange[] = [];
  const start = intlOffsetMinutes(Date.UTC(year, 0, 1));
  let previous = start;
  for (let month = 0; month < 12; month++) {
    const from = Date.UTC(year, month, 1);
    const to = Date.UTC(year, month + 1, 1);
    const atEnd = intlOffsetMinutes(to - minuteMs);
    if (atEnd === previous) continue;
    // Offsets change on whole minutes: bisect minutes for the first with the new offset.
    let low = from / minuteMs;
    let high = (to - minuteMs) / minuteMs;
    while (low < high) {
      const mid = Math.floor((low + high) / 2);
      if (intlOffsetMinutes(mid * minuteMs) === previous) low = mid + 1;
      else high = mid;
    }
    changes.push({ at: low * minuteMs, offset: atEnd });
    previous = atEnd;
  }
  found = { start, changes };
  if (changesByYear.size > 400) changesByYear.clear();
  changesByYear.set(year, found);
  return found;
}

/** Stockholm's offset from UTC in minutes at an instant. */
export function offsetAt(ms: number): number {
  const { start, changes } = yearOffsets(new Date(ms).getUTCFullYear());
  let offset = start;
  for (const change of changes) if (change.at <= ms) offset = change.offset;
  return offset;
}

/** The offset changes in [from, to). */
export function offsetChangesBetween(from: number, to: number): OffsetChange[] {
  const found: OffsetChange[] = [];
  for (let year = new Date(from).getUTCFullYear(); year <= new Date(to).getUTCFullYear(); year++)
    for (const change of yearOffsets(year).changes)
      if (change.at >= from && change.at < to) found.push(change);
  return found;
}

/** What the wall clock shows: the local day (days since 1970-01-01) and the minute of that day. */
export interface WallTime {
  day: number;
  minute: number;
}

export function wallTimeAt(ms: number): WallTime {
  const localMinutes = Math.floor(ms / minuteMs) + offsetAt(ms);
  const day = Math.floor(localMinutes / 1440);
  return { day, minute: localMinutes - day * 1440 };
}

/** A local day as YYYY-MM-DD. */
export const dateOfDay = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
/** YYYY-MM-DD as a local day number. */
export const dayOfDate = (date: string): number => Date.parse(`${date}T00:00:00Z`) / dayMs;
/** Day of the week, 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOfDay = (day: number): number => (((day + 3) % 7) + 7) % 7;

/**
 * The instants at which the wall clock shows exactly this minute of this day: none in the hour the clocks
 * skip, two in the hour they repeat. Each local minute is tried at the offsets in force around it.
 */
export function instantsShowing(day: number, minute: number): number[] {
  const localMs = (day * 1440 + minute) * minuteMs;
  const offsets = new Set([offsetAt(localMs - dayMs), offsetAt(localMs), offsetAt(localMs + dayMs)]);
  const found: number[] = [];
  for (const offset of offsets) {
    const ms = localMs - offset * minuteMs;
    if (offsetAt(ms) === offset) found.push(ms);
  }
  return found.sort((a, b) => a - b);
}

/** The years holiday rules and time-zone data are trusted for. */
const firstInstant = Date.UTC(1970, 0, 1);
const lastInstant = Date.UTC(2100, 0, 1);

/** An RFC 3339 instant (already format-checked) as ms, or undefined outside 1970–2099. */
export function instantOf(text: string): number | undefined {
  const ms = Date.parse(text);
  return ms >= firstInstant && ms < lastInstant ? ms : undefined;
}
