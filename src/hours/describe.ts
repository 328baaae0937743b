// Opening hours as one line of text, for a spreadsheet cell: `mon–fri 09:00–16:00; holidays closed`.
import { type OpeningHours, weekdays } from './schedule.js';

const holidayWords = { closed: 'closed', 'as-sunday': 'as Sunday', 'as-usual': 'as usual' } as const;

/** Days as runs: `mon–fri, sun`. */
function dayRuns(days: readonly string[]): string {
  const positions = [
    ...new Set(days.map((day) => weekdays.indexOf(day as (typeof weekdays)[number]))),
  ].sort();
  const runs: string[] = [];
  for (let i = 0; i < positions.length; ) {
    let j = i;
    while (j + 1 < positions.length && (positions[j + 1] as number) === (positions[j] as number) + 1) j++;
    const first = weekdays[positions[i] as number];
    const last = weekdays[positions[j] as number];
    runs.push(j - i >= 2 ? `${first}–${last}` : j === i ? `${first}` : `${first}, ${last}`);
    i = j + 1;
  }
  return runs.join(', ');
}

export function describeOpeningHours(hours: OpeningHours): string {
  const parts = hours.weekly.map((entry) => `${dayRuns(entry.days)} ${entry.opens}–${entry.closes}`);
  if (hours.weekly.length === 0) parts.push('no weekly hours');
  parts.push(`holidays ${hours.holidays ? holidayWords[hours.holidays] : 'unknown'}`);
  for (const exception of hours.exceptions ?? []) {
    const times = exception.hours.map((h) => `${h.opens}–${h.closes}`).join(', ');
    parts.push(`${exception.date} ${times || 'closed'}`);
  }
  if (hours.validFrom) parts.push(`from ${hours.validFrom}`);
  if (hours.validUntil) parts.push(`until ${hours.validUntil}`);
  return parts.join('; ');
}
