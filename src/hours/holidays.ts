// Swedish public holidays from date-holidays (a maintained, per-country rule set), by local date.
// It types the röda dagarna `public`, and midsommarafton, julafton and nyårsafton `bank`: days that
// Swedish law and agreements treat like Sundays (semesterlagen, most kollektivavtal) and on which offices
// close. Both count. `observance` (påskafton, pingstafton, Luciadagen …) and `optional` (the half days
// before trettondedagen, valborg, allhelgona) do not: they are ordinary days for opening hours.
//
// Loaded on first use, not at start: the library carries every country's rules and a time-zone database
// (about 0.2 s of CPU to load), and most answers never ask about a holiday. Its CommonJS build is required
// synchronously, so that the opening-hours rules stay plain functions; a `require` made by createRequire is
// left out of the server bundle (scripts/build.mjs), and the package is loaded from node_modules.
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';

const require = createRequire(import.meta.url);
let calendar: Holidays | undefined;
const sweden = (): Holidays => {
  calendar ??= new (require('date-holidays') as typeof Holidays)('SE');
  return calendar;
};
const countedTypes = new Set(['public', 'bank']);
const byYear = new Map<number, ReadonlySet<string>>();

/** The holiday dates of a year (YYYY-MM-DD) that count as holidays for opening hours. */
function swedishHolidays(year: number): ReadonlySet<string> {
  let dates = byYear.get(year);
  if (!dates) {
    dates = new Set(
      sweden()
        .getHolidays(year)
        .filter((holiday) => countedTypes.has(holiday.type))
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    if (byYear.size > 400) byYear.clear();
    byYear.set(year, dates);
  }
  return dates;
}

/** Whether a date (YYYY-MM-DD) is a Swedish holiday for opening hours. */
export const isSwedishHoliday = (date: string): boolean =>
  swedishHolidays(Number(date.slice(0, 4))).has(date);
