// GET /v1/api-info: the self-description the Swedish REST API profile asks for.
import { readFileSync } from 'node:fs';
import t from 'tap';
import { buildTestApp, expectProblem, request } from '../helpers/app.js';

const app = await buildTestApp(t);

t.test('name, version, descriptions, contact, licence and absolute links', async (t) => {
  const { response, body } = await request(app, {
    url: '/v1/api-info',
    headers: { host: 'api.example.org:8080' },
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
    documentation: 'http://api.example.org:8080/docs',
    openapiJson: 'http://api.example.org:8080/openapi.json',
    openapiYaml: 'http://api.example.org:8080/openapi.yaml',
    dataset: 'http://api.example.org:8080/v1/dataset',
    hsds: 'http://api.example.org:8080/hsds',
  });
  t.equal(body.apiDocumentation, body.links.documentation);
  for (const link of Object.values(body.links) as string[]) {
    const path = new URL(link).pathname;
    const answer = await app.inject(path);
    t.ok([200, 302].includes(answer.statusCode), `${path} answers (${answer.statusCode})`);
  }
  await expectProblem(t, app, '/v1/api-info?verbose=true', 400);
});
