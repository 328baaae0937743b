// /docs: Swagger UI from the service's own assets, no request to any other host, no validator.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';

const app = await buildTestApp(t);

/** http(s) URLs in a text, leaving out JavaScript line comments (a link in a comment fetches nothing). */
const foreignUrls = (text: string) =>
  text
    .split('\n')
    .map((line) => line.replace(/^\s*\/\/.*$/, ''))
    .join('\n')
    .match(/https?:\/\/[^\s"'`)<>]+/g) ?? [];

t.test('the page and every asset it loads come from this service', async (t) => {
  const page = await app.inject('/docs/');
  t.equal(page.statusCode, 200);
  t.match(page.headers['content-type'], /^text\/html/);
  t.match(page.body, /<title>Stödkartan – API<\/title>/);
  t.same(foreignUrls(page.body), [], 'no absolute URL in the HTML');
  const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
  t.ok(assets.length >= 5, `${assets.length} assets`);
  for (const asset of assets) {
    t.match(asset, /^\.\/static\//, `${asset} is relative to /docs/`);
    const response = await app.inject(new URL(asset, 'http://localhost/docs/').pathname);
    t.equal(response.statusCode, 200, `${asset} is served`);
  }
  const csp = page.headers['content-security-policy'] as string;
  t.match(csp, /default-src 'self'/);
  t.match(csp, /connect-src 'self'/);
  t.notMatch(
    csp,
    /https?:|validator\.swagger\.io|upgrade-insecure-requests/,
    'the browser may fetch nothing else',
  );
});

t.test('the initializer: our own document, validator disabled, no foreign URL', async (t) => {
  const initializer = await app.inject('/docs/static/swagger-initializer.js');
  t.equal(initializer.statusCode, 200);
  t.match(initializer.body, /validatorUrl: null/);
  t.notMatch(initializer.body, /validatorUrl: "http/);
  t.same(foreignUrls(initializer.body), [], 'no http(s) URL outside comments');
  t.match(initializer.body, /resolveUrl\('\.\/json'\)/, 'the document comes from /docs/json');
  const json = await app.inject('/docs/json');
  t.same(json.json(), (await app.inject('/openapi.json')).json());
});

t.test("the service's header and colours: theme assets served, Swagger UI's top bar left out", async (t) => {
  const page = await app.inject('/docs/');
  t.match(page.body, /href="\.\/static\/theme\/stodkartan\.css"/);
  t.match(page.body, /src="\.\/static\/theme\/stodkartan\.js"/);
  const script = await app.inject('/docs/static/theme/stodkartan.js');
  t.equal(script.statusCode, 200);
  t.match(script.body, /'\/openapi\.json'/, 'the header links /openapi.json');
  t.match(script.body, /'\/accessibility'/, 'and the accessibility statement');
  const initializer = await app.inject('/docs/static/swagger-initializer.js');
  t.match(initializer.body, /"layout": ?"BaseLayout"/, 'no top bar (logo, /docs/json field)');
});

t.test('/docs without the slash answers too', async (t) => {
  const response = await app.inject('/docs');
  t.ok([200, 302].includes(response.statusCode), `${response.statusCode}`);
});
