// The worked examples of the README, replayed through the app: if one stops working, this fails.
import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { type Body, buildTestApp, request } from '../helpers/app.js';

const app = await buildTestApp(t);

t.test("an app's nearby query, the position in the body", async (t) => {
  const { response, body } = await request(app, {
    method: 'POST',
    url: '/v1/resources/search',
    headers: { 'content-type': 'application/json' },
    payload: {
      lat: 57.78,
      lon: 14.16,
      radiusKm: 30,
      area: 'close-relationship',
      role: 'subjected',
      group: 'women',
    },
  });
  t.equal(response.statusCode, 200);
  t.equal(body.municipality.name, 'Jönköping');
  t.ok(body.items.length > 0 && body.items[0].servesLocation, 'resources serving the point first');
  t.ok(body.helplines.some((h: Body) => h.name === 'Kvinnofridslinjen'));
});

t.test('who answers on midsommarafton evening', async (t) => {
  const url =
    '/v1/resources?municipality=0680&area=close-relationship&role=subjected&group=men&age=30&openAt=2026-06-19T20:00:00%2B02:00';
  const { response, body } = await request(app, url);
  t.equal(response.statusCode, 200);
  t.same(
    body.items.map((item: Body) => [item.name, item.openingStatus]),
    [
      [
        'Stödlinjen för män',
        {
          at: '2026-06-19T18:00:00.000Z',
          state: 'open',
          next: { state: 'closed', at: '2026-06-19T19:00:00.000Z' },
        },
      ],
    ],
  );
  t.equal(body.hoursUnknown, 1, 'the regional entry without stated hours is counted, not listed');
  const night = await request(app, url.replace('T20%3A00', 'T02%3A00').replace('T20:00', 'T02:00'));
  t.equal(night.body.totalItems, 0, 'at 02:00 nothing is open');
});

t.test("a county's coverage as CSV", async (t) => {
  const response = await app.inject({ url: '/v1/coverage?county=06', headers: { accept: 'text/csv' } });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^text\/csv/);
  t.equal(response.body.trim().split('\r\n').length, 41, 'a header and the 40 cells');
});

t.test(
  'a staff edit with a token: fetch, strip to the input shape (the jq line), PUT with If-Match',
  async (t) => {
    const token = createToken(app.database.db, 'anna', { kind: 'county', county: '06' });
    const { body: list } = await request(app, '/v1/resources?county=06&national=false');
    const id = list.items[0].id;
    const current = await app.inject(`/v1/resources/${id}`);
    const etag = current.headers.etag as string;
    t.match(etag, /^"\d+"$/);
    // jq 'del(.createdAt, .updatedAt) | with_entries(select(.value != null))'
    const { createdAt: _created, updatedAt: _updated, ...rest } = current.json();
    const entry = {
      ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)),
      hours: 'Mån–fre 9–16',
    };
    const put = (ifMatch: string) =>
      app.inject({
        method: 'PUT',
        url: `/v1/resources/${id}`,
        headers: {
          authorization: `Bearer ${token}`,
          'if-match': ifMatch,
          'content-type': 'application/json',
        },
        payload: JSON.stringify(entry),
      });
    const saved = await put(etag);
    t.equal(saved.statusCode, 200, saved.body);
    t.equal(saved.json().hours, 'Mån–fre 9–16');
    t.not(saved.headers.etag, etag, 'a new ETag');
    t.equal((await put(etag)).statusCode, 412, 'the old ETag is stale now');
  },
);
