// Stödkartan's resources as Open Referral HSDS 3.0 entities. Pure functions: a resource, the vocabulary and
// the places in, HSDS objects out. HSDS has one language per field; ours is Swedish, with the English label
// next to it in descriptions where we have one.
import { describeOpeningHours } from '../hours/describe.js';
import type { OpeningHours } from '../hours/schedule.js';
import type { Paging } from '../http/pagination.js';
import { pageWindow } from '../http/pagination.js';
import type { Places } from '../places/places.js';
import type { Resource } from '../resources/schemas.js';
import type { Axis, Vocabulary } from '../vocabulary/vocabulary.js';
import { organizationUuid, servicePartUuid, taxonomyTermUuid, taxonomyUuid } from './ids.js';
import type {
  HsdsAttribute,
  HsdsLocation,
  HsdsMetadata,
  HsdsOrganization,
  HsdsOrganizationSummary,
  HsdsService,
  HsdsServiceAtLocation,
  HsdsServiceAtLocationSummary,
  HsdsServiceFields,
  HsdsServiceSummary,
  HsdsTaxonomy,
  HsdsTaxonomyTerm,
} from './schemas.js';

export interface HsdsContext {
  vocabulary: Vocabulary;
  places: Places;
  /** The origin the client used, for the URIs of taxonomies and service areas. */
  origin: string;
}

/** Our statuses in HSDS's: a planned resource is not yet running, a closed one is gone for good. */
export const hsdsStatus = {
  active: 'active',
  planned: 'inactive',
  inactive: 'inactive',
  closed: 'defunct',
} as const satisfies Record<string, HsdsServiceFields['status']>;

const sweden = 'http://publications.europa.eu/resource/authority/country/SWE';

// --- Taxonomies: the matrix axes, the kinds, the audiences and the 40 cells ---

type TaxonomyKey = Axis | 'audiences' | 'cells';

const taxonomyDescriptions: Record<TaxonomyKey, { sv: string; en: string }> = {
  areas: {
    sv: 'Våldsområden i länsstyrelsernas matris',
    en: "The areas of violence of the county boards' matrix",
  },
  roles: { sv: 'Roller: utsatt eller utövare', en: 'Roles: subjected to violence or using it' },
  groups: { sv: 'Målgrupper', en: 'Target groups' },
  kinds: { sv: 'Typer av stödinsatser', en: 'Kinds of support resources' },
  audiences: {
    sv: 'Vem stödet riktar sig till: enskilda eller yrkesverksamma',
    en: 'Whom the support is for: individuals or professionals',
  },
  cells: {
    sv: 'Matrisens 40 celler: våldsområde × roll × målgrupp',
    en: 'The 40 cells of the matrix: area × role × target group',
  },
};

const audienceLabels = {
  individuals: { sv: 'Enskilda personer', en: 'Individuals' },
  professionals: { sv: 'Yrkesverksamma (konsultation)', en: 'Professionals (consultation)' },
} as const;

/** The taxonomies and terms, built per request because their URIs carry the request's origin. */
export class HsdsVocabulary {
  readonly taxonomies: HsdsTaxonomy[];
  readonly terms: HsdsTaxonomyTerm[];
  private readonly byKey = new Map<string, HsdsTaxonomyTerm>();

  constructor(vocabulary: Vocabulary, origin: string) {
    const keys: TaxonomyKey[] = ['areas', 'roles', 'groups', 'kinds', 'audiences', 'cells'];
    const taxonomy = new Map(
      keys.map((key): [TaxonomyKey, HsdsTaxonomy] => [
        key,
        {
          id: taxonomyUuid(key),
          name: `stodkartan-${key}`,
          description: `${taxonomyDescriptions[key].sv} / ${taxonomyDescriptions[key].en}`,
          uri: `${origin}/v1/vocabulary`,
          version: '1',
        },
      ]),
    );
    this.taxonomies = [...taxonomy.values()];
    const term = (key: TaxonomyKey, code: string, label: { sv: string; en: string }): HsdsTaxonomyTerm => {
      const detail = taxonomy.get(key) as HsdsTaxonomy;
      return {
        id: taxonomyTermUuid(key, code),
        code,
        name: label.sv,
        description: `${label.sv} / ${label.en}`,
        taxonomy: detail.name,
        taxonomy_id: detail.id,
        language: 'sv',
        taxonomy_detail: detail,
      };
    };
    const label = (axis: Axis, code: string) => {
      const found = vocabulary.terms[axis].find((t) => t.code === code);
      return { sv: found?.labelSv ?? code, en: found?.labelEn ?? code };
    };
    const terms: [string, HsdsTaxonomyTerm][] = [];
    for (const axis of ['areas', 'roles', 'groups', 'kinds'] as const) {
      for (const t of vocabulary.terms[axis]) {
        terms.push([`${axis}:${t.code}`, term(axis, t.code, { sv: t.labelSv, en: t.labelEn })]);
      }
    }
    for (const [code, labels] of Object.entries(audienceLabels)) {
      terms.push([`audiences:${code}`, term('audiences', code, labels)]);
    }
    for (const cell of vocabulary.cells()) {
      const [a, r, g] = [label('areas', cell.area), label('roles', cell.role), label('groups', cell.group)];
      const code = `${cell.area}/${cell.role}/${cell.group}`;
      terms.push([
        `cells:${code}`,
        term('cells', code, { sv: `${a.sv}: ${r.sv}, ${g.sv}`, en: `${a.en}: ${r.en}, ${g.en}` }),
      ]);
    }
    this.terms = terms.map(([, t]) => t);
    for (const [key, t] of terms) this.byKey.set(key, t);
  }

  term(taxonomy: TaxonomyKey, code: string): HsdsTaxonomyTerm | undefined {
    return this.byKey.get(`${taxonomy}:${code}`);
  }
}

// --- Organizations ---

const organizationDescriptions: Record<string, string> = {
  kommun: 'Kommun',
  region: 'Region',
  ideell: 'Ideell organisation',
  stat: 'Statlig myndighet eller verksamhet',
  privat: 'Privat aktör',
};

export function hsdsOrganizationSummary(organization: Resource['organization']): HsdsOrganizationSummary {
  return {
    id: organizationUuid(organization),
    name: organization.name,
    description: organizationDescriptions[organization.type] ?? organization.type,
    legal_status: organization.type,
  };
}

export function hsdsOrganization(
  organization: Resource['organization'],
  services: Resource[],
): HsdsOrganization {
  const summary = hsdsOrganizationSummary(organization);
  return {
    ...summary,
    organization_identifiers: organization.organisationNumber
      ? [
          {
            id: servicePartUuid('organization_identifier', summary.id),
            organization_id: summary.id,
            identifier_scheme: 'SE-BLV',
            identifier_type: 'organisationsnummer',
            identifier: organization.organisationNumber,
          },
        ]
      : [],
    services: services.map(serviceFields),
  };
}

// --- Services ---

const isWebUrl = (value: string | undefined): value is string =>
  value !== undefined && URL.canParse(value) && /^https?:$/.test(new URL(value).protocol);

function applicationProcess(resource: Resource): string | undefined {
  const sentences = [
    resource.anonymous === true ? 'Går att kontakta anonymt.' : undefined,
    resource.withoutReferral === true ? 'Ingen remiss behövs.' : undefined,
    resource.contact.chat ? `Chatt: ${resource.contact.chat}` : undefined,
  ].filter((s): s is string => s !== undefined);
  return sentences.length > 0 ? sentences.join(' ') : undefined;
}

function eligibility(resource: Resource): string {
  const whom = resource.audiences
    .map((a) => audienceLabels[a as keyof typeof audienceLabels]?.sv ?? a)
    .join(' och ');
  const { ageMin, ageMax } = resource;
  const ages =
    ageMin !== null && ageMax !== null
      ? ` Ålder ${ageMin}–${ageMax} år.`
      : ageMin !== null
        ? ` Från ${ageMin} år.`
        : ageMax !== null
          ? ` Upp till ${ageMax} år.`
          : '';
  return `${whom}.${ages}`;
}

const fees = (free: boolean | null) =>
  free === true ? 'Kostnadsfritt.' : free === false ? 'Inte kostnadsfritt.' : undefined;

/** The one-to-one fields of a service; absent values are left out rather than sent as null. */
export function serviceFields(resource: Resource): HsdsServiceFields {
  const fields: HsdsServiceFields = {
    id: resource.id,
    organization_id: organizationUuid(resource.organization),
    name: resource.name,
    description: resource.description.sv,
    status: hsdsStatus[resource.status as keyof typeof hsdsStatus] ?? 'inactive',
    eligibility_description: eligibility(resource),
    assured_date: resource.lastVerified,
    last_modified: resource.updatedAt,
  };
  if (isWebUrl(resource.contact.website)) fields.url = resource.contact.website;
  if (resource.contact.email) fields.email = resource.contact.email;
  const process = applicationProcess(resource);
  if (process) fields.application_process = process;
  const fee = fees(resource.freeOfCharge);
  if (fee) fields.fees_description = fee;
  if (resource.ageMin !== null) fields.minimum_age = resource.ageMin;
  if (resource.ageMax !== null) fields.maximum_age = resource.ageMax;
  return fields;
}

export function hsdsServiceSummary(resource: Resource): HsdsServiceSummary {
  return { ...serviceFields(resource), organization: hsdsOrganizationSummary(resource.organization) };
}

const languageNames = new Intl.DisplayNames(['sv'], { type: 'language', fallback: 'code' });

/** A location's id: the same wherever the location is named (its own record, service_at_location, schedules). */
const locationUuid = (resourceId: string, index: number) =>
  servicePartUuid('location', resourceId, String(index));

/**
 * A location in HSDS. A confidential one (sheltered housing) is a name and a sentence and nothing else:
 * no address object, no coordinates, not even the municipality.
 */
export function hsdsLocation(
  resource: Resource,
  index: number,
  context: HsdsContext,
  withAddress: boolean,
): HsdsLocation {
  const location = resource.locations[index];
  const id = locationUuid(resource.id, index);
  if (!location || location.visibility === 'confidential') {
    return {
      id,
      location_type: 'physical',
      name: 'Skyddad adress',
      description:
        'Adressen är skyddad och publiceras inte. / The address is confidential and is not published.',
    };
  }
  const municipality = context.places.municipalities.get(location.municipality);
  const county = municipality ? context.places.counties.get(municipality.countyCode) : undefined;
  const { address } = location;
  const hsds: HsdsLocation = {
    id,
    location_type: 'physical',
    name: `${resource.name}, ${address?.city ?? municipality?.name ?? location.municipality}`,
  };
  if (location.lat !== undefined && location.lon !== undefined) {
    hsds.latitude = location.lat;
    hsds.longitude = location.lon;
  }
  if (withAddress) {
    hsds.addresses = address
      ? [
          {
            id: servicePartUuid('address', resource.id, String(index)),
            location_id: id,
            address_1: address.street,
            city: address.city,
            state_province: county?.name ?? '',
            postal_code: address.postalCode,
            country: 'SE',
            address_type: 'physical',
          },
        ]
      : [];
  }
  return hsds;
}

export function hsdsServiceAtLocation(
  resource: Resource,
  index: number,
  context: HsdsContext,
  withAddress: boolean,
): HsdsServiceAtLocation {
  return {
    id: servicePartUuid('service_at_location', resource.id, String(index)),
    service_id: resource.id,
    location_id: locationUuid(resource.id, index),
    location: hsdsLocation(resource, index, context, withAddress),
  };
}

export function hsdsServiceAtLocationSummary(
  resource: Resource,
  index: number,
  context: HsdsContext,
): HsdsServiceAtLocationSummary {
  return { ...hsdsServiceAtLocation(resource, index, context, false), service: hsdsServiceSummary(resource) };
}

function serviceAreas(resource: Resource, context: HsdsContext): HsdsService['service_areas'] {
  const serviceId = resource.id;
  if (resource.serviceArea.national) {
    return [
      {
        id: servicePartUuid('service_area', serviceId, 'SE'),
        service_id: serviceId,
        name: 'Sverige',
        description: 'Hela landet: en nationell stödlinje eller verksamhet. / The whole country.',
        uri: sweden,
      },
    ];
  }
  return resource.serviceArea.municipalities.map((code) => {
    const municipality = context.places.municipalities.get(code);
    const county = municipality ? context.places.counties.get(municipality.countyCode) : undefined;
    return {
      id: servicePartUuid('service_area', serviceId, code),
      service_id: serviceId,
      name: municipality?.name ?? code,
      description: [municipality?.officialName ?? `Kommun ${code}`, county?.name].filter(Boolean).join(', '),
      uri: `${context.origin}/v1/municipalities/${code}`,
    };
  });
}

function attributes(resource: Resource, vocabulary: HsdsVocabulary): HsdsAttribute[] {
  const linked: [string, ReturnType<HsdsVocabulary['term']>][] = [
    ['service_type', vocabulary.term('kinds', resource.kind)],
    ...resource.audiences.map((a): [string, ReturnType<HsdsVocabulary['term']>] => [
      'audience',
      vocabulary.term('audiences', a),
    ]),
    ...resource.cells.map((c): [string, ReturnType<HsdsVocabulary['term']>] => [
      'target_group',
      vocabulary.term('cells', `${c.area}/${c.role}/${c.group}`),
    ]),
  ];
  return linked.flatMap(([linkType, term]) =>
    term
      ? [
          {
            id: servicePartUuid('attribute', resource.id, term.id),
            link_id: resource.id,
            link_type: linkType,
            link_entity: 'service' as const,
            taxonomy_term_id: term.id,
            taxonomy_term: term,
          },
        ]
      : [],
  );
}

/**
 * The sources as HSDS metadata records (HSDS's place for provenance): the main source first, for every
 * fact not named elsewhere, then each further source with the facts it supports.
 */
function provenance(resource: Resource): HsdsMetadata[] {
  const record = (
    key: string,
    source: { title: string; url?: string; seen?: string },
    fields: string,
  ): HsdsMetadata => ({
    id: servicePartUuid('metadata', resource.id, key),
    resource_id: resource.id,
    resource_type: 'service',
    last_action_date: source.seen ?? resource.lastVerified,
    last_action_type: 'source',
    field_name: fields,
    previous_value: '',
    replacement_value: source.url ?? source.title,
    updated_by: source.title,
  });
  return [
    record('main', resource.source, '*'),
    ...resource.sources.map((source, i) => record(String(i), source, source.facts.join(','))),
  ];
}

const icalDays = { mon: 'MO', tue: 'TU', wed: 'WE', thu: 'TH', fri: 'FR', sat: 'SA', sun: 'SU' } as const;

/**
 * A resource's hours as HSDS schedules: one WEEKLY schedule per weekly interval of its opening hours (HSDS
 * has no holiday rule or dated exception: those go in `notes`, in words), one for around the clock, or the
 * free text alone.
 */
function hsdsSchedules(resource: Resource): HsdsService['schedules'] {
  const serviceId = resource.id;
  if (resource.open24h)
    return [
      {
        id: servicePartUuid('schedule', serviceId),
        service_id: serviceId,
        description: 'Öppet dygnet runt, alla dagar. / Open around the clock, every day.',
        freq: 'WEEKLY' as const,
        byday: 'MO,TU,WE,TH,FR,SA,SU',
        opens_at: '00:00',
        closes_at: '23:59',
      },
    ];
  const hours = resource.openingHours;
  const own =
    hours && hours.weekly.length > 0
      ? weeklySchedules(serviceId, hours, resource.hours ?? describeOpeningHours(hours), undefined)
      : resource.hours
        ? [{ id: servicePartUuid('schedule', serviceId), service_id: serviceId, description: resource.hours }]
        : [];
  return [...own, ...locationSchedules(resource)];
}

/** One WEEKLY schedule per weekly interval; with a location's index, that location's visiting hours. */
function weeklySchedules(
  serviceId: string,
  hours: OpeningHours,
  description: string,
  locationIndex: number | undefined,
): HsdsService['schedules'] {
  const notes = `Europe/Stockholm. ${describeOpeningHours(hours)}`;
  const place = locationIndex === undefined ? [] : [`location-${locationIndex}`];
  return hours.weekly.map((entry, i) => ({
    id: servicePartUuid('schedule', serviceId, ...place, String(i)),
    service_id: serviceId,
    ...(locationIndex === undefined ? {} : { location_id: locationUuid(serviceId, locationIndex) }),
    description,
    freq: 'WEEKLY' as const,
    wkst: 'MO' as const,
    byday: entry.days.map((day) => icalDays[day]).join(','),
    opens_at: entry.opens,
    closes_at: entry.closes === '24:00' ? '23:59' : entry.closes,
    ...(hours.validFrom ? { valid_from: hours.validFrom } : {}),
    ...(hours.validUntil ? { valid_to: hours.validUntil } : {}),
    notes,
  }));
}

/** The visiting hours of the public locations that state their own (a confidential one never has any). */
function locationSchedules(resource: Resource): HsdsService['schedules'] {
  return resource.locations.flatMap((location, index) =>
    location.visibility === 'public' && location.openingHours
      ? weeklySchedules(
          resource.id,
          location.openingHours,
          describeOpeningHours(location.openingHours),
          index,
        )
      : [],
  );
}

/** A resource as a fully nested HSDS service. */
export function hsdsService(
  resource: Resource,
  context: HsdsContext,
  vocabulary: HsdsVocabulary,
): HsdsService {
  const serviceId = resource.id;
  const { phone, email } = resource.contact;
  return {
    ...hsdsServiceSummary(resource),
    phones: phone
      ? [{ id: servicePartUuid('phone', serviceId), service_id: serviceId, number: phone, type: 'voice' }]
      : [],
    schedules: hsdsSchedules(resource),
    service_areas: serviceAreas(resource, context),
    service_at_locations: resource.locations.map((_, index) =>
      hsdsServiceAtLocation(resource, index, context, true),
    ),
    languages: resource.languages.map((code) => ({
      id: servicePartUuid('language', serviceId, code),
      service_id: serviceId,
      name: languageNames.of(code) ?? code,
      code,
    })),
    contacts:
      phone || email
        ? [
            {
              id: servicePartUuid('contact', serviceId),
              service_id: serviceId,
              name: resource.name,
              ...(email ? { email } : {}),
              phones: phone
                ? [
                    {
                      id: servicePartUuid('contact_phone', serviceId),
                      contact_id: servicePartUuid('contact', serviceId),
                      number: phone,
                      type: 'voice' as const,
                    },
                  ]
                : [],
            },
          ]
        : [],
    cost_options:
      resource.freeOfCharge === true
        ? [
            {
              id: servicePartUuid('cost_option', serviceId),
              service_id: serviceId,
              option: 'Kostnadsfritt',
              amount: 0,
              currency: 'SEK',
            },
          ]
        : [],
    attributes: attributes(resource, vocabulary),
    metadata: provenance(resource),
  };
}

// --- Paging ---

export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}

export interface HsdsPaging {
  page: number;
  per_page: number;
}

/** The OFFSET and LIMIT of a page; a page past the last one is refused with a 400 naming `page`. */
export function hsdsWindow(paging: HsdsPaging, totalItems: number): { offset: number; limit: number } {
  const ours: Paging = { page: paging.page, limit: paging.per_page };
  return { offset: pageWindow(ours, totalItems).offset, limit: paging.per_page };
}

export function hsdsPageOf<T>(contents: T[], totalItems: number, paging: HsdsPaging): HsdsPage<T> {
  const totalPages = Math.ceil(totalItems / paging.per_page);
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: paging.page,
    size: contents.length,
    first_page: paging.page === 1,
    last_page: paging.page >= Math.max(totalPages, 1),
    empty: totalItems === 0,
    contents,
  };
}

/** A page of an in-memory list (taxonomies, terms). */
export function hsdsSlice<T>(all: readonly T[], paging: HsdsPaging): HsdsPage<T> {
  const { offset, limit } = hsdsWindow(paging, all.length);
  return hsdsPageOf(all.slice(offset, offset + limit), all.length, paging);
}
