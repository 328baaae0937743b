// The HSDS 3.0 view on the real app: every response validates against Open Referral's own JSON Schemas,
// the view agrees with /v1 on what exists, and a confidential location gives nothing away.
import t from 'tap';
import { hsdsStatus } from '../../src/hsds/mapping.js';
import { allStatuses, closed, planned, shelter, storeEntries } from '../exports/open-data-fixtures.js';
import { type Body, buildTestApp, expectProblem, request } from '../helpers/app.js';
import { assertValid, hsdsValidators } from './validator.js';

const app = await buildTestApp(t, { PUBLIC_BASE_URL: 'https://stodkartan.example/' });
await storeEntries(app, [shelter, planned, closed]);
const hsds = hsdsValidators();

async function json(url: string): Promise<Body> {
  const { response, body } = await request(app, url);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  t.match(response.headers['content-type'], /^application\/json/);
  return body;
}

/** Every item of an HSDS list, page by page, each page validated as an HSDS Page. */
async function everyItem(path: string, validateItem: typeof hsds.serviceList, perPage = 7): Promise<Body[]> {
  const items: Body[] = [];
  for (let page = 1; ; page++) {
    const body = await json(`${path}${path.includes('?') ? '&' : '?'}page=${page}&per_page=${perPage}`);
    assertValid(t, hsds.page, body, `${path} page ${page}`);
    for (const item of body.contents) assertValid(t, validateItem, item, `an item of ${path}`);
    t.equal(body.size, body.contents.length);
    t.equal(body.first_page, page === 1);
    items.push(...body.contents);
    if (body.last_page) {
      t.equal(items.length, body.total_items, `${path}: total_items counts them all`);
      return items;
    }
  }
}

async function v1Count(query: string): Promise<number> {
  return (await json(`/v1/resources?limit=1&${query}`)).totalItems;
}

t.test('GET /hsds and /hsds/: the HSDS meta information', async (t) => {
  for (const url of ['/hsds', '/hsds/']) {
    const body = await json(url);
    assertValid(t, hsds.apiInfo, body, url);
    t.equal(body.version, '3.0');
    t.equal(body.openapi_url, 'https://stodkartan.example/openapi.json');
    t.match(body.profile, /^https:\/\/stodkartan\.example\/docs/);
  }
  const { body } = await request(app, { url: '/hsds', headers: { host: 'data.example.org' } });
  t.equal(body.openapi_url, 'https://stodkartan.example/openapi.json', 'a forged Host changes no link');
});

t.test('services: every resource of every status, valid HSDS, one-to-one and fully nested', async (t) => {
  const list = await everyItem('/hsds/services', hsds.serviceList);
  t.equal(list.length, await v1Count(allStatuses), 'as many services as /v1 has resources');
  t.equal(new Set(list.map((s) => s.id)).size, list.length, 'ids are unique');
  t.same(
    list.map((s) => s.id),
    [...list.map((s) => s.id)].sort(),
    'in id order',
  );
  for (const summary of list) {
    t.type(summary.organization?.id, 'string', `${summary.name} has its organization`);
    const full = await json(`/hsds/services/${summary.id}`);
    assertValid(t, hsds.service, full, `service ${summary.name}`);
    t.equal(full.organization_id, summary.organization.id);
  }
});

t.test('one service: the mapping of every part', async (t) => {
  const service = await json(`/hsds/services/${shelter.id}`);
  t.equal(service.name, 'Testjouren Borås');
  t.equal(service.status, 'active');
  t.equal(service.url, 'https://example.org/testjouren');
  t.equal(service.email, 'info@example.org');
  t.equal(service.minimum_age, 18);
  t.equal(service.maximum_age, 120);
  t.equal(service.assured_date, '2026-01-15');
  t.match(service.application_process, /anonymt.*remiss.*Chatt: https:\/\/example\.org\/chatt/);
  t.equal(service.fees_description, 'Kostnadsfritt.');
  t.same(
    service.cost_options.map((c: Body) => [c.amount, c.currency]),
    [[0, 'SEK']],
  );
  t.same(
    service.service_areas.map((a: Body) => [a.name, a.uri]),
    [
      ['Borås', 'https://stodkartan.example/v1/municipalities/1490'],
      ['Ulricehamn', 'https://stodkartan.example/v1/municipalities/1491'],
    ],
  );
  t.same(
    service.languages.map((l: Body) => [l.code, l.name]),
    [
      ['sv', 'svenska'],
      ['ar', 'arabiska'],
    ],
  );
  t.same(
    service.phones.map((p: Body) => p.number),
    ['+46331234 56'.replace(' ', '')],
  );
  t.equal(service.contacts[0].email, 'info@example.org');
  t.same(
    service.schedules.map((s: Body) => s.description),
    ['Mån–fre 9–16'],
  );
  t.same(service.organization, {
    id: service.organization_id,
    name: 'Testkommunen',
    description: 'Kommun',
    legal_status: 'kommun',
  });

  const linked = (type: string) =>
    service.attributes.filter((a: Body) => a.link_type === type).map((a: Body) => a.taxonomy_term.code);
  t.same(linked('service_type'), ['kvinnojour']);
  t.same(linked('audience'), ['individuals', 'professionals']);
  t.same(linked('target_group').sort(), [
    'close-relationship/subjected/women',
    'honour-related/subjected/girls',
  ]);
  for (const attribute of service.attributes) t.equal(attribute.link_id, shelter.id);
  t.same(
    service.metadata.map((m: Body) => [m.field_name, m.replacement_value, m.updated_by, m.last_action_date]),
    [
      ['*', 'https://example.org/kalla', 'Testkälla', '2026-01-10'],
      [
        'contact,locations,hours',
        'https://example.org/testjouren/kontakt',
        'Testjouren: kontakt',
        '2026-01-12',
      ],
    ],
    'every source as provenance metadata, the main one first',
  );

  const [office, sheltered] = service.service_at_locations;
  t.equal(office.location.latitude, 57.721);
  t.equal(office.location.longitude, 12.94);
  t.same(
    office.location.addresses.map((a: Body) => [
      a.address_1,
      a.postal_code,
      a.city,
      a.state_province,
      a.country,
    ]),
    [['Storgatan 1', '503 30', 'Borås', 'Västra Götalands län', 'SE']],
  );
  t.same(Object.keys(sheltered.location).sort(), ['description', 'id', 'location_type', 'name']);
  t.equal(sheltered.location.name, 'Skyddad adress');
  t.match(sheltered.location.description, /skyddad/);
  t.not(office.location_id, sheltered.location_id);
});

t.test('statuses map to HSDS: planned and inactive are inactive, closed is defunct', async (t) => {
  t.same(hsdsStatus, { active: 'active', planned: 'inactive', inactive: 'inactive', closed: 'defunct' });
  t.equal((await json(`/hsds/services/${planned.id}`)).status, 'inactive');
  t.equal((await json(`/hsds/services/${closed.id}`)).status, 'defunct');
});

t.test('a national line serves Sverige', async (t) => {
  const { body } = await request(app, '/v1/resources?national=true&limit=1');
  const service = await json(`/hsds/services/${body.items[0].id}`);
  t.same(
    service.service_areas.map((a: Body) => a.name),
    ['Sverige'],
  );
  t.same(service.schedules[0]?.byday, 'MO,TU,WE,TH,FR,SA,SU', 'open 24/7 becomes a weekly schedule');
});

t.test('organizations: stable derived ids, each with its services', async (t) => {
  const list = await everyItem('/hsds/organizations', hsds.organizationList);
  t.equal(new Set(list.map((o) => o.id)).size, list.length, 'ids are unique');
  const again = await everyItem('/hsds/organizations', hsds.organizationList);
  t.same(
    again.map((o) => o.id),
    list.map((o) => o.id),
    'and the same on every request',
  );
  let services = 0;
  for (const summary of list) {
    const organization = await json(`/hsds/organizations/${summary.id}`);
    assertValid(t, hsds.organization, organization, `organization ${summary.name}`);
    t.ok(organization.services.length > 0, `${summary.name} provides a service`);
    services += organization.services.length;
  }
  t.equal(services, await v1Count(allStatuses), 'every service belongs to one listed organization');
  const test = list.find((o) => o.name === 'Testkommunen');
  const detail = await json(`/hsds/organizations/${test.id}`);
  t.same(
    detail.organization_identifiers.map((i: Body) => [i.identifier_scheme, i.identifier]),
    [['SE-BLV', '212000-1561']],
  );
});

t.test('taxonomies and terms: the vocabulary and the 40 cells', async (t) => {
  const taxonomies = await everyItem('/hsds/taxonomies', hsds.taxonomy, 100);
  t.same(
    taxonomies.map((x) => x.name),
    [
      'stodkartan-areas',
      'stodkartan-roles',
      'stodkartan-groups',
      'stodkartan-kinds',
      'stodkartan-audiences',
      'stodkartan-cells',
    ],
  );
  for (const taxonomy of taxonomies) t.same(await json(`/hsds/taxonomies/${taxonomy.id}`), taxonomy);

  const terms = await everyItem('/hsds/taxonomy_terms', hsds.taxonomyTerm, 30);
  const vocabulary = (await json('/v1/vocabulary')) as Record<string, unknown[]>;
  const axes = ['areas', 'roles', 'groups', 'kinds'].reduce(
    (n, axis) => n + (vocabulary[axis]?.length ?? 0),
    0,
  );
  t.equal(terms.length, axes + 2 + 40, 'every code, two audiences and the 40 cells');

  const cellsTaxonomy = taxonomies.find((x) => x.name === 'stodkartan-cells');
  const cells = await everyItem(
    `/hsds/taxonomy_terms?taxonomy_id=${cellsTaxonomy.id}`,
    hsds.taxonomyTerm,
    100,
  );
  t.equal(cells.length, 40);
  t.ok(cells.every((c) => /^[a-z-]+\/[a-z-]+\/[a-z-]+$/.test(c.code)));
  const women = cells.find((c) => c.code === 'close-relationship/subjected/women');
  t.equal(women.name, 'Våld i nära relationer: Utsatt, Kvinnor');
  t.same(await json(`/hsds/taxonomy_terms/${women.id}`), women);

  const problem = await expectProblem(
    t,
    app,
    '/hsds/taxonomy_terms?taxonomy_id=00000000-0000-4000-8000-000000000000',
    400,
  );
  t.equal(problem.errors[0].name, 'taxonomy_id');
});

t.test(
  'service at locations: every location, confidential ones without address or coordinates',
  async (t) => {
    const list = await everyItem('/hsds/service_at_locations', hsds.serviceAtLocationList, 5);
    const v1 = await json(`/v1/resources?limit=100&${allStatuses}`);
    const locations = (v1.items as Body[]).reduce((n, r) => n + r.locations.length, 0);
    t.equal(list.length, locations, 'as many as the locations of every resource');
    const ours = list.filter((s) => s.service_id === shelter.id);
    t.equal(ours.length, 2);
    const [office, sheltered] = ours;
    t.equal(office.location.latitude, 57.721);
    t.notOk('addresses' in office.location, 'lists carry one-to-one fields only');
    t.equal(sheltered.location.name, 'Skyddad adress');
    t.notOk('latitude' in sheltered.location);
    t.equal(sheltered.service.name, 'Testjouren Borås');
    const full = await json(`/hsds/services/${shelter.id}`);
    t.same(
      ours.map((s) => s.id),
      full.service_at_locations.map((s: Body) => s.id),
      'the same ids as in the nested service',
    );
  },
);

t.test('bad requests: 400 and 404 as problem+json', async (t) => {
  t.equal((await expectProblem(t, app, '/hsds/services?per_page=101', 400)).errors[0].name, 'per_page');
  t.equal((await expectProblem(t, app, '/hsds/services?page=9999', 400)).errors[0].name, 'page');
  t.equal((await expectProblem(t, app, '/hsds/services?search=jour', 400)).errors[0].name, 'search');
  await expectProblem(t, app, '/hsds/services/not-a-uuid', 400);
  await expectProblem(t, app, '/hsds/services/00000000-0000-4000-8000-000000000000', 404);
  await expectProblem(t, app, '/hsds/organizations/00000000-0000-4000-8000-000000000000', 404);
  await expectProblem(t, app, '/hsds/taxonomies/00000000-0000-4000-8000-000000000000', 404);
  await expectProblem(t, app, '/hsds/taxonomy_terms/00000000-0000-4000-8000-000000000000', 404);
});

t.test('the validators are real: they refuse what HSDS refuses', async (t) => {
  t.notOk(hsds.service({ id: 'not-a-uuid', name: 'x', status: 'planned' }), 'a bad id and status');
  t.notOk(hsds.taxonomyTerm({ id: '00000000-0000-4000-8000-000000000000', name: 'x' }), 'no description');
  t.notOk(hsds.page({ contents: [] }), 'a page without its counts');
});
