// A person's position never reaches the log as given: the service, logging at `info` as in production,
// rounds every lat/lon query parameter to one decimal whatever the case of its name, and writes
// `redacted` for a value that is no number, so a typo such as a decimal comma is not kept either.
import t from 'tap';
import { buildTestApp, request } from '../helpers/app.js';
import { coordinateLeaks, loggedUrls, parseLogLines } from '../helpers/logs.js';

let written = '';
const app = await buildTestApp(
  t,
  { LOG_LEVEL: 'info' },
  {
    logStream: {
      write(line: string) {
        written += line;
      },
    },
  },
);

/** What the log holds about the requests made while `send` runs. */
async function logOf(send: () => Promise<void>) {
  written = '';
  await send();
  return parseLogLines(written);
}

t.test('a well-formed position is rounded', async (t) => {
  const lines = await logOf(async () => {
    const { response, body } = await request(
      app,
      '/v1/resources/nearby?lat=57.72345&lon=12.94567&radiusKm=20',
    );
    t.equal(response.statusCode, 200);
    t.match(response.headers['content-type'], /^application\/json/);
    t.equal(body.municipality.code, '1490', 'answered for the exact position: Borås');
  });
  t.same(loggedUrls(lines), ['/v1/resources/nearby?lat=57.7&lon=12.9&radiusKm=20']);
  t.same(coordinateLeaks(lines, ['57.72345', '12.94567']), []);
});

t.test('parameter names in any case are rounded too', async (t) => {
  const lines = await logOf(async () => {
    const { response, body } = await request(app, '/v1/places/lookup?LAT=57.72345&Lon=12.94567');
    t.equal(response.statusCode, 400, 'the names are case-sensitive: unknown parameters');
    t.match(response.headers['content-type'], /^application\/problem\+json/);
    t.ok(body.errors.some((e: { name?: string }) => e.name === 'LAT'));
    t.notOk(response.body.includes('57.72345'), 'nor does the answer repeat the position');
  });
  t.ok(loggedUrls(lines).includes('/v1/places/lookup?LAT=57.7&Lon=12.9'), 'LAT and Lon rounded');
  t.same(coordinateLeaks(lines, ['57.72345', '12.94567']), []);
});

t.test('a coordinate that is no number is logged as redacted, not as given', async (t) => {
  const lines = await logOf(async () => {
    for (const query of ['lat=57,72345&lon=12.94567', 'lat=57.72345&lon=12%2C94567']) {
      const { response, body } = await request(app, `/v1/places/lookup?${query}`);
      t.equal(response.statusCode, 400, query);
      t.match(response.headers['content-type'], /^application\/problem\+json/);
      t.equal(body.code, 'validation-failed');
    }
  });
  const urls = loggedUrls(lines);
  t.ok(urls.includes('/v1/places/lookup?lat=redacted&lon=12.9'), 'a decimal comma');
  t.ok(urls.includes('/v1/places/lookup?lat=57.7&lon=redacted'), 'a decimal comma, percent-encoded');
  t.same(coordinateLeaks(lines, ['57,72345', '12,94567', '57.72345', '12.94567']), []);
});

t.test('the position in a search body is never logged', async (t) => {
  const lines = await logOf(async () => {
    const { response, body } = await request(app, {
      method: 'POST',
      url: '/v1/resources/search',
      payload: { lat: 58.39123, lon: 13.84567 },
    });
    t.equal(response.statusCode, 200);
    t.match(response.headers['content-type'], /^application\/json/);
    t.type(body.items, Array);
  });
  t.ok(loggedUrls(lines).includes('/v1/resources/search'), 'the search is logged, its body not');
  t.same(coordinateLeaks(lines, ['58.39123', '13.84567']), []);
});
