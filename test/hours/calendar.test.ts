// The Swedish holidays and the Stockholm clock the opening hours stand on.
import t from 'tap';
import { dayOfDate, instantsShowing, offsetAt, wallTimeAt } from '../../src/hours/clock.js';
import { isSwedishHoliday } from '../../src/hours/holidays.js';
import { compileHours, nextChange, stateAt } from '../../src/hours/open-at.js';

t.test('the days Swedes keep as holidays', async (t) => {
  for (const [date, what] of [
    ['2026-06-19', 'midsommarafton'],
    ['2027-06-25', 'midsommarafton 2027'],
    ['2026-12-24', 'julafton'],
    ['2026-12-31', 'nyårsafton'],
    ['2026-06-06', 'nationaldagen'],
    ['2026-04-03', 'långfredagen'],
    ['2026-05-14', 'Kristi himmelsfärdsdag'],
  ])
    t.ok(isSwedishHoliday(date as string), `${what} (${date}) is a holiday`);
  for (const [date, what] of [
    ['2026-04-04', 'påskafton (a Saturday, typed observance)'],
    ['2026-04-30', 'valborgsmässoafton (a half day)'],
    ['2026-12-01', 'an ordinary Tuesday'],
    ['2026-05-25', 'annandag pingst (no longer a holiday)'],
  ])
    t.notOk(isSwedishHoliday(date as string), `${what} (${date}) is not`);
});

t.test('the clock on the nights it changes', async (t) => {
  t.equal(
    offsetAt(Date.parse('2026-03-29T00:59:59Z')),
    60,
    'winter time until 01:00 UTC on the last Sunday of March',
  );
  t.equal(offsetAt(Date.parse('2026-03-29T01:00:00Z')), 120, 'summer time from then');
  t.equal(offsetAt(Date.parse('2026-10-25T00:59:59Z')), 120);
  t.equal(
    offsetAt(Date.parse('2026-10-25T01:00:00Z')),
    60,
    'winter time again from 01:00 UTC on the last Sunday of October',
  );
  const march = dayOfDate('2026-03-29');
  t.same(instantsShowing(march, 150), [], '02:30 never shows on the spring night');
  t.same(instantsShowing(march, 180), [Date.parse('2026-03-29T01:00:00Z')], '03:00 shows once');
  t.same(
    instantsShowing(dayOfDate('2026-10-25'), 150),
    [Date.parse('2026-10-25T00:30:00Z'), Date.parse('2026-10-25T01:30:00Z')],
    '02:30 shows twice on the autumn night',
  );
  t.same(wallTimeAt(Date.parse('2026-07-01T22:30:00Z')), { day: dayOfDate('2026-07-02'), minute: 30 });
});

t.test('09:00–16:00 stays nine to four on the clock, winter and summer', async (t) => {
  const hours = compileHours({
    open24h: false,
    openingHours: {
      weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], opens: '09:00', closes: '16:00' }],
    },
  });
  t.equal(stateAt(hours, Date.parse('2026-03-27T08:00:00Z')), 'open', 'Friday before the change: 09:00 CET');
  t.equal(stateAt(hours, Date.parse('2026-03-30T07:00:00Z')), 'open', 'Monday after: 09:00 CEST');
  t.equal(stateAt(hours, Date.parse('2026-03-30T06:59:00Z')), 'closed', 'Monday after: 08:59 CEST');
  t.same(
    nextChange(hours, Date.parse('2026-03-27T15:30:00Z')),
    {
      state: 'open',
      at: Date.parse('2026-03-30T07:00:00Z'),
    },
    'closed over the weekend of the change, open again Monday 09:00 summer time',
  );
});
