// What the log keeps of a request (issue 11, finding 6): one line per answer, whatever its status, with the
// method, the route pattern — never the path as sent, never the query string — and the status. A request
// that matched no route is logged as `(no route)`. A position is kept only where the route accepted it as
// numbers from the query string, and then rounded to one decimal (about 10 km); a body is never logged.
import t from 'tap';
import { buildTestApp, request } from '../helpers/app.js';
import { coordinateLeaks, loggedRequests, parseLogLines } from '../helpers/logs.js';

let written = '';
const app = await buildTestApp(
  t,
  { LOG_LEVEL: 'info', RATE_LIMIT_READS: '100000' },
  {
    logStream: {
      write(line: string) {
        written += line;
      },
    },
  },
);

/** What the log holds about the requests made while `send` runs, and the raw text of it. */
async function logOf(send: () => Promise<void>) {
  written = '';
  await send();
  return { lines: parseLogLines(written), text: written };
}

t.test('a well-formed position: the route, the status and the position rounded', async (t) => {
  const { lines } = await logOf(async () => {
    const { response, body } = await request(
      app,
      '/v1/resources/nearby?lat=57.72345&lon=12.94567&radiusKm=20',
    );
    t.equal(response.statusCode, 200);
    t.equal(body.municipality.code, '1490', 'answered for the exact position: Borås');
  });
  t.same(loggedRequests(lines), [
    { method: 'GET', url: '/v1/resources/nearby', status: 200, position: { lat: 57.7, lon: 12.9 } },
  ]);
  t.same(coordinateLeaks(lines, ['57.72345', '12.94567', 'radiusKm']), []);
});

t.test('a refused position is not logged at all, rounded or not', async (t) => {
  const { lines } = await logOf(async () => {
    for (const query of [
      'LAT=57.72345&Lon=12.94567',
      'lat=57,72345&lon=12.94567',
      'lat=57.72345&lon=12%2C94567',
    ]) {
      const { response, body } = await request(app, `/v1/places/lookup?${query}`);
      t.equal(response.statusCode, 400, query);
      t.equal(body.code, 'validation-failed');
      t.notOk(response.body.includes('57.72345'), 'nor does the answer repeat the position');
    }
  });
  t.same(
    loggedRequests(lines),
    Array(3).fill({ method: 'GET', url: '/v1/places/lookup', status: 400 }),
    'the route and 400, no position',
  );
  t.same(coordinateLeaks(lines, ['57,72345', '12,94567', '57.72345', '12.94567', '57.7', '12.9']), []);
});

t.test('the position in a search body is never logged', async (t) => {
  const { lines } = await logOf(async () => {
    const { response } = await request(app, {
      method: 'POST',
      url: '/v1/resources/search',
      payload: { lat: 58.39123, lon: 13.84567 },
    });
    t.equal(response.statusCode, 200);
  });
  t.same(loggedRequests(lines), [{ method: 'POST', url: '/v1/resources/search', status: 200 }]);
  t.same(coordinateLeaks(lines, ['58.39123', '13.84567', '58.4', '13.8']), []);
});

t.test('a request that matched no route: the method, (no route) and the status', async (t) => {
  const { lines } = await logOf(async () => {
    t.equal((await app.inject('/v1/resources/nearby/57.7712345/14.1654321')).statusCode, 404);
    t.equal((await app.inject('/v1/resources/%ff57.7712345')).statusCode, 400);
    t.equal((await app.inject({ method: 'DELETE', url: '/v1/places/57.7712345' })).statusCode, 404);
  });
  t.same(loggedRequests(lines), [
    { method: 'GET', url: '(no route)', status: 404 },
    { method: 'GET', url: '(no route)', status: 400 },
    { method: 'DELETE', url: '(no route)', status: 404 },
  ]);
});

t.test('hostile variants: the whole log holds none of the digits sent', async (t) => {
  const lat = '57.7712345';
  const lon = '14.1654321';
  const gets = [
    `/v1/resources/nearby?lat%5B%5D=${lat}&lon=${lon}`,
    `/v1/resources/nearby?lat[]=${lat}&lon[]=${lon}`,
    `/v1/resources/nearby?latitude=${lat}&longitude=${lon}`,
    `/v1/resources/nearby?lat=${lat}&lon=${lon}&radiusKm=0`,
    `/v1/resources/nearby?lat=${lat}&lon=${lon}&x=1`,
    `/v1/resources/nearby?lat=${lat}&lon=${lon}&radiusKm=1000&q=${Array(9).fill('s').join('+')}`,
    `/v1/resources/nearby?lat=${lat}&lon=${lon}&page=999`,
    `/v1/resources/nearby?lat=${lat},${lon}`,
    `/v1/resources/nearby?position=${lat}%2C${lon}`,
    `/v1/resources?q=${lat}%2C${lon}`,
    `/v1/resources?q=${lat}%2C${lon}&kind=${lat}`,
    `/v1/resources/nearby/${lat}/${lon}`,
    `/v1/resources/${lat},${lon}`,
    `/v1/resources/${lat}%2C${lon}`,
    `/v1/resources/%ff${lat}`,
    `/v1/resources/${'9'.repeat(200)}${lat}`,
    `/v1/places/lookup?lat=${lat}&lon=${lon}&extra=${lat}`,
    `/v1/places/lookup?lat=${lat}&lon=${lon}#${lat}`,
    `/v1/coverage?county=06&lat=${lat}`,
    `/${lat}/${lon}`,
    `/health?lat=${lat}&lon=${lon}`,
    `/ready?${lat}`,
    `/v1/resources/nearby?lat=${lat}&lon=${lon}`,
    `/v1/places/lookup?lat=${lat}&lon=${lon}`,
  ];
  const bodies: unknown[] = [
    { lat: Number(lat), lon: Number(lon) },
    { lat: Number(lat), lon: Number(lon), radiusKm: 5000 },
    { lat: Number(lat), lon: Number(lon), latitude: lat },
    { lat: lat, lon: lon },
    { lat: [Number(lat)], lon: Number(lon) },
    { position: `${lat},${lon}` },
    { lat: Number(lat), lon: Number(lon), q: `${lat} ${lon}` },
    { lat: Number(lat), lon: Number(lon), q: 'a b c d e f g h i', radiusKm: 500 },
    { lat: Number(lat), lon: Number(lon), kind: [lat] },
  ];
  const { lines, text } = await logOf(async () => {
    for (const url of gets) await app.inject(url);
    for (const payload of bodies) {
      await app.inject({ method: 'POST', url: '/v1/resources/search', payload: payload as object });
    }
    await app.inject({
      method: 'POST',
      url: '/v1/resources/search',
      payload: `{"lat": ${lat}, "lon": ${lon},`,
      headers: { 'content-type': 'application/json' },
    });
    await app.inject({
      method: 'POST',
      url: `/v1/resources/search?lat=${lat}`,
      payload: `lat=${lat}&lon=${lon}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await app.inject({
      method: 'OPTIONS',
      url: `/v1/resources/nearby?lat=${lat}`,
      headers: { origin: 'https://x.example', 'access-control-request-method': 'GET' },
    });
    await app.inject({
      url: '/v1/resources',
      headers: { 'x-position': `${lat},${lon}`, referer: `https://x.example/?lat=${lat}` },
    });
  });
  const requests = loggedRequests(lines);
  t.equal(requests.length, gets.length + bodies.length + 4, 'one line per request');
  t.ok(requests.some((r) => r.status === 400) && requests.some((r) => r.status === 404), 'of every status');
  for (const digits of ['7712345', '1654321', '57.77', '14.16']) {
    t.notOk(text.includes(digits), `the log does not hold ${digits}`);
  }
  t.same(coordinateLeaks(lines, [lat, lon]), []);
  t.ok(
    requests.every((r) => !r.url.includes('?')),
    'no logged URL has a query string',
  );
  // Rounded, and only where the route accepted lat and lon as numbers from the query string: nearby
  // (answered, or refused afterwards for its cost or its page) and lookup.
  const positioned = requests.filter((r) => r.position);
  t.ok(positioned.length >= 2, `${positioned.length} lines with a position`);
  t.ok(
    positioned.every(
      (r) =>
        ['/v1/resources/nearby', '/v1/places/lookup'].includes(r.url) &&
        r.position?.lat === 57.8 &&
        r.position.lon === 14.2,
    ),
    JSON.stringify(positioned),
  );
});
