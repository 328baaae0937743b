// GET /v1/dataset: the DCAT-AP-SE description a catalogue harvests, with working links.
import t from 'tap';
import { type Body, buildTestApp, request } from '../helpers/app.js';

const app = await buildTestApp(t, { PUBLIC_BASE_URL: 'http://data.example.org' });

t.test('a dcat:Dataset in JSON-LD, CC0, in Swedish and English', async (t) => {
  const { response, body } = await request(app, {
    url: '/v1/dataset',
    headers: { host: 'data.example.org' },
  });
  t.equal(response.statusCode, 200);
  t.match(response.headers['content-type'], /^application\/ld\+json/);
  t.equal(body['@type'], 'dcat:Dataset');
  t.equal(body['@id'], 'http://data.example.org/v1/dataset');
  t.equal(body['@context'].dcat, 'http://www.w3.org/ns/dcat#');
  t.equal(body['@context'].dcterms, 'http://purl.org/dc/terms/');
  t.same(body['dcterms:license'], { '@id': 'http://creativecommons.org/publicdomain/zero/1.0/' });
  for (const field of ['dcterms:title', 'dcterms:description']) {
    t.same(
      body[field].map((text: Body) => text['@language']),
      ['sv', 'en'],
      `${field} in Swedish and English`,
    );
  }
  t.equal(body['dcterms:publisher']['foaf:name'], 'Stödkartan');
  t.equal(body['dcat:contactPoint']['@type'], 'vcard:Organization');
  t.match(body['dcterms:modified']['@value'], /^\d{4}-\d\d-\d\dT/);
  t.equal(body['dcat:landingPage']['@id'], 'http://data.example.org/docs');
});

t.test('one distribution per export and per API, every link answering', async (t) => {
  const { body } = await request(app, { url: '/v1/dataset', headers: { host: 'data.example.org' } });
  const distributions = body['dcat:distribution'] as Body[];
  const downloads = distributions.filter((d) => d['dcat:downloadURL']);
  t.same(
    downloads.map((d) => d['dcat:downloadURL']['@id']),
    [
      'http://data.example.org/v1/export/resources.csv',
      'http://data.example.org/v1/export/resources.geojson',
      'http://data.example.org/v1/export/resources.ndjson',
    ],
  );
  t.same(
    downloads.map((d) => d['dcat:mediaType']?.['@id']),
    [
      'http://www.iana.org/assignments/media-types/text/csv',
      'http://www.iana.org/assignments/media-types/application/geo+json',
      undefined,
    ],
  );
  for (const distribution of distributions) {
    t.equal(distribution['@type'], 'dcat:Distribution');
    t.same(distribution['dcterms:license'], body['dcterms:license']);
    t.match(
      distribution['dcterms:format']['@id'],
      /^http:\/\/publications\.europa\.eu\/resource\/authority\/file-type\//,
    );
    const path = new URL(distribution['dcat:accessURL']['@id']).pathname;
    const answer = await app.inject(path);
    t.equal(answer.statusCode, 200, `${path} answers`);
  }
  const services = distributions.flatMap((d) => (d['dcat:accessService'] ? [d['dcat:accessService']] : []));
  t.equal(services.length, 2, 'the REST API and the HSDS view');
  for (const service of services) {
    t.equal(service['@type'], 'dcat:DataService');
    t.equal(service['dcat:endpointDescription']['@id'], 'http://data.example.org/openapi.json');
    t.equal(service['dcat:servesDataset']['@id'], body['@id']);
  }
});
