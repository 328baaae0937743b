// Opening hours at random instants against the brute-force reference: random weekly intervals (past
// midnight too), holiday rules, exceptions and validity, at instants around the nights the clocks change,
// midsommar, jul and nyår.
import fc from 'fast-check';
import t from 'tap';
import { compileHours, horizonDays, nextChange, stateAt } from '../../src/hours/open-at.js';
import { type OpeningHours, weekdays } from '../../src/hours/schedule.js';
import { referenceNextChange, referenceState } from './reference.js';

// Instants where the rules are hardest: the DST nights of 2025–2028 (01:00 UTC), midsommarafton,
// julafton, nyårsafton, and a plain week.
const anchors = [
  '2025-03-30T01:00:00Z',
  '2025-10-26T01:00:00Z',
  '2026-03-29T01:00:00Z',
  '2026-10-25T01:00:00Z',
  '2027-03-28T01:00:00Z',
  '2027-10-31T01:00:00Z',
  '2028-03-26T01:00:00Z',
  '2026-06-19T10:00:00Z',
  '2026-12-24T10:00:00Z',
  '2026-12-31T22:00:00Z',
  '2026-11-17T01:00:00Z',
].map(Date.parse);

const time = (max: number) =>
  fc
    .integer({ min: 0, max })
    .map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
// Whole hours and the minutes around the changes are likelier than any other minute.
const opens = fc.oneof(
  time(1439),
  fc.constantFrom('00:00', '01:30', '02:00', '02:30', '03:00', '09:00', '22:00'),
);
const closes = fc.oneof(time(1440), fc.constantFrom('02:00', '02:30', '03:00', '16:00', '24:00', '08:00'));
const interval = fc.record({ opens, closes }).filter(({ opens: o, closes: c }) => o !== c);

const anchorDates = anchors.map((ms) => new Date(ms).toISOString().slice(0, 10));
const nearDate = fc
  .tuple(fc.constantFrom(...anchors), fc.integer({ min: -3, max: 3 }))
  .map(([ms, days]) => new Date(ms + days * 86_400_000).toISOString().slice(0, 10));

const hoursArb: fc.Arbitrary<OpeningHours> = fc
  .record(
    {
      weekly: fc.array(
        fc.record({
          days: fc.subarray([...weekdays], { minLength: 1 }),
          opens,
          closes,
        }),
        { maxLength: 4 },
      ),
      holidays: fc.constantFrom('closed', 'as-sunday', 'as-usual', undefined),
      exceptions: fc.uniqueArray(
        fc.record({
          date: fc.oneof(nearDate, fc.constantFrom(...anchorDates)),
          hours: fc.array(interval, { maxLength: 2 }),
        }),
        {
          maxLength: 3,
          selector: (e) => e.date,
        },
      ),
      validFrom: fc.option(nearDate, { nil: undefined }),
      validUntil: fc.option(nearDate, { nil: undefined }),
    },
    { requiredKeys: ['weekly'] },
  )
  .filter((h) => h.weekly.every((w) => w.opens !== w.closes))
  .map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined)) as OpeningHours);

const instant = fc
  .tuple(
    fc.constantFrom(...anchors),
    fc.integer({ min: -36 * 60, max: 36 * 60 }),
    fc.integer({ min: 0, max: 59_999 }),
  )
  .map(([ms, minutes, extra]) => ms + minutes * 60_000 + extra);

const factsArb = fc.oneof(
  { weight: 8, arbitrary: hoursArb.map((openingHours) => ({ open24h: false, openingHours })) },
  { weight: 1, arbitrary: fc.constant({ open24h: true, openingHours: null }) },
  { weight: 1, arbitrary: fc.constant({ open24h: false, openingHours: null }) },
);

t.test('the state at an instant agrees with the reference', async (t) => {
  fc.assert(
    fc.property(factsArb, fc.array(instant, { minLength: 1, maxLength: 20 }), (facts, instants) => {
      const compiled = compileHours(facts);
      for (const ms of instants) {
        const expected = referenceState(facts, ms);
        const actual = stateAt(compiled, ms);
        if (actual !== expected)
          throw new Error(`${new Date(ms).toISOString()}: ${actual}, the reference says ${expected}`);
      }
    }),
    { numRuns: 400 },
  );
  t.pass('400 schedules × up to 20 instants agree');
});

t.test('the next change agrees with the reference', async (t) => {
  fc.assert(
    fc.property(factsArb, instant, (facts, ms) => {
      const actual = nextChange(compileHours(facts), ms);
      const expected = facts.openingHours ? referenceNextChange(facts, ms, horizonDays) : null;
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        throw new Error(
          `after ${new Date(ms).toISOString()}: ${JSON.stringify(actual)}, the reference says ${JSON.stringify(expected)}`,
        );
    }),
    { numRuns: 40 },
  );
  t.pass('40 schedules agree on the next change');
});

t.test('around the nights the clocks change, the next change agrees with the reference', async (t) => {
  const transitions = anchors.slice(0, 7);
  const nightTime = fc
    .integer({ min: 60, max: 240 })
    .map((m) => `0${Math.floor(m / 60)}:${String(m % 60).padStart(2, '0')}`);
  fc.assert(
    fc.property(
      fc.record({ opens: nightTime, closes: fc.oneof(nightTime, fc.constantFrom('16:00', '24:00')) }),
      fc.constantFrom(...transitions),
      fc.integer({ min: -180, max: 60 }),
      ({ opens: o, closes: c }, transition, minutes) => {
        if (o === c) return;
        const facts = {
          open24h: false,
          openingHours: {
            weekly: [{ days: [...weekdays], opens: o, closes: c }],
            holidays: 'as-usual' as const,
          },
        };
        const ms = transition + minutes * 60_000;
        const actual = nextChange(compileHours(facts), ms);
        const expected = referenceNextChange(facts, ms, horizonDays);
        if (JSON.stringify(actual) !== JSON.stringify(expected))
          throw new Error(
            `${o}–${c} after ${new Date(ms).toISOString()}: ${JSON.stringify(actual)}, the reference says ${JSON.stringify(expected)}`,
          );
      },
    ),
    { numRuns: 150 },
  );
  t.pass('150 night intervals agree');
});
