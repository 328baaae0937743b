// The coverage page: which support exists in a county for each cell of the matrix (area × role × target
// group), and where it is missing. It is also a worked example of a client of Stödkartan's public API:
// plain JavaScript, fetch and the DOM, no framework and no build step. It reads
//   GET /v1/vocabulary                              labels of areas, roles, groups and kinds (sv, en)
//   GET /v1/counties                                the counties and their subregions
//   GET /v1/coverage?county=|subregion=             the matrix: status, lacking municipalities, resources
//   GET /v1/municipalities?county=|subregion=       municipality seats and populations
//   GET /v1/municipalities/boundaries.geojson?…     municipality boundaries for the map
//   GET /v1/resources/{id}                          a serving resource: national or not, public locations
// Sheltered-housing addresses never reach the page: the API does not send them, and only public locations
// with coordinates are drawn.

const texts = {
  sv: {
    title: 'Täckning av stöd – Stödkartan',
    heading: 'Täckning av stöd i länet',
    lede: 'Vilket specialiserat stöd mot våld som finns för varje målgrupp, och i vilka kommuner det saknas.',
    county: 'Län',
    subregion: 'Delregion',
    wholeCounty: 'Hela länet',
    language: 'Språk',
    csv: 'Ladda ner som CSV',
    legend: 'Teckenförklaring',
    hint: 'Välj en ruta för att se kartan över kommunerna och vilka som saknar regionalt stöd.',
    footer:
      'Uppgifterna kommer från Stödkartans öppna API (CC0). Sidan använder bara det publika API:t och kan ' +
      'läsas som ett exempel på en klient.',
    docs: 'API-dokumentation',
    loading: 'Hämtar …',
    failed: 'Kunde inte hämta uppgifterna',
    areaAndRole: 'Område och roll',
    matrixCaption: (place) => `Täckning per område, roll och målgrupp i ${place}`,
    municipalities: (n) => `${n} ${n === 1 ? 'kommun' : 'kommuner'}`,
    inhabitants: (n) => `${n} invånare (2016)`,
    peopleUnit: 'inv.',
    inventoried: (date, source) => `Inventerat ${date}: ${source}.`,
    notInventoried: 'Länet är inte inventerat. Alla rutor visas som okända, inte som luckor.',
    status: {
      covered: 'Täckt',
      partial: 'Delvis',
      'national-only': 'Endast nationellt',
      gap: 'Saknas',
      unknown: 'Okänt',
    },
    statusShort: {
      covered: 'Täckt',
      partial: 'Delvis',
      'national-only': 'Nationellt',
      gap: 'Saknas',
      unknown: 'Okänt',
    },
    statusMeaning: {
      covered: 'regionalt stöd i alla kommuner',
      partial: 'regionalt stöd i några kommuner',
      'national-only': 'bara nationella stödlinjer',
      gap: 'inget stöd alls',
      unknown: 'länet är inte inventerat',
    },
    cellTitle: (name, status, lacking, total, population) =>
      lacking === 0
        ? `${name}: ${status}. Regionalt stöd i alla ${total} kommuner.`
        : `${name}: ${status}. ${population} invånare i ${lacking} av ${total} kommuner saknar regionalt stöd.`,
    unknownTitle: (name) => `${name}: Okänt. Länet är inte inventerat.`,
    detailSummaryCovered: (total) => `Alla ${total} kommuner har regionalt stöd.`,
    detailSummary: (lacking, total, population) =>
      `${lacking} av ${total} kommuner saknar regionalt stöd, med ${population} invånare (2016).`,
    detailUnknown: 'Länet är inte inventerat, så det går inte att säga vilket stöd som finns.',
    reach: (median, max) => `Avstånd till närmaste regionala stöd: median ${median} km, som mest ${max} km.`,
    selected: (name, status) => `Vald ruta: ${name}, ${status}.`,
    level: {
      regional: 'Regionalt stöd',
      'national-only': 'Endast nationellt stöd',
      none: 'Inget stöd',
      unknown: 'Okänt',
    },
    point: 'Stödets adress (offentlig)',
    mapTitle: (place, cell) => `Karta över ${place}: stöd per kommun för ${cell}`,
    mapNote:
      'Kartan visar kommunernas förenklade gränser. Bara offentliga adresser ritas ut; skyddade boenden har ' +
      'aldrig någon adress i Stödkartan.',
    lackingHeading: (n) => `Kommuner utan regionalt stöd (${n})`,
    noneLacking: 'Ingen: alla kommuner har regionalt stöd.',
    resourcesHeading: (n) => `Stöd som täcker rutan (${n})`,
    noResources: 'Inget stöd i Stödkartan täcker den här rutan.',
    national: 'Nationellt',
    regional: 'Regionalt',
    website: 'Webbplats',
  },
  en: {
    title: 'Coverage of support – Stödkartan',
    heading: 'Coverage of support in the county',
    lede: 'Which specialised support against violence exists for each target group, and in which municipalities it is missing.',
    county: 'County',
    subregion: 'Subregion',
    wholeCounty: 'The whole county',
    language: 'Language',
    csv: 'Download as CSV',
    legend: 'Legend',
    hint: 'Choose a cell to see the map of the municipalities and which of them lack regional support.',
    footer:
      "The data comes from Stödkartan's open API (CC0). This page uses the public API only and can be read as " +
      'an example of a client.',
    docs: 'API documentation',
    loading: 'Loading …',
    failed: 'Could not load the data',
    areaAndRole: 'Area and role',
    matrixCaption: (place) => `Coverage by area, role and target group in ${place}`,
    municipalities: (n) => `${n} ${n === 1 ? 'municipality' : 'municipalities'}`,
    inhabitants: (n) => `${n} inhabitants (2016)`,
    peopleUnit: 'pop.',
    inventoried: (date, source) => `Inventoried ${date}: ${source}.`,
    notInventoried: 'The county has not been inventoried. Every cell is shown as unknown, not as a gap.',
    status: {
      covered: 'Covered',
      partial: 'Partial',
      'national-only': 'National only',
      gap: 'Gap',
      unknown: 'Unknown',
    },
    statusShort: {
      covered: 'Covered',
      partial: 'Partial',
      'national-only': 'National',
      gap: 'Gap',
      unknown: 'Unknown',
    },
    statusMeaning: {
      covered: 'regional support in every municipality',
      partial: 'regional support in some municipalities',
      'national-only': 'national lines only',
      gap: 'no support at all',
      unknown: 'the county has not been inventoried',
    },
    cellTitle: (name, status, lacking, total, population) =>
      lacking === 0
        ? `${name}: ${status}. Regional support in all ${total} municipalities.`
        : `${name}: ${status}. ${population} people in ${lacking} of ${total} municipalities lack regional support.`,
    unknownTitle: (name) => `${name}: Unknown. The county has not been inventoried.`,
    detailSummaryCovered: (total) => `All ${total} municipalities have regional support.`,
    detailSummary: (lacking, total, population) =>
      `${lacking} of ${total} municipalities lack regional support, ${population} people (2016).`,
    detailUnknown: 'The county has not been inventoried, so what support exists is not known.',
    reach: (median, max) =>
      `Distance to the nearest regional support: median ${median} km, at most ${max} km.`,
    selected: (name, status) => `Selected cell: ${name}, ${status}.`,
    level: {
      regional: 'Regional support',
      'national-only': 'National support only',
      none: 'No support',
      unknown: 'Unknown',
    },
    point: 'Public address of the support',
    mapTitle: (place, cell) => `Map of ${place}: support per municipality for ${cell}`,
    mapNote:
      'The map shows simplified municipality boundaries. Only public addresses are drawn; sheltered housing ' +
      'never has an address in Stödkartan.',
    lackingHeading: (n) => `Municipalities without regional support (${n})`,
    noneLacking: 'None: every municipality has regional support.',
    resourcesHeading: (n) => `Support covering the cell (${n})`,
    noResources: 'No support in Stödkartan covers this cell.',
    national: 'National',
    regional: 'Regional',
    website: 'Website',
  },
};

const statuses = ['covered', 'partial', 'national-only', 'gap', 'unknown'];
const statusSymbols = { covered: '●', partial: '◐', 'national-only': '○', gap: '✕', unknown: '?' };
const levels = ['regional', 'national-only', 'none'];
const defaultCounty = '14';
const svgNamespace = 'http://www.w3.org/2000/svg';

const query = new URLSearchParams(window.location.search);
const state = {
  lang: query.get('lang') === 'en' ? 'en' : 'sv',
  county: query.get('county') ?? defaultCounty,
  subregion: query.get('subregion') ?? '',
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

/** Short enough for a cell: 352 735 → "353 tn" (sv), "353K" (en). */
function formatCompact(n) {
  return new Intl.NumberFormat(state.lang === 'sv' ? 'sv-SE' : 'en-GB', { notation: 'compact' }).format(n);
}

function label(axis, code) {
  const term = state.vocabulary?.[axis].find((entry) => entry.code === code);
  return term ? term.label[state.lang] : code;
}

function cellName(cell) {
  return `${label('areas', cell.area)} · ${label('roles', cell.role)} · ${label('groups', cell.group)}`;
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
}

// ——— The matrix ———

function renderReport() {
  const { report } = state;
  const total = report.place.municipalityCount;
  byId('report').hidden = false;
  byId('place-name').textContent = report.place.name;
  byId('place-facts').textContent =
    `${t().municipalities(total)} · ${t().inhabitants(formatNumber(report.place.population2016))}`;
  const inventory = byId('inventory');
  inventory.textContent = report.inventory
    ? t().inventoried(report.inventory.completedOn, report.inventory.source.title)
    : t().notInventoried;
  inventory.classList.toggle('notice', !report.inventoried);

  const counts = {
    covered: report.summary.covered,
    partial: report.summary.partial,
    'national-only': report.summary.nationalOnly,
    gap: report.summary.gap,
    unknown: report.summary.unknown,
  };
  byId('legend').replaceChildren(
    ...statuses
      // Not inventoried: every cell is unknown, and four counts of zero would say nothing.
      .filter((status) => (report.inventoried ? status !== 'unknown' : status === 'unknown'))
      .map((status) =>
        element(
          'li',
          { className: `legend-item status-${status}` },
          element('span', { className: 'symbol', 'aria-hidden': 'true' }, statusSymbols[status]),
          element('span', { className: 'legend-label' }, t().status[status]),
          element('span', { className: 'legend-count' }, formatNumber(counts[status])),
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

function cellButton(cell, row, column, total) {
  const name = cellName(cell);
  const lacking = cell.lackingMunicipalities.length;
  const title =
    cell.status === 'unknown'
      ? t().unknownTitle(name)
      : t().cellTitle(name, t().status[cell.status], lacking, total, formatNumber(cell.affectedPopulation));
  const key = cellKey(cell.area, cell.role, cell.group);
  return element(
    'button',
    {
      type: 'button',
      className: `cell status-${cell.status}`,
      title,
      'aria-label': title,
      'aria-pressed': String(key === state.cell),
      'data-area': cell.area,
      'data-role': cell.role,
      'data-group': cell.group,
      'data-status': cell.status,
      'data-row': row,
      'data-column': column,
    },
    element('span', { className: 'symbol', 'aria-hidden': 'true' }, statusSymbols[cell.status]),
    element('span', { className: 'cell-status' }, t().statusShort[cell.status]),
    element(
      'span',
      { className: 'cell-population' },
      ...(lacking > 0 && cell.status !== 'unknown'
        ? [
            formatCompact(cell.affectedPopulation),
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
 * Each municipality's level for the cell. The report names the municipalities lacking regional support;
 * the others have it. A lacking municipality still has national support when a national resource covers
 * the cell (the status says so for `national-only`; for `partial` the resources tell).
 */
function levelOf(cell, details) {
  if (cell.status === 'unknown') return () => 'unknown';
  const lacking = new Set(cell.lackingMunicipalities.map((m) => m.code));
  const national =
    cell.status === 'national-only' || details.some((resource) => resource.serviceArea.national);
  return (code) => (!lacking.has(code) ? 'regional' : national ? 'national-only' : 'none');
}

function renderDetail(cell, details) {
  const total = state.report.place.municipalityCount;
  const lacking = cell.lackingMunicipalities;
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
  let summary;
  if (cell.status === 'unknown') summary = t().detailUnknown;
  else if (lacking.length === 0) summary = t().detailSummaryCovered(total);
  else summary = t().detailSummary(lacking.length, total, formatNumber(cell.affectedPopulation));
  if (cell.reach.medianKm !== null && cell.reach.maxKm !== null) {
    summary += ` ${t().reach(formatNumber(cell.reach.medianKm), formatNumber(cell.reach.maxKm))}`;
  }
  byId('detail-summary').textContent = summary;

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
  const level = levelOf(cell, details);
  byId('map').replaceChildren(drawMap(cell, level, points));
  const shownLevels = cell.status === 'unknown' ? ['unknown'] : levels;
  byId('map-legend').replaceChildren(
    ...shownLevels.map((name) =>
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
  byId('map-note').textContent = t().mapNote;

  byId('lacking-heading').textContent = t().lackingHeading(lacking.length);
  byId('lacking').replaceChildren(
    ...(lacking.length === 0
      ? [
          element(
            'li',
            { className: 'empty' },
            cell.status === 'unknown' ? t().detailUnknown : t().noneLacking,
          ),
        ]
      : [...lacking]
          .sort((a, b) => a.name.localeCompare(b.name, 'sv'))
          .map((municipality) => {
            const population = state.municipalities.get(municipality.code)?.population2016;
            return element(
              'li',
              {},
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
  byId('resources').replaceChildren(
    ...(details.length === 0
      ? [element('li', { className: 'empty' }, t().noResources)]
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
  const map = svgElement('svg', {
    id: 'map-svg',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-labelledby': titleId,
  });
  map.append(svgElement('title', { id: titleId }, t().mapTitle(placeName(), cellName(cell))));
  map.append(
    svgElement(
      'defs',
      {},
      hatch('hatch-national-only', [svgElement('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch-line' })]),
      hatch('hatch-none', [
        svgElement('line', { x1: 0, y1: 0, x2: 0, y2: 8, class: 'hatch-line' }),
        svgElement('line', { x1: 0, y1: 0, x2: 8, y2: 0, class: 'hatch-line' }),
      ]),
    ),
  );
  const shapes = svgElement('g', { class: 'municipalities' });
  for (const feature of features) {
    const { code, name } = feature.properties;
    const municipalityLevel = level(code);
    shapes.append(
      svgElement(
        'path',
        {
          class: `municipality level-${municipalityLevel}`,
          d: pathData(feature.geometry, project),
          'data-code': code,
          'data-level': municipalityLevel,
        },
        svgElement('title', {}, `${name}: ${t().level[municipalityLevel]}`),
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
  return map;
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
  byId('csv-link').addEventListener('click', downloadCsv);

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
