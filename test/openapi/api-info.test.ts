// GET /v1/api-info: the self-description the Swedish REST API profile asks for.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t, { PUBLIC_BASE_URL: 'https://api.example.org:8080/' });

t.test('name, version, descriptions, contact, licence and absolute links', async (t) => {
  const { response, body } = await request(app, {
    url: '/v1/api-info',
    // A forged Host never reaches a link: PUBLIC_BASE_URL decides them (issue 11, finding 7).
    headers: { host: 'evil.example' },
  });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/json/);
  t.equal(body.apiName, 'Stödkartan');
  // One version, from one place: package.json's, which the OpenAPI document follows too.
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  t.equal(body.apiVersion, version, "package.json's version");
  t.equal(body.apiVersion, (await request(app, '/openapi.json')).body.info.version);
  t.equal(body.apiStatus, 'active');
  t.match(body.description.sv, /Stödkartan är/);
  t.match(body.description.en, /Stödkartan is/);
  t.equal(body.license.identifier, 'CC0-1.0');
  t.equal(body.license.url, 'http://creativecommons.org/publicdomain/zero/1.0/');
  t.ok(body.contact.name && body.contact.url);
  t.same(body.links, {
    documentation: 'https://api.example.org:8080/docs',
    openapiJson: 'https://api.example.org:8080/openapi.json',
    openapiYaml: 'https://api.example.org:8080/openapi.yaml',
    dataset: 'https://api.example.org:8080/v1/dataset',
    hsds: 'https://api.example.org:8080/hsds',
  });
  t.equal(body.apiDocumentation, body.links.documentation);
  t.notMatch(response.body, /evil\.example/);
  for (const path of ['/v1/dataset', '/hsds', '/hsds/services?per_page=1&page=1']) {
    const forged = await app.inject({ url: path, headers: { host: 'evil.example' } });
    t.equal(forged.statusCode, 200, path);
    t.notMatch(forged.body, /evil\.example/, `${path} copies no Host header into its links`);
    if (!path.includes('services'))
      t.match(forged.body, /https:\/\/api\.example\.org:8080/, `${path} links to PUBLIC_BASE_URL`);
  }
  for (const link of Object.values(body.links) as string[]) {
    const path = new URL(link).pathname;
    const answer = await app.inject(path);
    t.ok([200, 302].includes(answer.statusCode), `${path} answers (${answer.statusCode})`);
  }
  await expectProblem(t, app, '/v1/api-info?verbose=true', 400);
});

t.test('PUBLIC_BASE_URL is checked at start', async (t) => {
  const { loadConfig } = await import('../../src/config.js');
  t.equal(loadConfig({}).publicBaseUrl, 'http://localhost:3000', 'default: where it listens');
  t.equal(loadConfig({ PUBLIC_BASE_URL: 'https://x.example/api/' }).publicBaseUrl, 'https://x.example/api');
  for (const bad of ['x.example', 'ftp://x.example', 'https://x.example/?a=1', 'https://u:p@x.example'])
    t.throws(() => loadConfig({ PUBLIC_BASE_URL: bad }), /PUBLIC_BASE_URL/, bad);
});
