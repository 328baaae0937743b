// The coverage page in a real browser: headless Chromium (Debian's `chromium`, or CHROMIUM_PATH) driven by
// playwright-core against the real server, started as `npm start` would start it. The browser may reach the
// service and nothing else: every other request is aborted and fails the test, so the page is shown to
// work offline and to leak nothing to third parties. Screenshots go to test/artifacts/.
// Every page the service serves is checked against WCAG 2.1 AA with axe-core (issue 17): the coverage page
// for both counties, at desktop and phone width, in Swedish and English; /docs as it opens and with its
// controls open; the accessibility statement. axe is injected with the browser context's init script, which
// the pages' Content-Security-Policy does not govern, so the policy stays as served and its violations still
// show in the console.
// Run with `npm run test:e2e`; `npm test` does not run it (its name does not match .taprc's include).
import { once } from 'node:events';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import t, { type Test } from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { prepareDatabase } from '../../src/db/sqlite/open.js';
import { SqliteTokenStore } from '../../src/db/sqlite/token-store.js';
import { testConfig } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';
import { root, startServer } from '../helpers/process.js';

// A browser, a server and some thirty axe runs: more than .taprc's 120 s per file on a busy machine.
t.setTimeout(360_000);

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const axeVersion = (require('axe-core/package.json') as { version: string }).version;
const packageVersion = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string })
  .version;
/** WCAG 2.0 and 2.1, levels A and AA: what the DOS law asks of public bodies. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const artifacts = join(root, 'test', 'artifacts');
mkdirSync(artifacts, { recursive: true });

const requested: { url: string; acceptLanguage: string | undefined }[] = [];
const aborted: string[] = [];
const problems: string[] = [];
let origin = '';
let context: BrowserContext;
let page: Page;

// Everything is started in `before`, so that tap knows of every test below while it waits for the
// server and the browser, and stopped in teardowns, whatever fails.
t.before(async () => {
  // The database: reference data and the curated dataset, plus a county token to add one resource
  // through the API. The server opens the same file.
  const config = testConfig(t);
  const database = prepareDatabase(config);
  const token = await createToken(new SqliteTokenStore(database.db), 'e2e-jonkoping', {
    kind: 'county',
    county: '06',
  });
  database.close();

  const server = await startServer({ DATABASE_PATH: config.databasePath });
  origin = server.url;
  t.teardown(async () => {
    if (server.child.exitCode !== null) return;
    const exited = once(server.child, 'exit');
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  });

  // The seed has no coordinates (its sources give none), so one resource with a public address and a
  // sheltered housing is added to a covered cell: the map must show the one and never the other.
  const withAddress = resourceInput({
    name: 'Exempelmottagningen Jönköping',
    kind: 'stodcentrum',
    cells: [{ area: 'close-relationship', role: 'subjected', group: 'women' }],
    serviceArea: { municipalities: ['0680'] },
    locations: [
      {
        visibility: 'public',
        municipality: '0680',
        address: { street: 'Exempelgatan 1', postalCode: '553 21', city: 'Jönköping' },
        lat: 57.7815,
        lon: 14.1562,
      },
      { visibility: 'confidential', municipality: '0682' },
    ],
  });
  const created = await fetch(`${origin}/v1/resources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(withAddress),
  });
  if (created.status !== 201) throw new Error(`adding the resource answered ${created.status}`);

  context = await chromium.launchPersistentContext(t.testdir({}), {
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
  });
  t.teardown(() => context.close());
  // axe-core in every page, before the page's own scripts: an init script is not subject to the page's CSP.
  await context.addInitScript({ content: axeSource });

  // The network, cut off from everything but the service.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    aborted.push(url);
    return route.abort('internetdisconnected');
  });
  page = await openPage();
});

async function openPage(): Promise<Page> {
  const opened = await context.newPage();
  opened.on('request', (request) =>
    requested.push({ url: request.url(), acceptLanguage: request.headers()['accept-language'] }),
  );
  opened.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
  });
  opened.on('pageerror', (error) => problems.push(error.message));
  return opened;
}

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[];
  passes: unknown[];
}

/** Runs axe-core on the page as it is now and fails on any WCAG 2.1 A/AA violation, naming each. */
async function expectAccessible(t: Test, page: Page, what: string) {
  const result = (await page.evaluate(
    // The whole document: axe.run with options only.
    (tags) =>
      (globalThis as unknown as { axe: { run: (options: object) => Promise<unknown> } }).axe.run({
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    wcagTags,
  )) as AxeResult;
  const found = result.violations.map(
    (violation) =>
      `${violation.id} (${violation.impact}, ${violation.nodes.length}): ${violation.help} – ` +
      violation.nodes
        .slice(0, 3)
        .map((node) => node.target.join(' '))
        .join('; '),
  );
  t.same(found, [], `${what}: no WCAG 2.1 AA violation (axe-core ${axeVersion})`);
}

/** Waits until the page has drawn what it was asked for (body[data-state=ready]). */
const ready = (page: Page) => page.waitForSelector('body[data-state="ready"]', { timeout: 15_000 });

const cell = (area: string, role: string, group: string) =>
  `button.cell[data-area="${area}"][data-role="${role}"][data-group="${group}"]`;

interface ReportCell {
  area: string;
  role: string;
  group: string;
  status: string;
  nationalSupport: boolean;
  lackingMunicipalities: { code: string; name: string }[];
  notKnownMunicipalities: { code: string; name: string }[];
  resources: { id: string; name: string; afterInventory: boolean }[];
}
interface Report {
  inventory: { completeness: string; note?: string; notAssessed: object[] } | null;
  summary: Record<string, number>;
  cells: ReportCell[];
}

/** The report the page draws, straight from the API: the page must agree with it. */
async function report(query: string): Promise<Report> {
  const response = await page.request.get(`${origin}/v1/coverage?${query}`);
  return (await response.json()) as Report;
}

const summaryKeys: Record<string, string> = {
  covered: 'covered',
  partial: 'partial',
  'national-only': 'nationalOnly',
  gap: 'gap',
  'partly-known': 'partlyKnown',
  'none-known': 'noneKnown',
  'not-inventoried': 'notInventoried',
};

/** The legend as drawn: status → count. */
async function legendCounts(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#legend li', (items) =>
    Object.fromEntries(
      items.map((item) => [
        item.getAttribute('data-status') ?? 'missing',
        Number((item.querySelector('.legend-count')?.textContent ?? '').replace(/\D/g, '')),
      ]),
    ),
  );
}

const finding = /^(partial|national-only|gap)$/;

async function levels(page: Page): Promise<Record<string, number>> {
  return page.$$eval('#map-svg path', (paths) => {
    const counts: Record<string, number> = {};
    for (const path of paths) {
      const level = path.getAttribute('data-level') ?? 'missing';
      counts[level] = (counts[level] ?? 0) + 1;
    }
    return counts;
  });
}

t.test('Jönköpings län: the matrix shows the gaps the 2017–2018 report found', async (t) => {
  await page.goto(`${origin}/coverage?county=06`);
  await ready(page);
  t.equal(await page.getAttribute('html', 'lang'), 'sv', 'Swedish by default');
  t.equal(await page.textContent('#place-name'), 'Jönköpings län');
  t.equal(await page.$$eval('#matrix button.cell', (cells) => cells.length), 40, 'forty cells, all buttons');
  t.equal(
    await page.$$eval('#matrix thead th', (cells) => cells.length),
    6,
    'five groups and the row header',
  );
  t.equal(await page.inputValue('#county'), '06');
  t.ok(await page.isHidden('#subregion-field'), 'Jönköpings län has no subregions');

  const status = (selector: string) => page.getAttribute(selector, 'data-status');
  for (const group of ['girls', 'boys']) {
    t.equal(
      await status(cell('close-relationship', 'perpetrator', group)),
      'gap',
      `perpetrator × ${group}: gap`,
    );
  }
  for (const group of ['women', 'men', 'girls', 'boys', 'lgbtqi']) {
    // The report finds no support aimed at people in prostitution: not covered, whichever national line.
    t.match(
      await status(cell('prostitution-trafficking', 'subjected', group)),
      /^(gap|national-only)$/,
      `prostitution-trafficking × subjected × ${group}: not covered, a finding`,
    );
    // The report makes no finding on honour-related × perpetrator: not known, never a gap.
    t.match(
      await status(cell('honour-related', 'perpetrator', group)),
      /^(covered|partly-known|none-known)$/,
      `honour-related × perpetrator × ${group}: no finding, so not a gap`,
    );
    t.equal(
      await status(cell('close-relationship', 'subjected', group)),
      'covered',
      `subjected × ${group}: covered`,
    );
  }
  for (const group of ['men', 'lgbtqi']) {
    t.not(
      await status(cell('sexual-violence', 'subjected', group)),
      'covered',
      `sexual violence × ${group}: not covered`,
    );
  }

  const legend = await page.textContent('#legend');
  for (const symbol of ['●', '◐', '○', '✕', '◔', '◌'])
    t.match(legend, symbol, `the legend shows ${symbol}, not colour alone`);
  const api = await report('county=06');
  t.equal(api.inventory?.completeness, 'complete');
  const counts = await legendCounts(page);
  t.same(
    Object.keys(counts),
    ['covered', 'partial', 'national-only', 'gap', 'partly-known', 'none-known'],
    'a complete inventory with cells it makes no finding on: findings and not known, nothing else',
  );
  for (const [status, count] of Object.entries(counts)) {
    t.equal(count, api.summary[summaryKeys[status] as string], `the legend counts ${status} as the API does`);
  }
  t.equal(await page.getAttribute('#inventory', 'data-completeness'), 'complete');
  const inventory = await page.textContent('#inventory');
  t.match(inventory, /Källan för länet är en fullständig inventering/, 'says the source is complete');
  t.match(inventory, /Meddelande nr 2019:04/, 'names the source');
  t.match(
    await page.textContent('#inventory-not-assessed'),
    /ingen bedömning av Hedersrelaterat våld och förtryck · Utövar eller riskerar att utöva \(alla målgrupper\) och Prostitution/,
    'names the cells the source makes no finding on',
  );
  t.equal(await page.textContent('#inventory-note'), `Om källan: ${api.inventory?.note}`, 'and its note');
  t.match(
    await page.getAttribute(cell('honour-related', 'perpetrator', 'women'), 'title'),
    /Inte känt: källan gör ingen bedömning av rutan\./,
    'a cell without a finding says why it is not a gap',
  );
  t.match(
    await page.getAttribute(cell('close-relationship', 'perpetrator', 'girls'), 'title'),
    /352\s735 invånare i 13 av 13 kommuner/,
    'the affected population on hover (title)',
  );
  t.equal(
    await page.getAttribute('#csv-link', 'href'),
    '/v1/coverage?county=06&format=csv',
    'a link to the same report as CSV',
  );
  const csv = await page.request.get(`${origin}/v1/coverage?county=06&format=csv`);
  t.match(csv.headers()['content-type'], /^text\/csv/);
});

t.test('the keyboard reaches and selects a cell; the map draws the 13 municipalities', async (t) => {
  await page.focus(cell('close-relationship', 'perpetrator', 'women'));
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  const focused = {
    group: await page.locator(':focus').getAttribute('data-group'),
    role: await page.locator(':focus').getAttribute('data-role'),
  };
  t.same(focused, { group: 'girls', role: 'perpetrator' }, 'arrow keys move between cells');
  const population = page.locator(`${cell('close-relationship', 'perpetrator', 'girls')} .cell-population`);
  t.equal(
    await population.evaluate((node) => node.ownerDocument.defaultView?.getComputedStyle(node).opacity),
    '1',
    'population visible on focus',
  );
  t.match(
    await population.textContent(),
    /^352\s735 inv\.$/,
    'the population in full, Swedish digit grouping',
  );

  await page.keyboard.press('Enter');
  await page.waitForSelector(`${cell('close-relationship', 'perpetrator', 'girls')}[aria-pressed="true"]`);
  await ready(page);
  t.equal(
    await page.$$eval('#matrix button[aria-pressed="true"]', (cells) => cells.length),
    1,
    'one cell selected',
  );
  t.equal(await page.$$eval('#map-svg path', (paths) => paths.length), 13, '13 municipalities drawn');
  t.same(await levels(page), { none: 13 }, 'a gap: no support in any municipality');
  t.equal(
    await page.$$eval('#lacking li', (items) => items.length),
    13,
    'the 13 lacking municipalities are listed',
  );
  t.match(await page.textContent('#lacking'), /Jönköping/);
  t.match(await page.textContent('#detail-heading'), /Saknas/);
  t.equal(
    await page.$$eval('#map-svg .point', (points) => points.length),
    0,
    'nothing serves it, so no points',
  );
  t.match(page.url(), /area=close-relationship&role=perpetrator&group=girls/, 'the selection is in the URL');

  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Space');
  await ready(page);
  t.equal(
    await page.getAttribute(cell('honour-related', 'subjected', 'girls'), 'aria-pressed'),
    'true',
    'Space selects too',
  );

  // A screen tall enough for the whole detail panel, which scrolls on its own on shorter screens.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.click(cell('close-relationship', 'perpetrator', 'girls'));
  await ready(page);
  await page.screenshot({ path: join(artifacts, 'coverage-page.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

t.test('national-only, partial and covered cells shade the municipalities by level', async (t) => {
  const api = await report('county=06');
  const first = (status: string) => api.cells.find((c) => c.status === status);
  const nationalOnly = first('national-only');
  if (nationalOnly) {
    await page.click(cell(nationalOnly.area, nationalOnly.role, nationalOnly.group));
    await ready(page);
    t.same(await levels(page), { 'national-only': 13 }, 'national only: every municipality hatched blue');
    t.match(await page.textContent('#resources'), /Nationellt/);
  } else t.comment('no national-only cell in Jönköpings län today');

  const partial = first('partial');
  if (partial) {
    await page.click(cell(partial.area, partial.role, partial.group));
    await ready(page);
    const lacking = partial.lackingMunicipalities.length;
    t.same(
      await levels(page),
      { regional: 13 - lacking, [partial.nationalSupport ? 'national-only' : 'none']: lacking },
      'partial: the lacking municipalities, the others regional',
    );
    t.equal(await page.$$eval('#lacking li', (items) => items.length), lacking);
    t.match(await page.textContent('#lacking-heading'), `Kommuner utan regionalt stöd (${lacking})`);
  } else t.comment('no partial cell in Jönköpings län today');

  // Jönköping is complete, but the report makes no finding on honour-related × perpetrator.
  await page.click(cell('honour-related', 'perpetrator', 'women'));
  await ready(page);
  const unassessed = api.cells.find(
    (c) => c.area === 'honour-related' && c.role === 'perpetrator' && c.group === 'women',
  );
  const notKnown = unassessed?.notKnownMunicipalities.length ?? -1;
  t.same(
    await levels(page),
    notKnown === 13 ? { 'not-known': 13 } : { regional: 13 - notKnown, 'not-known': notKnown },
    'no finding: not known, never "none"',
  );
  t.match(await page.textContent('#detail-summary'), /gör ingen bedömning av den här rutan/);
  t.match(await page.textContent('#lacking-heading'), `Kommuner där stöd inte är känt (${notKnown})`);
  t.notMatch(await page.textContent('#detail'), /saknar|saknas/i, 'never called missing');

  // An entry from after the inventory is marked as such in the list.
  const later = api.cells.find((c) => c.resources.some((r) => r.afterInventory));
  if (later) {
    await page.click(cell(later.area, later.role, later.group));
    await ready(page);
    const marked = await page.$$eval('#resources li', (items) =>
      items
        .filter((item) => item.querySelector('.after-inventory'))
        .map((item) => item.querySelector('.resource > a, .resource > span')?.textContent),
    );
    t.same(
      marked,
      later.resources.filter((r) => r.afterInventory).map((r) => r.name),
      'the entries after the inventory, and only they, are marked',
    );
    t.match(await page.textContent('#resources .after-inventory'), 'efter inventeringen');
  } else t.comment('no entry after the inventory in Jönköpings län today');

  await page.click(cell('close-relationship', 'subjected', 'women'));
  await ready(page);
  t.same(await levels(page), { regional: 13 });
  t.equal(
    await page.$$eval('#map-svg .point', (points) => points.length),
    1,
    'one point: the public address, never the sheltered housing',
  );
  t.match(await page.textContent('#map-svg .point title'), /Exempelmottagningen Jönköping/);
  // Each serving resource links to its entry in the API.
  const entries = await page.$$eval('#resources a.entry-link', (links) =>
    links.map((link) => link.getAttribute('href') ?? ''),
  );
  t.ok(entries.length > 0, `${entries.length} entry links`);
  t.ok(
    entries.every((href) => /^\/v1\/resources\/[^/]+$/.test(href)),
    'each to /v1/resources/{id}',
  );
  const entry = await page.request.get(`${origin}${entries[0]}`);
  t.equal(entry.status(), 200, 'the entry answers');
  t.match(
    await page.textContent('#resources a.entry-link'),
    /Posten i API:t för /,
    'the link names the resource it leads to',
  );
  await page.locator('h1').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'coverage-page-covered.png'), fullPage: true });
});

t.test('English: labels switch and the API is asked in English', async (t) => {
  const before = requested.length;
  await page.click('button[data-lang="en"]');
  await page.waitForSelector('html[lang="en"]');
  await ready(page);
  t.equal(await page.getAttribute('button[data-lang="en"]', 'aria-pressed'), 'true');
  t.match(await page.textContent('h1'), /Coverage of support/);
  t.match(await page.textContent('#matrix thead'), /Women/);
  t.match(await page.textContent('#matrix'), /Violence in close relationships/);
  t.match(await page.textContent('#legend'), /Gap/);
  t.match(await page.textContent('#inventory'), /complete inventory/);
  const coverage = requested.slice(before).filter((request) => request.url.includes('/v1/coverage?'));
  t.ok(coverage.length > 0, 'the report is asked for again');
  t.ok(
    coverage.every((request) => request.acceptLanguage === 'en'),
    'with Accept-Language: en',
  );
  t.match(page.url(), /lang=en/);
  await page.click('button[data-lang="sv"]');
  await page.waitForSelector('html[lang="sv"]');
  await ready(page);
});

t.test('Västra Götaland: the source is a selection, so no cell is a gap and the page says so', async (t) => {
  await page.goto(`${origin}/coverage?county=14&area=close-relationship&role=perpetrator&group=girls`);
  await ready(page);
  const api = await report('county=14');
  t.equal(api.inventory?.completeness, 'selection', 'the API says selection');
  t.equal(await page.$$eval('#matrix button.cell', (cells) => cells.length), 40);

  const statuses = await page.$$eval('#matrix button.cell', (cells) => cells.map((c) => c.dataset.status));
  t.same(
    statuses.filter((status) => finding.test(status ?? '')),
    [],
    'no gap, partial or national-only cell',
  );
  for (const status of ['gap', 'partial', 'national-only']) {
    t.equal(await page.locator(`#matrix .status-${status}`).count(), 0, `no .status-${status} cell`);
  }
  // Colour as well as class: no cell is painted the gap's red.
  const gapColour = await page.$eval('body', (body) => {
    const probe = body.ownerDocument.createElement('span');
    probe.className = 'status-gap';
    body.append(probe);
    const colour = body.ownerDocument.defaultView?.getComputedStyle(probe).backgroundColor;
    probe.remove();
    return colour;
  });
  const red = await page.$$eval(
    '#matrix button.cell',
    (cells, colour) =>
      cells.filter((c) => c.ownerDocument.defaultView?.getComputedStyle(c).backgroundColor === colour).length,
    gapColour,
  );
  t.equal(red, 0, `no cell has the gap's background (${gapColour})`);
  t.notMatch(await page.textContent('#matrix'), /Saknas/, 'no cell says "Saknas"');
  const titles = await page.$$eval('#matrix button.cell', (cells) => cells.map((c) => c.title));
  t.same(
    titles.filter((title) => /saknar|Saknas/.test(title)),
    [],
    'no title says anything lacks support',
  );
  t.ok(
    titles.some((title) => /invånare i \d+ kommuner där stöd inte är känt/.test(title)),
    'partly known cells speak of municipalities where support is not known',
  );

  t.equal(await page.getAttribute('#inventory', 'data-completeness'), 'selection');
  const inventory = await page.textContent('#inventory');
  t.match(
    inventory,
    /Källan för länet är ett urval av stödresurser \(Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022/,
    'says in words that the source is a selection, and names it',
  );
  t.match(inventory, /rutor utan känt stöd är inte kända, inte luckor/);
  t.equal(await page.textContent('#inventory-note'), `Om källan: ${api.inventory?.note}`, 'the note too');

  const counts = await legendCounts(page);
  t.same(Object.keys(counts), ['covered', 'partly-known', 'none-known'], 'the legend shows what can occur');
  for (const [status, count] of Object.entries(counts)) {
    t.equal(count, api.summary[summaryKeys[status] as string], `the legend counts ${status} as the API does`);
  }
  t.notMatch(await page.textContent('#legend'), /✕|Saknas/, 'the legend has no gap');
  t.match(await page.textContent('.hint'), /var regionalt stöd är känt och var det inte är känt/);

  // The cell issue 18 found called "a gap for 1.7 million people": nothing known, drawn not known.
  const girls = cell('close-relationship', 'perpetrator', 'girls');
  t.equal(await page.getAttribute(girls, 'data-status'), 'none-known');
  t.equal(await page.getAttribute(girls, 'aria-pressed'), 'true', 'the cell from the URL is selected');
  t.match(await page.getAttribute(girls, 'title'), /Inte känt: källan är ett urval/);
  t.same(await levels(page), { 'not-known': 49 }, 'every municipality drawn "not known", none as "none"');
  t.match(await page.textContent('#detail-heading'), /Inget känt stöd/);
  t.match(await page.textContent('#detail-summary'), /Inget regionalt stöd är känt i Västra Götalands län\./);
  t.match(await page.textContent('#detail-summary'), /urval av stödresurser/);
  t.equal(await page.textContent('#lacking-heading'), 'Kommuner där stöd inte är känt (49)');
  t.notMatch(await page.textContent('#detail'), /saknar|saknas/i, 'never "lacking"');
  t.match(await page.textContent('#resources'), /Stödkartan känner inte till något stöd/);
  t.match(await page.textContent('#map-legend'), /Regionalt stöd inte känt/);

  // 49 municipalities leave no room for names on the map: each is named where the pointer or focus is.
  const firstByName = '#map-svg path.municipality[tabindex="0"]';
  t.equal(await page.locator(firstByName).count(), 1, 'one Tab stop on the map');
  await page.focus(firstByName);
  t.equal(await page.textContent('#map-svg .current text'), 'Ale', 'the first by name, named on focus');
  await page.keyboard.press('ArrowRight');
  t.equal(
    await page.locator(':focus').getAttribute('aria-label'),
    'Alingsås: Regionalt stöd inte känt',
    'the arrow keys go on to the next, which says its name and level',
  );
  t.equal(await page.textContent('#map-svg .current text'), 'Alingsås');
  await page.hover('#map-svg path[data-code="1490"]', { force: true });
  t.equal(await page.textContent('#map-svg .current text'), 'Borås', 'named under the pointer');
  await page.hover('#lacking li[data-code="1480"]');
  t.equal(await page.textContent('#map-svg .current text'), 'Göteborg', 'and from the list');

  // A screen tall enough for the whole detail panel.
  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.locator('h1').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'coverage-page-vastra-gotaland.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });

  // Partly known: the municipalities with known support regional, the others not known.
  const partly = api.cells.find((c) => c.status === 'partly-known');
  t.ok(partly, 'a partly known cell');
  if (partly) {
    await page.click(cell(partly.area, partly.role, partly.group));
    await ready(page);
    const notKnown = partly.notKnownMunicipalities.length;
    t.same(await levels(page), { regional: 49 - notKnown, 'not-known': notKnown });
    t.equal(await page.$$eval('#lacking li', (items) => items.length), notKnown);
    t.match(await page.textContent('#detail-summary'), `I ${notKnown} kommuner`);
    t.match(await page.textContent('#detail-summary'), /är stöd inte känt/);
  }

  await page.click('button[data-lang="en"]');
  await page.waitForSelector('html[lang="en"]');
  await ready(page);
  t.match(
    await page.textContent('#inventory'),
    /The county's source is a selection of support resources .*cells without known support are not known, not gaps/s,
  );
  t.notMatch(await page.textContent('#legend'), /Gap/);
  t.match(await page.textContent('#legend'), /Partly known/);
  t.match(await page.textContent('#lacking-heading'), /Municipalities where support is not known/);
  t.notMatch(await page.textContent('#detail'), /\black|missing/i, 'never "lack" in English either');
  await page.click('button[data-lang="sv"]');
  await page.waitForSelector('html[lang="sv"]');
  await ready(page);
});

t.test('Västra Götaland by default, and a subregion draws its own municipalities', async (t) => {
  await page.goto(`${origin}/coverage`);
  await ready(page);
  t.equal(await page.inputValue('#county'), '14', 'Västra Götaland is the default');
  t.equal(await page.$$eval('#map-svg path', (paths) => paths.length), 49, 'its 49 municipalities');
  t.ok(await page.isVisible('#subregion-field'));
  await page.selectOption('#subregion', 'skaraborg');
  await page.locator('#place-name', { hasText: /^Skaraborg$/ }).waitFor();
  await ready(page);
  t.equal(await page.$$eval('#map-svg path', (paths) => paths.length), 15, 'the 15 Skaraborg municipalities');
  t.equal(await page.getAttribute('#csv-link', 'href'), '/v1/coverage?subregion=skaraborg&format=csv');
  await page.selectOption('#county', '06');
  await page.locator('#place-name', { hasText: /^Jönköpings län$/ }).waitFor();
  await ready(page);
  t.equal(await page.$$eval('#map-svg path', (paths) => paths.length), 13);
});

t.test('a county not inventoried: every cell not inventoried, never a gap', async (t) => {
  await page.goto(`${origin}/coverage?county=01`);
  await ready(page);
  const api = await report('county=01');
  t.equal(api.inventory, null, 'Stockholms län has no inventory');
  const statuses = await page.$$eval('#matrix button.cell', (cells) => cells.map((c) => c.dataset.status));
  t.same([...new Set(statuses)], ['not-inventoried']);
  t.same(Object.keys(await legendCounts(page)), ['not-inventoried'], 'one legend item');
  t.equal(await page.getAttribute('#inventory', 'data-completeness'), 'none');
  t.match(await page.textContent('#inventory'), /Länet är inte inventerat/);
  const paths = await page.$$eval('#map-svg path', (all) => all.length);
  t.same(await levels(page), { 'not-inventoried': paths });
});

t.test('readable on a phone: 390 px wide, nothing wider than the screen', async (t) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${origin}/coverage?county=06&area=close-relationship&role=perpetrator&group=girls`);
  await ready(page);
  const width = await page.locator('html').evaluate((html) => html.scrollWidth);
  t.ok(width <= 390, `the page is ${width} px wide`);
  const matrix = await page.locator('#matrix').boundingBox();
  t.ok(matrix && matrix.width <= 390, 'the matrix fits the screen');
  t.equal(await page.$$eval('#map-svg path', (paths) => paths.length), 13);
  await page.screenshot({ path: join(artifacts, 'coverage-page-390.png'), fullPage: true });
  await page.goto(`${origin}/coverage?county=14`);
  await ready(page);
  const selectionWidth = await page.locator('html').evaluate((html) => html.scrollWidth);
  t.ok(selectionWidth <= 390, `Västra Götaland, with its note on the source, is ${selectionWidth} px wide`);
  await page.setViewportSize({ width: 1280, height: 900 });
});

t.test('compared with a date: what improved and what got worse, as the API says', async (t) => {
  const from = '2020-01-01';
  const today = new Date().toISOString().slice(0, 10);
  const expected = (await (
    await page.request.get(`${origin}/v1/coverage/changes?county=06&from=${from}&to=${today}`)
  ).json()) as {
    summary: Record<string, number>;
    cells: { direction: string; started: { name: string }[] }[];
  };
  t.ok(expected.cells.length > 0, `${expected.cells.length} cells changed in Jönköpings län since ${from}`);
  await page.goto(`${origin}/coverage?county=06&compare=${from}`);
  await ready(page);
  t.equal(await page.inputValue('#compare'), from, 'the date from the address');
  const drawn = () => page.$$eval('#improved li, #worsened li, #changed li', (items) => items.length);
  // A string, evaluated in the page: the test's TypeScript has no DOM types.
  await page.waitForFunction(
    `document.querySelectorAll('.change-list li').length === ${expected.cells.length}`,
  );
  t.equal(await drawn(), expected.cells.length, 'one item per changed cell');
  for (const direction of ['improved', 'worsened', 'changed']) {
    const count = await page.$$eval(`#${direction} li`, (items) => items.length);
    t.equal(count, expected.summary[direction], `${direction}: as many as the API counts`);
    t.equal(await page.isHidden(`#${direction}-section`), count === 0, `${direction}: shown when not empty`);
  }
  const started = expected.cells.flatMap((cell) => cell.started.map((r) => r.name));
  const text = (await page.textContent('#changes')) ?? '';
  for (const name of new Set(started)) t.ok(text.includes(name), `names ${name}`);
  t.match(text, /Förändringar sedan 2020-01-01/);
  await expectAccessible(t, page, '/coverage compared with a date');

  await page.fill('#compare', '');
  await page.waitForSelector('#changes', { state: 'hidden' });
  t.notMatch(page.url(), /compare=/, 'no date, no comparison, and none in the address');
});

t.test('WCAG 2.1 AA: axe-core finds no violation on the coverage page', async (t) => {
  const views = [
    { county: '14', cell: 'area=close-relationship&role=perpetrator&group=girls' },
    { county: '06', cell: 'area=close-relationship&role=subjected&group=women' },
  ];
  for (const { county, cell } of views) {
    for (const width of [1400, 390]) {
      for (const lang of ['sv', 'en']) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(`${origin}/coverage?county=${county}&${cell}${lang === 'en' ? '&lang=en' : ''}`);
        await ready(page);
        t.equal(await page.getAttribute('html', 'lang'), lang);
        await expectAccessible(t, page, `/coverage, county ${county}, ${width} px, ${lang}`);
      }
    }
  }
  // The footer links the statement in the page's language.
  t.equal(await page.getAttribute('#accessibility-link', 'href'), '/accessibility');
  await page.click('button[data-lang="sv"]');
  await page.waitForSelector('html[lang="sv"]');
  await ready(page);
  t.equal(await page.getAttribute('#accessibility-link', 'href'), '/tillganglighet');
  await page.setViewportSize({ width: 1280, height: 900 });
});

t.test("/docs: the service's name and /openapi.json, one version, and WCAG 2.1 AA", async (t) => {
  const docs = await openPage();
  await docs.setViewportSize({ width: 1400, height: 900 });
  await docs.goto(`${origin}/docs`);
  await docs.waitForSelector('.opblock-summary');
  t.equal(await docs.textContent('.stodkartan-name a'), 'Stödkartan', "the service's name, not a logo");
  t.equal(await docs.locator('.topbar, .topbar-wrapper img').count(), 0, 'no Swagger UI top bar or logo');
  t.equal(await docs.getAttribute('.stodkartan-header a[href="/openapi.json"]', 'href'), '/openapi.json');
  t.notMatch(await docs.locator('body').innerText(), /docs\/json/, '/docs/json is not shown');
  t.match(await docs.textContent('.info .title'), packageVersion, "package.json's version");
  t.equal(
    await docs.locator('.stodkartan-header a[href="/accessibility"]').count(),
    1,
    'links the statement',
  );
  await expectAccessible(t, docs, '/docs, 1400 px, as it opens');
  await docs.screenshot({ path: join(artifacts, 'docs.png') });

  // An operation open and tried, and every schema expanded: the controls Swagger UI draws on demand.
  await docs.click('#operations-resources-getResource .opblock-summary-control');
  await docs.click('#operations-resources-getResource .try-out__btn');
  await docs.click('#operations-resources-getResource .execute');
  await docs.waitForSelector('#operations-resources-getResource .responses-table.live-responses-table');
  await docs.click('.models-control');
  // "Expand all" on a few schemas (all 37 take Swagger UI too long to draw on a busy machine).
  const expandAll = docs.locator('section.models .json-schema-2020-12-expand-deep-button');
  for (const index of [0, 1, 2]) await expandAll.nth(index).click();
  await docs.waitForSelector('section.models .json-schema-2020-12-property', { state: 'attached' });
  await expectAccessible(t, docs, '/docs, 1400 px, an operation tried and the schemas expanded');

  // At phone width: a staff operation's form and the Authorize dialog.
  await docs.setViewportSize({ width: 390, height: 844 });
  await docs.goto(`${origin}/docs`);
  await docs.waitForSelector('.opblock-summary');
  for (const operation of ['#operations-staff-createResource', '#operations-coverage-getCoverage']) {
    await docs.click(`${operation} .opblock-summary-control`);
    await docs.click(`${operation} .try-out__btn`);
  }
  await docs.click('.btn.authorize');
  await docs.waitForSelector('.dialog-ux .modal-ux');
  await expectAccessible(t, docs, '/docs, 390 px, forms and the Authorize dialog open');
  await docs.close();
});

t.test('the accessibility statement: Swedish and English, what was tested, and WCAG 2.1 AA', async (t) => {
  const statement = await openPage();
  for (const [path, lang, other] of [
    ['/tillganglighet', 'sv', '/accessibility'],
    ['/accessibility', 'en', '/tillganglighet'],
  ] as const) {
    for (const width of [1400, 390]) {
      await statement.setViewportSize({ width, height: 900 });
      const response = await statement.goto(`${origin}${path}`);
      t.equal(response?.status(), 200);
      t.equal(await statement.getAttribute('html', 'lang'), lang);
      await expectAccessible(t, statement, `${path}, ${width} px`);
    }
    const text = await statement.textContent('main');
    t.match(text, `axe-core ${axeVersion}`, 'names the axe-core version the test runs');
    for (const tag of wcagTags) t.match(text, tag, `names the tag ${tag}`);
    t.match(text, /Chromium/);
    t.match(text, /1400/);
    t.match(text, /390/);
    t.ok(await statement.locator(`a[href="${other}"]`).count(), 'links the other language');
    t.ok(await statement.locator('a[href="/coverage"]').count());
    t.ok(await statement.locator('a[href="/docs"]').count());
  }
  await statement.screenshot({ path: join(artifacts, 'accessibility-statement.png'), fullPage: true });
  await statement.close();
});

t.test('only the service was asked for anything, and nothing else was needed', async (t) => {
  t.ok(requested.length > 10, `${requested.length} requests`);
  const elsewhere = requested.filter((request) => !request.url.startsWith(`${origin}/`));
  t.same(elsewhere, [], 'every request went to the service');
  t.same(aborted, [], 'nothing had to be cut off');
  t.same(problems, [], 'no errors or warnings in the console (CSP violations would show here)');
  t.notOk(
    requested.some((request) => /\/v1\/resources\?|nearby|search/.test(request.url)),
    'serving resources are fetched one by one, by id',
  );

  // The cut-off itself works: a page without the service's policy cannot reach another host.
  const blank = await context.newPage();
  const outcome = await blank.evaluate(() =>
    fetch('https://example.org/').then(
      () => 'reached',
      () => 'blocked',
    ),
  );
  t.equal(outcome, 'blocked');
  t.same(aborted, ['https://example.org/'], 'the request was aborted by the test, not by chance');
  await blank.close();
});
