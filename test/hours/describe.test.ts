// Opening hours as one line of text (the CSV column and HSDS notes).
import t from 'tap';
import { describeOpeningHours } from '../../src/hours/describe.js';

t.equal(
  describeOpeningHours({ weekly: [{ days: ['fri', 'mon', 'wed'], opens: '09:00', closes: '12:00' }] }),
  'mon, wed, fri 09:00–12:00; holidays unknown',
  'days in week order, runs of two named apart, no holiday rule said to be unknown',
);
t.equal(
  describeOpeningHours({
    weekly: [
      { days: ['mon', 'tue', 'wed', 'fri'], opens: '08:00', closes: '16:00' },
      { days: ['sat', 'sun'], opens: '22:00', closes: '03:00' },
    ],
    holidays: 'as-sunday',
    exceptions: [
      { date: '2026-12-24', hours: [] },
      {
        date: '2026-12-23',
        hours: [
          { opens: '08:00', closes: '12:00' },
          { opens: '13:00', closes: '15:00' },
        ],
      },
    ],
    validFrom: '2026-01-01',
    validUntil: '2026-12-31',
  }),
  'mon–wed, fri 08:00–16:00; sat, sun 22:00–03:00; holidays as Sunday; 2026-12-24 closed; ' +
    '2026-12-23 08:00–12:00, 13:00–15:00; from 2026-01-01; until 2026-12-31',
);
t.equal(describeOpeningHours({ weekly: [], holidays: 'closed' }), 'no weekly hours; holidays closed');
