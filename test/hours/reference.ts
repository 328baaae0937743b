// A brute-force reading of opening hours, written from the rule in src/hours/open-at.ts and nothing of
// its code: Sweden's offset from the EU rule itself (summer time from 01:00 UTC on the last Sunday of
// March to 01:00 UTC on the last Sunday of October), each day's intervals laid out as ranges of absolute
// wall-clock minutes, and the next change found by trying every minute.
import Holidays from 'date-holidays';
import type { HoursState } from '../../src/hours/open-at.js';
import type { OpeningHours } from '../../src/hours/schedule.js';

const sweden = new Holidays('SE');
const minute = 60_000;
const day = 86_400_000;

function lastSundayUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month + 1, 0));
  return Date.UTC(year, month, last.getUTCDate() - last.getUTCDay(), 1);
}

export function referenceOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayUtc(year, 2) && ms < lastSundayUtc(year, 9) ? 120 : 60;
}

const names = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const toMinutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3));

const holidayMemo = new Map<string, boolean>();
function isHoliday(date: string): boolean {
  let holiday = holidayMemo.get(date);
  if (holiday === undefined) {
    const found = sweden.isHoliday(new Date(`${date}T12:00:00`));
    holiday = Array.isArray(found) && found.some((h) => h.type === 'public' || h.type === 'bank');
    holidayMemo.set(date, holiday);
  }
  return holiday;
}

/** One day's intervals as [opens, closes) in minutes from that day's midnight (closes up to 2880). */
function dayRanges(hours: OpeningHours, date: string): [number, number][] | 'unknown' {
  if ((hours.validFrom && date < hours.validFrom) || (hours.validUntil && date > hours.validUntil))
    return 'unknown';
  const exception = hours.exceptions?.find((e) => e.date === date);
  let list: { opens: string; closes: string }[];
  if (exception) list = exception.hours;
  else {
    let name: string = names[new Date(`${date}T00:00:00Z`).getUTCDay()] as string;
    if (isHoliday(date)) {
      if (hours.holidays === undefined) return 'unknown';
      if (hours.holidays === 'closed') return [];
      if (hours.holidays === 'as-sunday') name = 'sun';
    }
    list = hours.weekly
      .filter((w) => (w.days as string[]).includes(name))
      .map((w) => ({ opens: w.opens, closes: w.closes }));
  }
  return list.map(({ opens, closes }) => {
    const o = toMinutes(opens);
    const c = toMinutes(closes);
    return [o, c > o ? c : c + 1440];
  });
}

function latestNightClose(hours: OpeningHours): number {
  let latest = 0;
  for (const i of [...hours.weekly, ...(hours.exceptions ?? []).flatMap((e) => e.hours)]) {
    const o = toMinutes(i.opens);
    const c = toMinutes(i.closes);
    if (c <= o) latest = Math.max(latest, c);
  }
  return latest;
}

export function referenceState(
  facts: { open24h: boolean; openingHours: OpeningHours | null },
  ms: number,
): HoursState {
  if (facts.open24h) return 'open';
  const hours = facts.openingHours;
  if (!hours) return 'hours-unknown';
  const local = Math.floor(ms / minute) + referenceOffset(ms);
  const today = Math.floor(local / 1440);
  const open: [number, number][] = [];
  const unknown: [number, number][] = [];
  for (let d = today - 2; d <= today; d++) {
    const date = new Date(d * day).toISOString().slice(0, 10);
    const ranges = dayRanges(hours, date);
    if (ranges === 'unknown') {
      unknown.push([d * 1440, (d + 1) * 1440 + latestNightClose(hours)]);
      continue;
    }
    for (const [o, c] of ranges) open.push([d * 1440 + o, d * 1440 + c]);
  }
  if (open.some(([a, b]) => a <= local && local < b)) return 'open';
  if (unknown.some(([a, b]) => a <= local && local < b)) return 'hours-unknown';
  return 'closed';
}

/**
 * A resource with its places, as the README states it: its own stated hours and each place's own hours;
 * open when any says open, else unknown when any is unknown (or none is stated), else closed.
 */
export function referenceResourceState(
  resource: {
    open24h: boolean;
    openingHours: OpeningHours | null;
    locations: readonly { openingHours?: OpeningHours }[];
  },
  ms: number,
): HoursState {
  const states = [
    ...(resource.open24h || resource.openingHours ? [referenceState(resource, ms)] : []),
    ...resource.locations.flatMap((l) =>
      l.openingHours ? [referenceState({ open24h: false, openingHours: l.openingHours }, ms)] : [],
    ),
  ];
  if (states.includes('open')) return 'open';
  if (states.length === 0 || states.includes('hours-unknown')) return 'hours-unknown';
  return 'closed';
}

/** The first whole minute after `ms`, within the horizon, at which the state differs. */
export function referenceNextChange(
  facts: { open24h: boolean; openingHours: OpeningHours | null },
  ms: number,
  horizonDays: number,
): { state: HoursState; at: number } | null {
  const current = referenceState(facts, ms);
  const until = ms + (horizonDays + 1) * day;
  for (let at = (Math.floor(ms / minute) + 1) * minute; at < until; at += minute) {
    const state = referenceState(facts, at);
    if (state !== current) return { state, at };
  }
  return null;
}
