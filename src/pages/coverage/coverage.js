// The coverage page: which support exists in a county for each cell of the matrix (area × role × target
// group), where it is missing and where it is not known (a county whose source is a selection has no gaps,
// only support not known). It is also a worked example of a client of Stödkartan's public API: plain
// JavaScript, fetch and the DOM, no framework and no build step. It reads
//   GET /v1/vocabulary                              labels of areas, roles, groups and kinds (sv, en)
//   GET /v1/counties                                the counties and their subregions
//   GET /v1/coverage?county=|subregion=             the matrix: status, the county's inventory (complete or
//                                                   a selection), lacking or not-known municipalities, resources
//   GET /v1/municipalities?county=|subregion=       municipality seats and populations
//   GET /v1/municipalities/boundaries.geojson?…     municipality boundaries for the map
//   GET /v1/resources/{id}                          a serving resource: national or not, public locations
// Sheltered-housing addresses never reach the page: the API does not send them, and only public locations
// with coordinates are drawn.

const texts = {
  sv: {
    title: 'Täckning av stöd – Stödkartan',
    heading: 'Täckning av stöd i länet',
    lede:
      'Vilket specialiserat stöd mot våld som finns för varje målgrupp, och i vilka kommuner det saknas eller ' +
      'inte är känt.',
    county: 'Län',
    subregion: 'Delregion',
    wholeCounty: 'Hela länet',
    language: 'Språk',
    csv: 'Ladda ner som CSV',
    compare: 'Jämför med datum',
    changesHeading: (date) => `Förändringar sedan ${date}`,
    changesSummary: (improved, worsened, changed) =>
      `${improved} ${improved === 1 ? 'ruta' : 'rutor'} bättre, ${worsened} sämre, ${changed} förändrade på annat sätt.`,
    noChanges: 'Ingen ruta har förändrats sedan dess.',
    compareBeforeToday: 'Välj ett datum före i dag.',
    improved: 'Förbättrat',
    worsened: 'Försämrat',
    changedOther: 'Förändrat på annat sätt',
    started: 'Tillkommit',
    stopped: 'Upphört',
    legend: 'Teckenförklaring',
    hint: 'Välj en ruta för att se kartan över kommunerna och vilka som saknar regionalt stöd.',
    hintSelection:
      'Välj en ruta för att se kartan över kommunerna: var regionalt stöd är känt och var det inte är känt.',
    hintNotInventoried: 'Välj en ruta för att se vilket stöd i Stödkartan som täcker den.',
    footer:
      'Uppgifterna kommer från Stödkartans öppna API (CC0). Sidan använder bara det publika API:t och kan ' +
      'läsas som ett exempel på en klient.',
    docs: 'API-dokumentation',
    accessibility: 'Tillgänglighet',
    loading: 'Hämtar …',
    failed: 'Kunde inte hämta uppgifterna',
    areaAndRole: 'Område och roll',
    matrixCaption: (place) => `Täckning per område, roll och målgrupp i ${place}`,
    municipalities: (n) => `${n} ${n === 1 ? 'kommun' : 'kommuner'}`,
    inhabitants: (n) => `${n} invånare (2016)`,
    peopleUnit: 'inv.',
    sourceOf: (source, date) => `${source}, inventerat ${date}`,
    selectionLabel: 'Urval',
    selection: (source) => [
      'Källan för länet är ett urval av stödresurser (',
      source,
      '): rutor utan känt stöd är inte kända, inte luckor. Länet kan ha mer stöd än källan tar upp.',
    ],
    completeLabel: 'Fullständig inventering',
    complete: (source) => [
      'Källan för länet är en fullständig inventering (',
      source,
      '): där den inte fann regionalt stöd är det en lucka.',
    ],
    notAssessed: (cells) =>
      `Källan gör ingen bedömning av ${cells}. De rutorna visas som inte kända, inte som luckor.`,
    everyGroup: 'alla målgrupper',
    inventoryNote: 'Om källan:',
    notInventoriedLabel: 'Inte inventerat',
    notInventoried: 'Länet är inte inventerat. Alla rutor visas som inte inventerade, inte som luckor.',
    status: {
      covered: 'Täckt',
      partial: 'Delvis',
      'national-only': 'Endast nationellt',
      gap: 'Saknas',
      'partly-known': 'Delvis känt',
      'none-known': 'Inget känt stöd',
      'not-inventoried': 'Inte inventerat',
    },
    statusShort: {
      covered: 'Täckt',
      partial: 'Delvis',
      'national-only': 'Nationellt',
      gap: 'Saknas',
      'partly-known': 'Delvis känt',
      'none-known': 'Inget känt',
      'not-inventoried': 'Ej inventerat',
    },
    statusMeaning: {
      covered: 'regionalt stöd i alla kommuner',
      partial: 'regionalt stöd i några kommuner, övriga saknar det',
      'national-only': 'bara nationella stödlinjer',
      gap: 'inget stöd alls',
      'partly-known': 'känt regionalt stöd i några kommuner; i övriga är det inte känt, inte en lucka',
      'none-known': 'inget regionalt stöd känt i någon kommun; inte en lucka',
      'not-inventoried': 'länet är inte inventerat',
    },
    cellTitle: (name, status, lacking, total, population) =>
      lacking === 0
        ? `${name}: ${status}. Regionalt stöd i alla ${total} kommuner.`
        : `${name}: ${status}. ${population} invånare i ${lacking} av ${total} kommuner saknar regionalt stöd.`,
    partlyKnownTitle: (name, status, known, total, notKnown, population, reason) =>
      `${name}: ${status}. Känt regionalt stöd i ${known} av ${total} kommuner; ${population} invånare i ` +
      `${notKnown} kommuner där stöd inte är känt. ${reason}`,
    noneKnownTitle: (name, status, national, reason) =>
      `${name}: ${status}. Inget regionalt stöd är känt${national ? ', nationellt stöd finns' : ''}. ${reason}`,
    reasonSelection: 'Inte känt: källan är ett urval, inte en fullständig inventering.',
    reasonNotAssessed: 'Inte känt: källan gör ingen bedömning av rutan.',
    notInventoriedTitle: (name) => `${name}: Inte inventerat. Länet är inte inventerat.`,
    detailSummaryCovered: (total) => `Alla ${total} kommuner har regionalt stöd.`,
    detailSummary: (lacking, total, population) =>
      `${lacking} av ${total} kommuner saknar regionalt stöd, med ${population} invånare (2016).`,
    detailPartlyKnown: (known, total, notKnown, population) =>
      `Regionalt stöd är känt i ${known} av ${total} kommuner. I ${notKnown} kommuner, med ${population} ` +
      'invånare (2016), är stöd inte känt.',
    detailNoneKnown: (place) => `Inget regionalt stöd är känt i ${place}.`,
    detailNational: 'Ett nationellt stöd täcker rutan.',
    detailSelection: 'Källan är ett urval av stödresurser, så stöd kan finnas utan att vara känt här.',
    detailNotAssessed:
      'Källan gör ingen bedömning av den här rutan, så stöd kan finnas utan att vara känt här.',
    detailNotInventoried: 'Länet är inte inventerat, så det går inte att säga vilket stöd som finns.',
    reach: (median, max) => `Avstånd till närmaste regionala stöd: median ${median} km, som mest ${max} km.`,
    reachNotKnown: (median, max) =>
      `Avstånd från kommunerna där stöd inte är känt till närmaste kända regionala stöd: median ${median} km, ` +
      `som mest ${max} km.`,
    selected: (name, status) => `Vald ruta: ${name}, ${status}.`,
    level: {
      regional: 'Regionalt stöd',
      'national-only': 'Endast nationellt stöd',
      none: 'Inget stöd',
      'not-known': 'Regionalt stöd inte känt',
      'not-inventoried': 'Inte inventerat',
    },
    point: 'Stödets adress (offentlig)',
    mapTitle: (place, cell) => `Karta över ${place}: stöd per kommun för ${cell}`,
    mapNote:
      'Kartan visar kommunernas förenklade gränser. Bara offentliga adresser ritas ut; skyddade boenden har ' +
      'aldrig någon adress i Stödkartan.',
    lackingHeading: (n) => `Kommuner utan regionalt stöd (${n})`,
    notKnownHeading: (n) => `Kommuner där stöd inte är känt (${n})`,
    noneLacking: 'Ingen: alla kommuner har regionalt stöd.',
    resourcesHeading: (n) => `Stöd som täcker rutan (${n})`,
    noResources: 'Inget stöd i Stödkartan täcker den här rutan.',
    noResourcesKnown: 'Stödkartan känner inte till något stöd som täcker den här rutan.',
    national: 'Nationellt',
    regional: 'Regionalt',
    afterInventory: 'efter inventeringen',
    afterInventoryTitle:
      'Uppgiften är från efter länets inventering: stödet startade senare eller källan är senare. Den ingår ' +
      'inte i inventeringens bild.',
    website: 'Webbplats',
    entry: 'Posten i API:t',
    entryOf: (name) => ` för ${name}`,
    mapKeys: 'Piltangenterna går mellan kommunerna.',
  },
  en: {
    title: 'Coverage of support – Stödkartan',
    heading: 'Coverage of support in the county',
    lede:
      'Which specialised support against violence exists for each target group, and in which municipalities ' +
      'it is missing or not known.',
    county: 'County',
    subregion: 'Subregion',
    wholeCounty: 'The whole county',
    language: 'Language',
    csv: 'Download as CSV',
    compare: 'Compare with date',
    changesHeading: (date) => `Changes since ${date}`,
    changesSummary: (improved, worsened, changed) =>
      `${improved} ${improved === 1 ? 'cell' : 'cells'} better, ${worsened} worse, ${changed} changed otherwise.`,
    noChanges: 'No cell has changed since then.',
    compareBeforeToday: 'Choose a date before today.',
    improved: 'Improved',
    worsened: 'Worse',
    changedOther: 'Changed otherwise',
    started: 'Started',
    stopped: 'Stopped',
    legend: 'Legend',
    hint: 'Choose a cell to see the map of the municipalities and which of them lack regional support.',
    hintSelection:
      'Choose a cell to see the map of the municipalities: where regional support is known and where it is ' +
      'not known.',
    hintNotInventoried: 'Choose a cell to see which support in Stödkartan covers it.',
    footer:
      "The data comes from Stödkartan's open API (CC0). This page uses the public API only and can be read as " +
      'an example of a client.',
    docs: 'API documentation',
    accessibility: 'Accessibility',
    loading: 'Loading …',
    failed: 'Could not load the data',
    areaAndRole: 'Area and role',
    matrixCaption: (place) => `Coverage by area, role and target group in ${place}`,
    municipalities: (n) => `${n} ${n === 1 ? 'municipality' : 'municipalities'}`,
    inhabitants: (n) => `${n} inhabitants (2016)`,
    peopleUnit: 'pop.',
    sourceOf: (source, date) => `${source}, inventoried ${date}`,
    selectionLabel: 'Selection',
    selection: (source) => [
      "The county's source is a selection of support resources (",
      source,
      '): cells without known support are not known, not gaps. The county may have more support than the ' +
        'source lists.',
    ],
    completeLabel: 'Complete inventory',
    complete: (source) => [
      "The county's source is a complete inventory (",
      source,
      '): where it found no regional support, that is a gap.',
    ],
    notAssessed: (cells) =>
      `The source makes no finding on ${cells}. Those cells are shown as not known, not as gaps.`,
    everyGroup: 'every group',
    inventoryNote: 'About the source:',
    notInventoriedLabel: 'Not inventoried',
    notInventoried:
      'The county has not been inventoried. Every cell is shown as not inventoried, not as a gap.',
    status: {
      covered: 'Covered',
      partial: 'Partial',
      'national-only': 'National only',
      gap: 'Gap',
      'partly-known': 'Partly known',
      'none-known': 'No known support',
      'not-inventoried': 'Not inventoried',
    },
    statusShort: {
      covered: 'Covered',
      partial: 'Partial',
      'national-only': 'National',
      gap: 'Gap',
      'partly-known': 'Partly known',
      'none-known': 'None known',
      'not-inventoried': 'Not inventoried',
    },
    statusMeaning: {
      covered: 'regional support in every municipality',
      partial: 'regional support in some municipalities, the others lack it',
      'national-only': 'national lines only',
      gap: 'no support at all',
      'partly-known':
        'known regional support in some municipalities; in the others it is not known, not a gap',
      'none-known': 'no regional support known in any municipality; not a gap',
      'not-inventoried': 'the county has not been inventoried',
    },
    cellTitle: (name, status, lacking, total, population) =>
      lacking === 0
        ? `${name}: ${status}. Regional support in all ${total} municipalities.`
        : `${name}: ${status}. ${population} people in ${lacking} of ${total} municipalities lack regional support.`,
    partlyKnownTitle: (name, status, known, total, notKnown, population, reason) =>
      `${name}: ${status}. Known regional support in ${known} of ${total} municipalities; ${population} people ` +
      `in ${notKnown} municipalities where support is not known. ${reason}`,
    noneKnownTitle: (name, status, national, reason) =>
      `${name}: ${status}. No regional support is known${national ? '; national support exists' : ''}. ${reason}`,
    reasonSelection: 'Not known: the source is a selection, not a complete inventory.',
    reasonNotAssessed: 'Not known: the source makes no finding on this cell.',
    notInventoriedTitle: (name) => `${name}: Not inventoried. The county has not been inventoried.`,
    detailSummaryCovered: (total) => `All ${total} municipalities have regional support.`,
    detailSummary: (lacking, total, population) =>
      `${lacking} of ${total} municipalities lack regional support, ${population} people (2016).`,
    detailPartlyKnown: (known, total, notKnown, population) =>
      `Regional support is known in ${known} of ${total} municipalities. In ${notKnown} municipalities, ` +
      `${population} people (2016), support is not known.`,
    detailNoneKnown: (place) => `No regional support is known in ${place}.`,
    detailNational: 'A national line or service covers the cell.',
    detailSelection:
      'The source is a selection of support resources, so support may exist without being known here.',
    detailNotAssessed:
      'The source makes no finding on this cell, so support may exist without being known here.',
    detailNotInventoried: 'The county has not been inventoried, so what support exists is not known.',
    reach: (median, max) =>
      `Distance to the nearest regional support: median ${median} km, at most ${max} km.`,
    reachNotKnown: (median, max) =>
      `Distance from the municipalities where support is not known to the nearest known regional support: ` +
      `median ${median} km, at most ${max} km.`,
    selected: (name, status) => `Selected cell: ${name}, ${status}.`,
    level: {
      regional: 'Regional support',
      'national-only': 'National support only',
      none: 'No support',
      'not-known': 'Regional support not known',
      'not-inventoried': 'Not inventoried',
    },
    point: 'Public address of the support',
    mapTitle: (place, cell) => `Map of ${place}: support per municipality for ${cell}`,
    mapNote:
      'The map shows simplified municipality boundaries. Only public addresses are drawn; sheltered housing ' +
      'never has an address in Stödkartan.',
    lackingHeading: (n) => `Municipalities without regional support (${n})`,
    notKnownHeading: (n) => `Municipalities where support is not known (${n})`,
    noneLacking: 'None: every municipality has regional support.',
    resourcesHeading: (n) => `Support covering the cell (${n})`,
    noResources: 'No support in Stödkartan covers this cell.',
    noResourcesKnown: 'Stödkartan knows of no support covering this cell.',
    national: 'National',
    regional: 'Regional',
    afterInventory: 'after the inventory',
    afterInventoryTitle:
      "This entry comes from after the county's inventory: the support started later or its source is later. " +
      "It is not part of the inventory's picture.",
    website: 'Website',
    entry: 'API entry',
    entryOf: (name) => ` for ${name}`,
    mapKeys: 'The arrow keys move between the municipalities.',
  },
};

/** Every status, in the legend's order: a complete inventory's findings, then what is not known. */
const statuses = [
  'covered',
  'partial',
  'national-only',
  'gap',
  'partly-known',
  'none-known',
  'not-inventoried',
];
const statusSymbols = {
  covered: '●',
  partial: '◐',
  'national-only': '○',
  gap: '✕',
  'partly-known': '◔',
  'none-known': '◌',
  'not-inventoried': '?',
};
/** The member of the report's summary that counts each status. */
const summaryKeys = {
  covered: 'covered',
  partial: 'partial',
  'national-only': 'nationalOnly',
  gap: 'gap',
  'partly-known': 'partlyKnown',
  'none-known': 'noneKnown',
  'not-inventoried': 'notInventoried',
};
/** The map's levels: where the inventory makes empty a finding, and where it leaves it not known. */
const findingLevels = ['regional', 'national-only', 'none'];
const notKnownLevels = ['regional', 'not-known'];
const defaultCounty = '14';
const svgNamespace = 'http://www.w3.org/2000/svg';

const query = new URLSearchParams(window.location.search);
const state = {
  lang: query.get('lang') === 'en' ? 'en' : 'sv',
  county: query.get('county') ?? defaultCounty,
  subregion: query.get('subregion') ?? '',
  compare: /^\d{4}-\d{2}-\d{2}$/.test(query.get('compare') ?? '') ? query.get('compare') : '',
  cell: cellKey(query.get('area'), query.get('role'), query.get('group')),
  vocabulary: null,
  counties: [],
  report: null,
  municipalities: new Map(),
  boundaries: [],
  resources: new Map(),
};
/** Only the answers to the latest place asked for are drawn, however the requests overtake each other. */
let placeRequest = 0;
let cellRequest = 0;
let changesRequest = 0;

const byId = (id) => document.getElementById(id);
const t = () => texts[state.lang];

function cellKey(area, role, group) {
  return area && role && group ? `${area}|${role}|${group}` : null;
}

function element(name, attributes = {}, ...children) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'className') node.className = value;
    else if (value !== undefined && value !== null && value !== false) node.setAttribute(key, String(value));
  }
  node.append(...children);
  return node;
}

function svgElement(name, attributes = {}, ...children) {
  const node = document.createElementNS(svgNamespace, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  node.append(...children);
  return node;
}

function formatNumber(n) {
  return new Intl.NumberFormat(state.lang === 'sv' ? 'sv-SE' : 'en-GB').format(n);
}

function label(axis, code) {
  const term = state.vocabulary?.[axis].find((entry) => entry.code === code);
  return term ? term.label[state.lang] : code;
}

function cellName(cell) {
  return `${label('areas', cell.area)} · ${label('roles', cell.role)} · ${label('groups', cell.group)}`;
}

/**
 * Whether a cell's empty municipalities are a finding (`complete`) or not known (`selection`): the source
 * lists a selection, or is complete but makes no finding on the cell (the inventory's `notAssessed`). Null
 * when the county has not been inventoried. The API decides the status; this only chooses the words.
 */
function completenessOf(cell) {
  const inventory = state.report?.inventory;
  if (!inventory) return null;
  if (inventory.completeness === 'selection') return 'selection';
  return (inventory.notAssessed ?? []).some((pattern) => matches(pattern, cell))
    ? 'not-assessed'
    : 'complete';
}

function matches(pattern, cell) {
  return (
    (pattern.area === undefined || pattern.area === cell.area) &&
    (pattern.role === undefined || pattern.role === cell.role) &&
    (pattern.group === undefined || pattern.group === cell.group)
  );
}

/** A cell pattern in words: "Hedersrelaterat våld · Utövare (alla målgrupper)". */
function patternName(pattern) {
  const parts = [];
  if (pattern.area) parts.push(label('areas', pattern.area));
  if (pattern.role) parts.push(label('roles', pattern.role));
  if (pattern.group) parts.push(label('groups', pattern.group));
  return pattern.group ? parts.join(' · ') : `${parts.join(' · ')} (${t().everyGroup})`;
}

function listOf(items) {
  return new Intl.ListFormat(state.lang === 'sv' ? 'sv-SE' : 'en-GB', { type: 'conjunction' }).format(items);
}

/** Why a cell without known support is not a gap, in a few words. */
function notKnownReason(cell) {
  return completenessOf(cell) === 'selection' ? t().reasonSelection : t().reasonNotAssessed;
}

/** A GET of the public API in the chosen language; problem+json answers become errors with their detail. */
async function api(path) {
  const response = await fetch(path, {
    headers: { Accept: 'application/json, application/geo+json', 'Accept-Language': state.lang },
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail ?? `${response.status} ${response.statusText}`);
  }
  return response.json();
}

/** `data-state` on <body> says whether the page is drawn (`ready`), for tests and for styling. */
function setPageState(value) {
  document.body.dataset.state = value;
}

function showStatus(message, isError = false) {
  const status = byId('status');
  status.textContent = message;
  status.classList.toggle('error', isError);
}

/** The place the page reports on, as the API's query parameter. */
function placeParameter() {
  return state.subregion
    ? `subregion=${encodeURIComponent(state.subregion)}`
    : `county=${encodeURIComponent(state.county)}`;
}

function placeName() {
  return state.report?.place.name ?? '';
}

function saveStateInUrl() {
  const params = new URLSearchParams({ county: state.county });
  if (state.subregion) params.set('subregion', state.subregion);
  if (state.lang !== 'sv') params.set('lang', state.lang);
  if (state.compare) params.set('compare', state.compare);
  if (state.cell) {
    const [area, role, group] = state.cell.split('|');
    params.set('area', area);
    params.set('role', role);
    params.set('group', group);
  }
  window.history.replaceState(null, '', `${window.location.pathname}?${params}`);
}

// ——— Controls ———

function renderControls() {
  const countySelect = byId('county');
  countySelect.replaceChildren(
    ...state.counties.map((county) =>
      element('option', { value: county.code, selected: county.code === state.county }, county.name),
    ),
  );
  const county = state.counties.find((c) => c.code === state.county);
  const subregions = county?.subregions ?? [];
  byId('subregion-field').hidden = subregions.length === 0;
  byId('subregion').replaceChildren(
    element('option', { value: '', selected: state.subregion === '' }, t().wholeCounty),
    ...subregions.map((subregion) =>
      element(
        'option',
        { value: subregion.code, selected: subregion.code === state.subregion },
        subregion.name,
      ),
    ),
  );
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === state.lang));
  }
  byId('csv-link').href = `/v1/coverage?${placeParameter()}&format=csv`;
}

function applyTexts() {
  document.documentElement.lang = state.lang;
  document.title = t().title;
  for (const node of document.querySelectorAll('[data-text]')) {
    const text = t()[node.dataset.text];
    if (typeof text === 'string') node.textContent = text;
  }
  byId('accessibility-link').href = state.lang === 'en' ? '/accessibility' : '/tillganglighet';
}

// ——— The matrix ———

function renderReport() {
  const { report } = state;
  const total = report.place.municipalityCount;
  byId('report').hidden = false;
  byId('place-name').textContent = report.place.name;
  byId('place-facts').textContent =
    `${t().municipalities(total)} · ${t().inhabitants(formatNumber(report.place.population2016))}`;
  renderInventory(report);
  const hint = !report.inventoried
    ? t().hintNotInventoried
    : report.inventory.completeness === 'selection'
      ? t().hintSelection
      : t().hint;
  for (const node of document.querySelectorAll('[data-text="hint"]')) node.textContent = hint;

  const possible = possibleStatuses(report);
  byId('legend').replaceChildren(
    ...statuses
      .filter((status) => possible.has(status) || report.summary[summaryKeys[status]] > 0)
      .map((status) =>
        element(
          'li',
          { className: `legend-item status-${status}`, 'data-status': status },
          element('span', { className: 'symbol', 'aria-hidden': 'true' }, statusSymbols[status]),
          element('span', { className: 'legend-label' }, t().status[status]),
          element('span', { className: 'legend-count' }, formatNumber(report.summary[summaryKeys[status]])),
          element('span', { className: 'legend-meaning' }, t().statusMeaning[status]),
        ),
      ),
  );

  byId('matrix-caption').textContent = t().matrixCaption(report.place.name);
  const { areas, roles, groups } = state.vocabulary;
  const table = byId('matrix');
  table
    .querySelector('thead')
    .replaceChildren(
      element(
        'tr',
        {},
        element('th', { scope: 'col', className: 'corner' }, t().areaAndRole),
        ...groups.map((group) => element('th', { scope: 'col' }, group.label[state.lang])),
      ),
    );
  for (const body of table.querySelectorAll('tbody')) body.remove();
  const cells = new Map(report.cells.map((cell) => [cellKey(cell.area, cell.role, cell.group), cell]));
  areas.forEach((area, areaIndex) => {
    const body = element(
      'tbody',
      {},
      element(
        'tr',
        { className: 'area-row' },
        element('th', { scope: 'rowgroup', colspan: groups.length + 1 }, area.label[state.lang]),
      ),
    );
    roles.forEach((role, roleIndex) => {
      const row = element('tr', {}, element('th', { scope: 'row' }, role.label[state.lang]));
      groups.forEach((group, groupIndex) => {
        const cell = cells.get(cellKey(area.code, role.code, group.code));
        row.append(
          element(
            'td',
            {},
            cell ? cellButton(cell, areaIndex * roles.length + roleIndex, groupIndex, total) : '',
          ),
        );
      });
      body.append(row);
    });
    table.append(body);
  });
}

/**
 * The statuses a cell of this report can have: a county not inventoried has only `not-inventoried`; a
 * selection never finds a gap; a complete inventory finds them, and leaves not known the cells it makes no
 * finding on.
 */
function possibleStatuses(report) {
  if (!report.inventoried || !report.inventory) return new Set(['not-inventoried']);
  if (report.inventory.completeness === 'selection')
    return new Set(['covered', 'partly-known', 'none-known']);
  const findings = ['covered', 'partial', 'national-only', 'gap'];
  const notKnown = (report.inventory.notAssessed ?? []).length > 0 ? ['partly-known', 'none-known'] : [];
  return new Set([...findings, ...notKnown]);
}

/**
 * What the county's source is, in words next to the matrix: a selection (cells without known support are
 * not known, not gaps), a complete inventory (and the cells it makes no finding on), or none at all.
 */
function renderInventory(report) {
  const box = byId('inventory');
  const { inventory } = report;
  if (!inventory) {
    box.className = 'inventory inventory-none';
    box.dataset.completeness = 'none';
    box.replaceChildren(
      element(
        'p',
        {},
        element('strong', { className: 'inventory-label' }, t().notInventoriedLabel),
        ' ',
        t().notInventoried,
      ),
    );
    return;
  }
  const title = t().sourceOf(inventory.source.title, inventory.completedOn);
  const source = inventory.source.url?.startsWith('https://')
    ? element('a', { href: inventory.source.url, rel: 'noopener noreferrer' }, title)
    : element('cite', {}, title);
  const selection = inventory.completeness === 'selection';
  box.className = `inventory inventory-${selection ? 'selection' : 'complete'}`;
  box.dataset.completeness = inventory.completeness;
  const paragraphs = [
    element(
      'p',
      { id: 'inventory-source' },
      element('strong', { className: 'inventory-label' }, selection ? t().selectionLabel : t().completeLabel),
      ' ',
      ...(selection ? t().selection(source) : t().complete(source)),
    ),
  ];
  const notAssessed = inventory.notAssessed ?? [];
  if (!selection && notAssessed.length > 0) {
    paragraphs.push(
      element('p', { id: 'inventory-not-assessed' }, t().notAssessed(listOf(notAssessed.map(patternName)))),
    );
  }
  if (inventory.note) {
    paragraphs.push(
      element(
        'p',
        { id: 'inventory-note', className: 'inventory-note' },
        element('span', { className: 'inventory-note-label' }, t().inventoryNote),
        ' ',
        inventory.note,
      ),
    );
  }
  box.replaceChildren(...paragraphs);
}

function cellTitle(cell, total) {
  const name = cellName(cell);
  const status = t().status[cell.status];
  switch (cell.status) {
    case 'not-inventoried':
      return t().notInventoriedTitle(name);
    case 'partly-known': {
      const notKnown = cell.notKnownMunicipalities.length;
      return t().partlyKnownTitle(
        name,
        status,
        total - notKnown,
        total,
        notKnown,
        formatNumber(cell.notKnownPopulation),
        notKnownReason(cell),
      );
    }
    case 'none-known':
      return t().noneKnownTitle(name, status, cell.nationalSupport, notKnownReason(cell));
    default:
      return t().cellTitle(
        name,
        status,
        cell.lackingMunicipalities.length,
        total,
        formatNumber(cell.affectedPopulation),
      );
  }
}

function cellButton(cell, row, column, total) {
  // Only a finding shows a population in the cell: what a selection does not know is nobody's gap.
  const lacking = cell.lackingMunicipalities.length;
  const title = cellTitle(cell, total);
  const key = cellKey(cell.area, cell.role, cell.group);
  return element(
    'button',
    {
      type: 'button',
      className: `cell status-${cell.status}`,
      title,
      'aria-pressed': String(key === state.cell),
      'data-area': cell.area,
      'data-role': cell.role,
      'data-group': cell.group,
      'data-status': cell.status,
      'data-row': row,
      'data-column': column,
    },
    // The name is what is seen, after the cell's place in the matrix (WCAG 2.5.3, label in name); the title
    // says the rest and is the button's description.
    element('span', { className: 'visually-hidden' }, `${cellName(cell)}: `),
    element('span', { className: 'symbol', 'aria-hidden': 'true' }, statusSymbols[cell.status]),
    element('span', { className: 'cell-status' }, t().statusShort[cell.status]),
    ' ',
    element(
      'span',
      { className: 'cell-population' },
      ...(lacking > 0 && cell.affectedPopulation > 0
        ? [
            formatNumber(cell.affectedPopulation),
            element('span', { className: 'unit' }, ` ${t().peopleUnit}`),
          ]
        : []),
    ),
  );
}

/** Arrow keys move between the cells like a spreadsheet; Enter and Space select (they are buttons). */
function moveFocus(event) {
  const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
  const move = moves[event.key];
  const from = event.target.closest?.('button.cell');
  if (!move || !from) return;
  const row = Number(from.dataset.row) + move[0];
  const column = Number(from.dataset.column) + move[1];
  const to = byId('matrix').querySelector(`button.cell[data-row="${row}"][data-column="${column}"]`);
  if (to) {
    event.preventDefault();
    to.focus();
  }
}

// ——— The selected cell: map and lists ———

function selectedCell() {
  return state.report?.cells.find((cell) => cellKey(cell.area, cell.role, cell.group) === state.cell);
}

async function selectCell(key, { announce = false, scroll = false } = {}) {
  state.cell = key;
  saveStateInUrl();
  for (const button of byId('matrix').querySelectorAll('button.cell')) {
    const isSelected = cellKey(button.dataset.area, button.dataset.role, button.dataset.group) === key;
    button.setAttribute('aria-pressed', String(isSelected));
  }
  const cell = selectedCell();
  if (!cell) return;
  const ticket = ++cellRequest;
  setPageState('loading');
  const details = await resourceDetails(cell.resources.map((resource) => resource.id));
  if (ticket !== cellRequest) return;
  renderDetail(cell, details);
  setPageState('ready');
  if (announce) showStatus(t().selected(cellName(cell), t().status[cell.status]));
  if (scroll && !window.matchMedia('(min-width: 70rem)').matches) {
    const reduceMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    byId('detail').scrollIntoView({ behavior: reduceMotion ? 'auto' : 'smooth', block: 'start' });
  }
}

/** The serving resources in full (whether national, public locations), each fetched once. */
async function resourceDetails(ids) {
  const missing = ids.filter((id) => !state.resources.has(id));
  const fetched = await Promise.all(missing.map((id) => api(`/v1/resources/${id}`).catch(() => null)));
  missing.forEach((id, i) => {
    if (fetched[i]) state.resources.set(id, fetched[i]);
  });
  return ids.map((id) => state.resources.get(id)).filter(Boolean);
}

/**
 * Each municipality's level for the cell. Where the inventory makes an empty cell a finding, the report
 * names the municipalities lacking regional support, and a lacking municipality still has national
 * support when a national line covers the cell. Where it does not (a selection, or a cell the source makes
 * no finding on), the report names the municipalities where support is not known: they are not known,
 * never "none". The others have regional support either way.
 */
function levelOf(cell) {
  const completeness = completenessOf(cell);
  if (cell.status === 'not-inventoried' || completeness === null) return () => 'not-inventoried';
  if (completeness !== 'complete') {
    const notKnown = new Set(cell.notKnownMunicipalities.map((m) => m.code));
    return (code) => (notKnown.has(code) ? 'not-known' : 'regional');
  }
  const lacking = new Set(cell.lackingMunicipalities.map((m) => m.code));
  return (code) => (!lacking.has(code) ? 'regional' : cell.nationalSupport ? 'national-only' : 'none');
}

/** The levels the map's legend names for a cell. */
function levelsOf(cell) {
  const completeness = completenessOf(cell);
  if (cell.status === 'not-inventoried' || completeness === null) return ['not-inventoried'];
  return completeness === 'complete' ? findingLevels : notKnownLevels;
}

/** The detail's summary: what is known of the cell, in words that never call the not known missing. */
function detailSummary(cell) {
  const total = state.report.place.municipalityCount;
  const completeness = completenessOf(cell);
  if (cell.status === 'not-inventoried' || completeness === null) return t().detailNotInventoried;
  const sentences = [];
  if (completeness === 'complete') {
    const lacking = cell.lackingMunicipalities.length;
    sentences.push(
      lacking === 0
        ? t().detailSummaryCovered(total)
        : t().detailSummary(lacking, total, formatNumber(cell.affectedPopulation)),
    );
  } else {
    const notKnown = cell.notKnownMunicipalities.length;
    if (notKnown === 0) sentences.push(t().detailSummaryCovered(total));
    else if (notKnown === total) sentences.push(t().detailNoneKnown(placeName()));
    else {
      sentences.push(
        t().detailPartlyKnown(total - notKnown, total, notKnown, formatNumber(cell.notKnownPopulation)),
      );
    }
    if (notKnown > 0) {
      if (cell.nationalSupport) sentences.push(t().detailNational);
      sentences.push(completeness === 'selection' ? t().detailSelection : t().detailNotAssessed);
    }
  }
  if (cell.reach.medianKm !== null && cell.reach.maxKm !== null) {
    const reach = completeness === 'complete' ? t().reach : t().reachNotKnown;
    sentences.push(reach(formatNumber(cell.reach.medianKm), formatNumber(cell.reach.maxKm)));
  }
  return sentences.join(' ');
}

function renderDetail(cell, details) {
  const completeness = completenessOf(cell);
  const notKnown = completeness === 'selection' || completeness === 'not-assessed';
  const without = notKnown ? cell.notKnownMunicipalities : cell.lackingMunicipalities;
  byId('detail').hidden = false;
  const heading = byId('detail-heading');
  heading.replaceChildren(
    element(
      'span',
      { className: `badge status-${cell.status}` },
      `${statusSymbols[cell.status]} ${t().status[cell.status]}`,
    ),
    ' ',
    cellName(cell),
  );
  byId('detail-summary').textContent = detailSummary(cell);

  // Numbered points: the public locations, with coordinates, of the resources that serve the cell.
  const points = [];
  details.forEach((resource, index) => {
    for (const location of resource.locations) {
      if (
        location.visibility === 'public' &&
        typeof location.lat === 'number' &&
        typeof location.lon === 'number'
      ) {
        points.push({ number: index + 1, name: resource.name, lat: location.lat, lon: location.lon });
      }
    }
  });
  const level = levelOf(cell);
  byId('map').replaceChildren(drawMap(cell, level, points));
  byId('map-legend').replaceChildren(
    ...levelsOf(cell).map((name) =>
      element('li', {}, swatch(`level-${name}`), element('span', {}, t().level[name])),
    ),
    ...(points.length > 0
      ? [
          element(
            'li',
            {},
            element('span', { className: 'point-swatch', 'aria-hidden': 'true' }, String(points[0].number)),
            t().point,
          ),
        ]
      : []),
  );
  byId('map-note').textContent = `${t().mapNote} ${t().mapKeys}`;

  byId('lacking-heading').textContent = notKnown
    ? t().notKnownHeading(without.length)
    : t().lackingHeading(without.length);
  const lackingList = byId('lacking');
  lackingList.dataset.kind = notKnown ? 'not-known' : 'lacking';
  lackingList.replaceChildren(
    ...(without.length === 0
      ? [
          element(
            'li',
            { className: 'empty' },
            cell.status === 'not-inventoried' ? t().detailNotInventoried : t().noneLacking,
          ),
        ]
      : [...without]
          .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
          .map((municipality) => {
            const population = state.municipalities.get(municipality.code)?.population2016;
            return element(
              'li',
              { 'data-code': municipality.code },
              element('span', {}, municipality.name),
              element(
                'span',
                { className: 'number' },
                population === undefined ? '' : formatNumber(population),
              ),
            );
          })),
  );

  byId('resources-heading').textContent = t().resourcesHeading(details.length);
  const pointNumbers = new Set(points.map((point) => point.number));
  const after = new Set(cell.resources.filter((resource) => resource.afterInventory).map((r) => r.id));
  byId('resources').replaceChildren(
    ...(details.length === 0
      ? [element('li', { className: 'empty' }, notKnown ? t().noResourcesKnown : t().noResources)]
      : details.map((resource, index) => {
          const number = index + 1;
          const name = resource.contact.website?.startsWith('https://')
            ? element('a', { href: resource.contact.website, rel: 'noopener noreferrer' }, resource.name)
            : element('span', {}, resource.name);
          return element(
            'li',
            {},
            pointNumbers.has(number)
              ? element('span', { className: 'point-swatch', title: t().point }, String(number))
              : '',
            element(
              'span',
              { className: 'resource' },
              name,
              element(
                'span',
                { className: 'resource-kind' },
                `${label('kinds', resource.kind)} · `,
                element(
                  'span',
                  { className: resource.serviceArea.national ? 'tag national' : 'tag regional' },
                  resource.serviceArea.national ? t().national : t().regional,
                ),
                ' · ',
                element(
                  'a',
                  { className: 'entry-link', href: `/v1/resources/${encodeURIComponent(resource.id)}` },
                  t().entry,
                  element('span', { className: 'visually-hidden' }, t().entryOf(resource.name)),
                ),
                ...(after.has(resource.id)
                  ? [
                      ' · ',
                      element(
                        'span',
                        { className: 'tag after-inventory', title: t().afterInventoryTitle },
                        t().afterInventory,
                      ),
                    ]
                  : []),
              ),
            ),
          );
        })),
  );
}

function swatch(className) {
  return svgElement(
    'svg',
    { class: 'swatch', viewBox: '0 0 20 14', 'aria-hidden': 'true' },
    svgElement('rect', { class: className, x: 0.5, y: 0.5, width: 19, height: 13, rx: 2 }),
  );
}

/** Every linear ring of a Polygon or MultiPolygon. */
function ringsOf(geometry) {
  if (geometry.type === 'Polygon') return geometry.coordinates;
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.flat();
  return [];
}

/**
 * An equirectangular projection fitted to the features' bounding box: longitude is scaled by the cosine of
 * the middle latitude, which keeps a county's shape true enough at this scale.
 */
function fitProjection(features, maxWidth, maxHeight, padding) {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const feature of features) {
    for (const ring of ringsOf(feature.geometry)) {
      for (const [lon, lat] of ring) {
        minLon = Math.min(minLon, lon);
        maxLon = Math.max(maxLon, lon);
        minLat = Math.min(minLat, lat);
        maxLat = Math.max(maxLat, lat);
      }
    }
  }
  const xScale = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const spanX = (maxLon - minLon) * xScale || 1;
  const spanY = maxLat - minLat || 1;
  const scale = Math.min((maxWidth - 2 * padding) / spanX, (maxHeight - 2 * padding) / spanY);
  return {
    width: Math.round(spanX * scale + 2 * padding),
    height: Math.round(spanY * scale + 2 * padding),
    project: (lon, lat) => [padding + (lon - minLon) * xScale * scale, padding + (maxLat - lat) * scale],
  };
}

function pathData(geometry, project) {
  return ringsOf(geometry)
    .map(
      (ring) =>
        `M${ring
          .map(([lon, lat]) => {
            const [x, y] = project(lon, lat);
            return `${x.toFixed(1)} ${y.toFixed(1)}`;
          })
          .join('L')}Z`,
    )
    .join('');
}

function drawMap(cell, level, points) {
  const features = state.boundaries;
  const { width, height, project } = fitProjection(features, 480, 520, 10);
  const titleId = 'map-title';
  // A group, not one image: each municipality is an image of its own that the keyboard can reach.
  const map = svgElement('svg', {
    id: 'map-svg',
    viewBox: `0 0 ${width} ${height}`,
    role: 'group',
    'aria-labelledby': titleId,
  });
  map.append(svgElement('title', { id: titleId }, t().mapTitle(placeName(), cellName(cell))));
  map.append(
    svgElement(
      'defs',
      {},
      hatch('hatch-national-only', [svgElement('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch-line' })]),
      hatch('hatch-not-known', [svgElement('circle', { cx: 4, cy: 4, r: 1.1, class: 'hatch-dot' })]),
      hatch('hatch-none', [
        svgElement('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch-line' }),
        svgElement('line', { x1: 0, y1: 0, x2: 8, y2: 0, class: 'hatch-line' }),
      ]),
    ),
  );
  const shapes = svgElement('g', { class: 'municipalities' });
  // One stop for the Tab key, the first municipality by name; the arrow keys go on from there (mapKeys).
  const first = [...features].sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'sv'))[0];
  for (const feature of features) {
    const { code, name } = feature.properties;
    const municipalityLevel = level(code);
    const label = `${name}: ${t().level[municipalityLevel]}`;
    shapes.append(
      svgElement(
        'path',
        {
          class: `municipality level-${municipalityLevel}`,
          d: pathData(feature.geometry, project),
          role: 'img',
          'aria-label': label,
          tabindex: feature === first ? 0 : -1,
          'data-code': code,
          'data-name': name,
          'data-level': municipalityLevel,
        },
        svgElement('title', {}, label),
      ),
    );
  }
  map.append(shapes);

  // Names at the municipality seats, where there is room: the most populous first, just below or above
  // the seat if a point or another name is in the way, and left out if all three places are taken (the
  // municipality still names itself on hover and in the list).
  const projected = points
    .map((point) => ({ ...point, xy: project(point.lon, point.lat) }))
    .filter(({ xy: [x, y] }) => x >= 0 && y >= 0 && x <= width && y <= height);
  if (features.length <= 20) {
    const names = svgElement('g', { class: 'names', 'aria-hidden': 'true' });
    const taken = projected.map(({ xy: [x, y] }) => ({
      left: x - 10,
      right: x + 10,
      top: y - 10,
      bottom: y + 10,
    }));
    const overlaps = (box) =>
      taken.some(
        (other) =>
          box.left < other.right &&
          other.left < box.right &&
          box.top < other.bottom &&
          other.top < box.bottom,
      );
    const seats = features
      .map((feature) => state.municipalities.get(feature.properties.code))
      .filter(Boolean)
      .sort((a, b) => b.population2016 - a.population2016);
    for (const municipality of seats) {
      const [x, seatY] = project(municipality.seat.lon, municipality.seat.lat);
      const halfWidth = municipality.name.length * 3.6;
      for (const y of [seatY, seatY + 19, seatY - 19]) {
        const box = { left: x - halfWidth, right: x + halfWidth, top: y - 7, bottom: y + 7 };
        if (overlaps(box)) continue;
        taken.push(box);
        names.append(svgElement('text', { x: x.toFixed(1), y: y.toFixed(1) }, municipality.name));
        break;
      }
    }
    map.append(names);
  }

  const markers = svgElement('g', { class: 'points' });
  for (const point of projected) {
    const [x, y] = point.xy;
    markers.append(
      svgElement(
        'g',
        { class: 'point', transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})` },
        svgElement('title', {}, point.name),
        svgElement('circle', { r: 9 }),
        svgElement('text', { y: 0.5 }, String(point.number)),
      ),
    );
  }
  map.append(markers);

  // The municipality under the pointer or the keyboard's focus, outlined and named, whether or not the
  // map had room for its name.
  const current = svgElement('g', { class: 'current', 'aria-hidden': 'true' });
  map.append(current);
  const show = (path) => {
    if (!path) return current.replaceChildren();
    const name = path.dataset.name;
    const seat = state.municipalities.get(path.dataset.code)?.seat;
    const box = path.getBBox();
    let [x, y] = seat ? project(seat.lon, seat.lat) : [box.x + box.width / 2, box.y + box.height / 2];
    const text = svgElement('text', { y: (y - 14).toFixed(1) }, name);
    current.replaceChildren(
      svgElement('path', { class: 'current-outline', d: path.getAttribute('d') }),
      text,
    );
    // Kept inside the map: names near its edge are moved in.
    const half = text.getComputedTextLength() / 2 + 4;
    x = Math.min(Math.max(x, half), width - half);
    if (y - 14 < 12) text.setAttribute('y', (y + 16).toFixed(1));
    text.setAttribute('x', x.toFixed(1));
  };
  const municipalityOf = (target) => target.closest?.('path.municipality');
  map.addEventListener('pointerover', (event) => {
    const path = municipalityOf(event.target);
    if (path) show(path);
  });
  map.addEventListener('pointerleave', () => show(municipalityOf(document.activeElement)));
  map.addEventListener('focusin', (event) => show(municipalityOf(event.target)));
  map.addEventListener('focusout', () => show(null));
  map.addEventListener('keydown', (event) => moveOnMap(event, shapes));
  map.showMunicipality = (code) =>
    show(code ? shapes.querySelector(`path[data-code="${CSS.escape(code)}"]`) : null);
  return map;
}

/** The arrow keys go through the municipalities by name, Home and End to the first and the last. */
function moveOnMap(event, shapes) {
  const from = event.target.closest?.('path.municipality');
  if (!from) return;
  const paths = [...shapes.querySelectorAll('path.municipality')].sort((a, b) =>
    a.dataset.name.localeCompare(b.dataset.name, 'sv'),
  );
  const at = paths.indexOf(from);
  const to = {
    ArrowRight: at + 1,
    ArrowDown: at + 1,
    ArrowLeft: at - 1,
    ArrowUp: at - 1,
    Home: 0,
    End: paths.length - 1,
  }[event.key];
  if (to === undefined) return;
  event.preventDefault();
  const next = paths[Math.min(Math.max(to, 0), paths.length - 1)];
  from.setAttribute('tabindex', '-1');
  next.setAttribute('tabindex', '0');
  next.focus();
}

function hatch(id, lines) {
  return svgElement(
    'pattern',
    { id, width: 8, height: 8, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
    svgElement('rect', { width: 8, height: 8, class: `hatch-ground ${id}` }),
    ...lines,
  );
}

// ——— Loading ———

/** A place's municipalities (seats, populations) and boundaries: they do not change, so each is asked once. */
const geographies = new Map();
function geographyOf(place) {
  if (!geographies.has(place)) {
    const geography = Promise.all([
      api(`/v1/municipalities?${place}&limit=100`),
      api(`/v1/municipalities/boundaries.geojson?${place}`),
    ]).then(([municipalities, boundaries]) => ({
      municipalities: new Map(municipalities.items.map((m) => [m.code, m])),
      boundaries: boundaries.features,
    }));
    geography.catch(() => geographies.delete(place));
    geographies.set(place, geography);
  }
  return geographies.get(place);
}

async function loadPlace() {
  const ticket = ++placeRequest;
  renderControls();
  saveStateInUrl();
  setPageState('loading');
  showStatus(t().loading);
  try {
    const place = placeParameter();
    const [report, geography] = await Promise.all([api(`/v1/coverage?${place}`), geographyOf(place)]);
    if (ticket !== placeRequest) return;
    state.report = report;
    state.municipalities = geography.municipalities;
    state.boundaries = geography.boundaries;
    renderReport();
    showStatus('');
    loadChanges();
    const known = report.cells.some((cell) => cellKey(cell.area, cell.role, cell.group) === state.cell);
    // Without a chosen cell, show the largest gap: the cell that leaves the most people without support.
    const first = report.gaps[0] ?? report.cells[0];
    const key = known ? state.cell : first ? cellKey(first.area, first.role, first.group) : null;
    if (key) await selectCell(key);
    if (ticket === placeRequest) setPageState('ready');
  } catch (error) {
    if (ticket !== placeRequest) return;
    setPageState('error');
    showStatus(`${t().failed}: ${error.message}`, true);
  }
}

// ——— Compared with a date ———

/** Today in UTC, as the API's dates are. */
const today = () => new Date().toISOString().slice(0, 10);

function changeItem(cell) {
  const item = element(
    'li',
    {},
    element('strong', {}, cellName(cell)),
    `: ${t().status[cell.from.status]} → ${t().status[cell.to.status]}`,
  );
  for (const [key, resources] of [
    ['started', cell.started],
    ['stopped', cell.stopped],
  ]) {
    if (resources.length > 0)
      item.append(element('br'), `${t()[key]}: ${listOf(resources.map((r) => r.name))}`);
  }
  return item;
}

/** What improved and what got worse in the place since the chosen date, from GET /v1/coverage/changes. */
async function loadChanges() {
  const ticket = ++changesRequest;
  const section = byId('changes');
  byId('compare').value = state.compare;
  byId('compare').max = today();
  if (!state.compare) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  byId('changes-heading').textContent = t().changesHeading(state.compare);
  const lists = ['improved', 'worsened', 'changed'];
  for (const list of lists) byId(`${list}-section`).hidden = true;
  if (state.compare >= today()) {
    byId('changes-summary').textContent = t().compareBeforeToday;
    return;
  }
  byId('changes-summary').textContent = t().loading;
  try {
    const changes = await api(`/v1/coverage/changes?${placeParameter()}&from=${state.compare}&to=${today()}`);
    if (ticket !== changesRequest) return;
    const { improved, worsened, changed } = changes.summary;
    byId('changes-summary').textContent =
      changes.cells.length === 0 ? t().noChanges : t().changesSummary(improved, worsened, changed);
    for (const list of lists) {
      const cells = changes.cells.filter((cell) => cell.direction === list);
      byId(list).replaceChildren(...cells.map(changeItem));
      byId(`${list}-section`).hidden = cells.length === 0;
    }
  } catch (error) {
    if (ticket !== changesRequest) return;
    byId('changes-summary').textContent = `${t().failed}: ${error.message}`;
  }
}

async function downloadCsv(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  // The link works on its own (in the browser's language); fetching it lets the chosen language decide.
  event.preventDefault();
  const link = event.currentTarget;
  try {
    const response = await fetch(link.href, {
      headers: { Accept: 'text/csv', 'Accept-Language': state.lang },
    });
    if (!response.ok) throw new Error(String(response.status));
    const filename =
      /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? 'coverage.csv';
    const url = URL.createObjectURL(await response.blob());
    const save = element('a', { href: url, download: filename });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch {
    window.location.href = link.href;
  }
}

async function start() {
  applyTexts();
  byId('controls').addEventListener('submit', (event) => event.preventDefault());
  byId('county').addEventListener('change', (event) => {
    state.county = event.target.value;
    state.subregion = '';
    loadPlace();
  });
  byId('subregion').addEventListener('change', (event) => {
    state.subregion = event.target.value;
    loadPlace();
  });
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      if (state.lang === button.dataset.lang) return;
      state.lang = button.dataset.lang;
      applyTexts();
      loadPlace();
    });
  }
  byId('matrix').addEventListener('click', (event) => {
    const button = event.target.closest('button.cell');
    if (button) {
      selectCell(cellKey(button.dataset.area, button.dataset.role, button.dataset.group), {
        announce: true,
        scroll: true,
      });
    }
  });
  byId('matrix').addEventListener('keydown', moveFocus);
  // A municipality in the list is outlined and named on the map while the pointer is on it.
  byId('lacking').addEventListener('pointerover', (event) => {
    const item = event.target.closest('li[data-code]');
    if (item) byId('map-svg')?.showMunicipality(item.dataset.code);
  });
  byId('lacking').addEventListener('pointerleave', () => byId('map-svg')?.showMunicipality(null));
  byId('csv-link').addEventListener('click', downloadCsv);
  byId('compare').addEventListener('change', (event) => {
    state.compare = /^\d{4}-\d{2}-\d{2}$/.test(event.target.value) ? event.target.value : '';
    saveStateInUrl();
    loadChanges();
  });

  showStatus(t().loading);
  try {
    const [vocabulary, counties] = await Promise.all([api('/v1/vocabulary'), api('/v1/counties?limit=100')]);
    state.vocabulary = vocabulary;
    state.counties = counties.items;
  } catch (error) {
    setPageState('error');
    showStatus(`${t().failed}: ${error.message}`, true);
    return;
  }
  if (!state.counties.some((county) => county.code === state.county)) state.county = defaultCounty;
  const county = state.counties.find((c) => c.code === state.county);
  if (!county.subregions.some((subregion) => subregion.code === state.subregion)) state.subregion = '';
  await loadPlace();
}

start();
