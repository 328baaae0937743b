// Structured opening hours: the shape staff and seed files write, and the checks a JSON schema cannot
// make. Times are Europe/Stockholm wall-clock ("09:00" is nine on the clock in Sweden, summer or winter).
import { type Static, Type } from 'typebox';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** How a Swedish public holiday (röd dag, and midsommar-, jul- and nyårsafton) is kept. */
const holidayRules = ['closed', 'as-sunday', 'as-usual'] as const;

const Opens = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'Opening time, HH:MM on the Stockholm wall clock (00:00–23:59).',
});
const Closes = Type.String({
  pattern: '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$',
  description:
    'Closing time, HH:MM (24:00 is the end of the day). Earlier than `opens`: the interval runs past ' +
    'midnight and closes the next day.',
});

const Interval = Type.Object({ opens: Opens, closes: Closes }, { additionalProperties: false });

const IsoDate = Type.String({ format: 'date', description: 'A calendar date, YYYY-MM-DD.' });

export const OpeningHoursSchema = Type.Object(
  {
    weekly: Type.Array(
      Type.Object(
        {
          days: Type.Array(Type.Enum(weekdays), { minItems: 1, maxItems: 7, uniqueItems: true }),
          opens: Opens,
          closes: Closes,
        },
        { additionalProperties: false },
      ),
      {
        maxItems: 50,
        description:
          'Weekly intervals: on each of `days` open from `opens` to `closes`. An interval belongs to the ' +
          'day it opens on, also when it closes after midnight. Every day 00:00–24:00 is open around the clock.',
      },
    ),
    holidays: Type.Optional(
      Type.Enum(holidayRules, {
        description:
          'On Swedish public holidays (the röda dagarna, and midsommarafton, julafton and nyårsafton): ' +
          "`closed`, `as-sunday` (Sunday's hours) or `as-usual` (the weekday's own hours). Left out when " +
          'the source does not say: the hours on a holiday are then unknown.',
      }),
    ),
    exceptions: Type.Optional(
      Type.Array(
        Type.Object(
          {
            date: IsoDate,
            hours: Type.Array(Interval, {
              maxItems: 10,
              description: "That day's intervals instead of the weekly ones; empty: closed that day.",
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100, description: 'Dates with other hours (or closed), before every other rule.' },
      ),
    ),
    validFrom: Type.Optional({ ...IsoDate, description: 'First day the hours hold (unknown before).' }),
    validUntil: Type.Optional({ ...IsoDate, description: 'Last day the hours hold (unknown after).' }),
  },
  {
    $id: 'OpeningHours',
    additionalProperties: false,
    description:
      'Opening hours on the Stockholm wall clock: weekly intervals (past midnight allowed), a rule for ' +
      'Swedish public holidays, dated exceptions and the dates they hold. Daylight-saving changes do not ' +
      'move them. A resource without them has unknown hours (unless `open24h`), which never count as open.',
    examples: [
      {
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '16:00' }],
        holidays: 'closed',
        exceptions: [{ date: '2026-12-23', hours: [{ opens: '09:00', closes: '12:00' }] }],
      },
    ],
  },
);
export type OpeningHours = Static<typeof OpeningHoursSchema>;

/** Minutes since midnight of an `HH:MM` (24:00 is 1440). */
export const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** What the schema cannot say: intervals of no length, dates out of order or repeated. */
export function openingHoursProblems(hours: OpeningHours): { pointer: string; reason: string }[] {
  const problems: { pointer: string; reason: string }[] = [];
  const emptyInterval = (pointer: string, interval: { opens: string; closes: string }) => {
    if (minutesOf(interval.opens) === minutesOf(interval.closes))
      problems.push({ pointer, reason: 'opens and closes at the same time (for a whole day: 00:00–24:00)' });
  };
  for (const [i, interval] of hours.weekly.entries()) emptyInterval(`/weekly/${i}`, interval);
  const dates = new Set<string>();
  hours.exceptions?.forEach((exception, i) => {
    if (dates.has(exception.date))
      problems.push({ pointer: `/exceptions/${i}/date`, reason: `${exception.date} is given twice` });
    dates.add(exception.date);
    for (const [j, interval] of exception.hours.entries())
      emptyInterval(`/exceptions/${i}/hours/${j}`, interval);
  });
  if (hours.validFrom && hours.validUntil && hours.validFrom > hours.validUntil)
    problems.push({ pointer: '/validUntil', reason: 'must not be before validFrom' });
  return problems;
}

const hoursStates = ['open', 'closed', 'hours-unknown'] as const;

export const OpeningStatusSchema = Type.Object(
  {
    at: Type.String({ format: 'date-time', description: 'The instant asked about (UTC).' }),
    state: Type.Enum(hoursStates, {
      description: '`open`, `closed`, or `hours-unknown`: no source states the hours then.',
    }),
    next: Type.Union(
      [
        Type.Object({
          state: Type.Enum(hoursStates),
          at: Type.String({ format: 'date-time', description: 'When it changes (UTC).' }),
        }),
        Type.Null(),
      ],
      { description: 'When the state next changes, and to what; null when it does not within 14 days.' },
    ),
  },
  {
    $id: 'OpeningStatus',
    description:
      'Whether the resource is open at the asked instant and when that next changes. Only in answers to ' +
      '`openNow` or `openAt`.',
    examples: [{ at: '2026-12-24T01:00:00.000Z', state: 'open', next: null }],
  },
);
