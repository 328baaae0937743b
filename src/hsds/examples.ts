// Examples of the HSDS shapes for the OpenAPI document: a made-up support service in Borås ("Exempeljouren")
// with a public office and sheltered housing. Ids are derived as the view derives them, so they are consistent
// with each other. The tests validate them against the official HSDS schemas.
import { organizationUuid, servicePartUuid, taxonomyTermUuid, taxonomyUuid } from './ids.js';
import type {
  HsdsLocation,
  HsdsOrganization,
  HsdsOrganizationSummary,
  HsdsService,
  HsdsServiceAtLocation,
  HsdsServiceFields,
  HsdsTaxonomy,
  HsdsTaxonomyTerm,
} from './schemas.js';

const origin = 'https://stodkartan.se';
const serviceId = '0f6d5f8e-1c2b-4d3a-9e8f-7a6b5c4d3e2f';
const organization = { name: 'Borås Stad', type: 'kommun' };
const organizationId = organizationUuid(organization);

export const taxonomyExample: HsdsTaxonomy = {
  id: taxonomyUuid('cells'),
  name: 'stodkartan-cells',
  description:
    'Matrisens 40 celler: våldsområde × roll × målgrupp / The 40 cells of the matrix: area × role × target group',
  uri: `${origin}/v1/vocabulary`,
  version: '1',
};

export const taxonomyTermExample: HsdsTaxonomyTerm = {
  id: taxonomyTermUuid('cells', 'close-relationship/subjected/women'),
  code: 'close-relationship/subjected/women',
  name: 'Våld i nära relationer: Utsatt, Kvinnor',
  description:
    'Våld i nära relationer: Utsatt, Kvinnor / Violence in close relationships: Subjected to violence, Women',
  taxonomy: 'stodkartan-cells',
  taxonomy_id: taxonomyExample.id,
  language: 'sv',
  taxonomy_detail: taxonomyExample,
};

export const organizationSummaryExample: HsdsOrganizationSummary = {
  id: organizationId,
  name: organization.name,
  description: 'Kommun',
  legal_status: 'kommun',
};

const serviceFieldsExample: HsdsServiceFields = {
  id: serviceId,
  organization_id: organizationId,
  name: 'Exempeljouren Borås',
  description: 'Stöd, rådgivning och skyddat boende för kvinnor som utsatts för våld.',
  url: 'https://example.org/exempeljouren',
  email: 'info@example.org',
  status: 'active',
  application_process: 'Går att kontakta anonymt. Ingen remiss behövs.',
  fees_description: 'Kostnadsfritt.',
  eligibility_description: 'Enskilda personer. Från 18 år.',
  minimum_age: 18,
  assured_date: '2026-01-15',
  last_modified: '2026-01-15T09:30:00.000Z',
};

export const serviceSummaryExample = { ...serviceFieldsExample, organization: organizationSummaryExample };

const publicLocationId = servicePartUuid('location', serviceId, '0');
export const publicLocationExample: HsdsLocation = {
  id: publicLocationId,
  location_type: 'physical',
  name: 'Exempeljouren Borås, Borås',
  latitude: 57.721,
  longitude: 12.94,
  addresses: [
    {
      id: servicePartUuid('address', serviceId, '0'),
      location_id: publicLocationId,
      address_1: 'Exempelgatan 1',
      city: 'Borås',
      state_province: 'Västra Götalands län',
      postal_code: '503 30',
      country: 'SE',
      address_type: 'physical',
    },
  ],
};

export const confidentialLocationExample: HsdsLocation = {
  id: servicePartUuid('location', serviceId, '1'),
  location_type: 'physical',
  name: 'Skyddad adress',
  description: 'Adressen är skyddad och publiceras inte. / The address is confidential and is not published.',
};

const serviceAtLocations: HsdsServiceAtLocation[] = [publicLocationExample, confidentialLocationExample].map(
  (location, index) => ({
    id: servicePartUuid('service_at_location', serviceId, String(index)),
    service_id: serviceId,
    location_id: location.id,
    location,
  }),
);

export const serviceAtLocationExample = serviceAtLocations[1] as HsdsServiceAtLocation;
export const serviceAtLocationSummaryExample = {
  ...serviceAtLocationExample,
  service: serviceSummaryExample,
};

const phone = {
  id: servicePartUuid('phone', serviceId),
  service_id: serviceId,
  number: '+4633123456',
  type: 'voice' as const,
};

export const serviceExample: HsdsService = {
  ...serviceSummaryExample,
  phones: [phone],
  schedules: [
    { id: servicePartUuid('schedule', serviceId), service_id: serviceId, description: 'Mån–fre 9–16' },
  ],
  service_areas: [
    {
      id: servicePartUuid('service_area', serviceId, '1490'),
      service_id: serviceId,
      name: 'Borås',
      description: 'Borås kommun, Västra Götalands län',
      uri: `${origin}/v1/municipalities/1490`,
    },
  ],
  service_at_locations: serviceAtLocations,
  languages: [
    { id: servicePartUuid('language', serviceId, 'sv'), service_id: serviceId, name: 'svenska', code: 'sv' },
  ],
  contacts: [
    {
      id: servicePartUuid('contact', serviceId),
      service_id: serviceId,
      name: 'Exempeljouren Borås',
      email: 'info@example.org',
      phones: [
        {
          id: servicePartUuid('contact_phone', serviceId),
          contact_id: servicePartUuid('contact', serviceId),
          number: '+4633123456',
          type: 'voice',
        },
      ],
    },
  ],
  cost_options: [
    {
      id: servicePartUuid('cost_option', serviceId),
      service_id: serviceId,
      option: 'Kostnadsfritt',
      amount: 0,
      currency: 'SEK',
    },
  ],
  attributes: [
    {
      id: servicePartUuid('attribute', serviceId, taxonomyTermExample.id),
      link_id: serviceId,
      link_type: 'target_group',
      link_entity: 'service',
      taxonomy_term_id: taxonomyTermExample.id,
      taxonomy_term: taxonomyTermExample,
    },
  ],
  metadata: [
    {
      id: servicePartUuid('metadata', serviceId, 'main'),
      resource_id: serviceId,
      resource_type: 'service',
      last_action_date: '2022-12-31',
      last_action_type: 'source',
      field_name: '*',
      previous_value: '',
      replacement_value:
        'Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022. Uppdrag att förebygga och bekämpa ' +
        'mäns våld mot kvinnor enligt förordning 2021:995',
      updated_by:
        'Länsstyrelsen Västra Götaland: Redovisning av verksamhetsår 2022. Uppdrag att förebygga och bekämpa ' +
        'mäns våld mot kvinnor enligt förordning 2021:995',
    },
    {
      id: servicePartUuid('metadata', serviceId, '0'),
      resource_id: serviceId,
      resource_type: 'service',
      last_action_date: '2026-11-30',
      last_action_type: 'source',
      field_name: 'contact,hours',
      previous_value: '',
      replacement_value: 'https://example.org/kontakt',
      updated_by: 'Kontakt',
    },
  ],
};

export const organizationExample: HsdsOrganization = {
  ...organizationSummaryExample,
  organization_identifiers: [
    {
      id: servicePartUuid('organization_identifier', organizationId),
      organization_id: organizationId,
      identifier_scheme: 'SE-BLV',
      identifier_type: 'organisationsnummer',
      identifier: '212000-1561',
    },
  ],
  services: [serviceFieldsExample],
};

/** Examples by component name, for the OpenAPI document. */
export const hsdsExamples: Record<string, unknown[]> = {
  HsdsTaxonomy: [taxonomyExample],
  HsdsTaxonomyTerm: [taxonomyTermExample],
  HsdsAttribute: serviceExample.attributes,
  HsdsMetadata: serviceExample.metadata,
  HsdsPhone: [phone],
  HsdsContact: serviceExample.contacts,
  HsdsLanguage: serviceExample.languages,
  HsdsServiceArea: serviceExample.service_areas,
  HsdsAddress: publicLocationExample.addresses ?? [],
  HsdsLocation: [publicLocationExample, confidentialLocationExample],
  HsdsServiceAtLocation: [serviceAtLocationExample],
  HsdsSchedule: serviceExample.schedules,
  HsdsCostOption: serviceExample.cost_options,
  HsdsOrganizationIdentifier: organizationExample.organization_identifiers,
  HsdsOrganizationSummary: [organizationSummaryExample],
  HsdsOrganization: [organizationExample],
  HsdsServiceSummary: [serviceSummaryExample],
  HsdsService: [serviceExample],
  HsdsServiceAtLocationSummary: [serviceAtLocationSummaryExample],
};

/** The example of GET /hsds. */
export const hsdsApiInfoExample = {
  version: '3.0',
  profile: `${origin}/docs/#/hsds`,
  openapi_url: `${origin}/openapi.json`,
};
