// Swedish public holidays from date-holidays (a maintained, per-country rule set), by local date.
// It types the röda dagarna `public`, and midsommarafton, julafton and nyårsafton `bank`: days that
// Swedish law and agreements treat like Sundays (semesterlagen, most kollektivavtal) and on which offices
// close. Both count. `observance` (påskafton, pingstafton, Luciadagen …) and `optional` (the half days
// before trettondedagen, valborg, allhelgona) do not: they are ordinary days for opening hours.
import Holidays from 'date-holidays';

const sweden = new Holidays('SE');
const countedTypes = new Set(['public', 'bank']);
const byYear = new Map<number, ReadonlySet<string>>();

/** The holiday dates of a year (YYYY-MM-DD) that count as holidays for opening hours. */
export function swedishHolidays(year: number): ReadonlySet<string> {
  let dates = byYear.get(year);
  if (!dates) {
    dates = new Set(
      sweden
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
