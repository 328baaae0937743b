// The shapes of the HSDS 3.0 view: the subset of the Human Services Data Specification (an Open Referral
// resource, https://openreferral.org/) that Stödkartan fills. Field names are HSDS's own (snake_case), not
// ours: the point of this view is that HSDS tools read it unchanged. Every shape here is a subset of the
// corresponding HSDS schema; the tests validate real responses against the official JSON Schemas.
import { type Static, type TSchema, Type } from 'typebox';

const Uuid = (description: string) => Type.String({ format: 'uuid', description });
const Text = (description: string) => Type.String({ description });

export const HsdsTaxonomySchema = Type.Object(
  {
    id: Uuid('The taxonomy id.'),
    name: Text('The name of the taxonomy, e.g. `stodkartan-areas`.'),
    description: Text('What the taxonomy classifies, in Swedish and English.'),
    uri: Type.String({ format: 'uri', description: 'Where the vocabulary is published.' }),
    version: Text('The version of the vocabulary.'),
  },
  {
    $id: 'HsdsTaxonomy',
    description: 'HSDS taxonomy: one axis of the matrix, the resource kinds or audiences.',
  },
);

export const HsdsTaxonomyTermSchema = Type.Object(
  {
    id: Uuid('The term id.'),
    code: Text('Our code, e.g. `close-relationship`, or `area/role/group` for a cell of the matrix.'),
    name: Text('The Swedish label.'),
    description: Text('The Swedish and the English label.'),
    taxonomy: Text('The name of the taxonomy the term belongs to.'),
    taxonomy_id: Uuid('The taxonomy id.'),
    language: Text('The language of `name`: `sv`.'),
    taxonomy_detail: Type.Ref('HsdsTaxonomy'),
  },
  {
    $id: 'HsdsTaxonomyTerm',
    description: 'HSDS taxonomy term: an area, role, group, kind, audience or cell.',
  },
);

export const HsdsAttributeSchema = Type.Object(
  {
    id: Uuid('The attribute id.'),
    link_id: Uuid('The service the term applies to.'),
    link_type: Text('What the term describes: `target_group` (a cell), `service_type` (kind) or `audience`.'),
    link_entity: Type.Literal('service'),
    taxonomy_term_id: Uuid('The taxonomy term id.'),
    taxonomy_term: Type.Ref('HsdsTaxonomyTerm'),
  },
  { $id: 'HsdsAttribute', description: 'HSDS attribute: a taxonomy term attached to a service.' },
);

export const HsdsMetadataSchema = Type.Object(
  {
    id: Uuid('The metadata id.'),
    resource_id: Uuid('The service the source speaks of.'),
    resource_type: Type.Literal('service'),
    last_action_date: Text('When the source was read (a page) or the date its facts held (a report).'),
    last_action_type: Type.Literal('source'),
    field_name: Text(
      'The facts the source supports, as Stödkartan names them (`contact`, `cells`, …), comma-separated; ' +
        '`*` for the main source, which supports every fact not named in another record.',
    ),
    previous_value: Type.Literal(''),
    replacement_value: Type.String({ description: 'The address of the source; its title when it has none.' }),
    updated_by: Text('The title of the report or page.'),
  },
  {
    $id: 'HsdsMetadata',
    description: 'HSDS metadata used for provenance: one record per source the service’s facts come from.',
  },
);

export const HsdsPhoneSchema = Type.Object(
  {
    id: Uuid('The phone id.'),
    service_id: Type.Optional(Uuid('The service.')),
    contact_id: Type.Optional(Uuid('The contact.')),
    number: Text('The number, E.164.'),
    type: Type.Literal('voice'),
  },
  { $id: 'HsdsPhone', description: 'HSDS phone.' },
);

export const HsdsContactSchema = Type.Object(
  {
    id: Uuid('The contact id.'),
    service_id: Uuid('The service.'),
    name: Text('Who answers: the service itself (we record no named persons).'),
    email: Type.Optional(Type.String({ format: 'email' })),
    phones: Type.Array(Type.Ref('HsdsPhone')),
  },
  { $id: 'HsdsContact', description: 'HSDS contact: how to reach the service.' },
);

export const HsdsLanguageSchema = Type.Object(
  {
    id: Uuid('The language id.'),
    service_id: Uuid('The service.'),
    name: Text('The language name in Swedish.'),
    code: Text('ISO 639-1 code.'),
  },
  { $id: 'HsdsLanguage', description: 'HSDS language: one the service is offered in.' },
);

export const HsdsServiceAreaSchema = Type.Object(
  {
    id: Uuid('The service area id.'),
    service_id: Uuid('The service.'),
    name: Text('The municipality (kommun) served, or `Sverige` for a national service.'),
    description: Text('What the area is.'),
    uri: Text('A persistent identifier of the area: the municipality in this API, or the country.'),
  },
  {
    $id: 'HsdsServiceArea',
    description: 'HSDS service area: one per municipality served, or one for the whole country.',
  },
);

export const HsdsAddressSchema = Type.Object(
  {
    id: Uuid('The address id.'),
    location_id: Uuid('The location.'),
    address_1: Text('Street address.'),
    city: Text('Postal town.'),
    state_province: Text('The county (län).'),
    postal_code: Text('Postal code.'),
    country: Type.Literal('SE'),
    address_type: Type.Literal('physical'),
  },
  { $id: 'HsdsAddress', description: 'HSDS address of a public location.' },
);

export const HsdsLocationSchema = Type.Object(
  {
    id: Uuid('The location id.'),
    location_type: Type.Literal('physical'),
    name: Text('The location; `Skyddad adress` for a confidential one.'),
    description: Type.Optional(Text('For a confidential location: that its address is not published.')),
    latitude: Type.Optional(Type.Number({ description: 'WGS84; never for a confidential location.' })),
    longitude: Type.Optional(Type.Number({ description: 'WGS84; never for a confidential location.' })),
    addresses: Type.Optional(Type.Array(Type.Ref('HsdsAddress'), { description: 'Public locations only.' })),
  },
  {
    $id: 'HsdsLocation',
    description:
      'HSDS location. A confidential location (sheltered housing) has a name and a description only: no ' +
      'address, no coordinates.',
  },
);

export const HsdsServiceAtLocationSchema = Type.Object(
  {
    id: Uuid('The service-at-location id.'),
    service_id: Uuid('The service.'),
    location_id: Uuid('The location.'),
    location: Type.Ref('HsdsLocation'),
  },
  { $id: 'HsdsServiceAtLocation', description: 'HSDS service at location: where a service receives people.' },
);

export const HsdsScheduleSchema = Type.Object(
  {
    id: Uuid('The schedule id.'),
    service_id: Uuid('The service.'),
    location_id: Type.Optional(
      Uuid("The location whose visiting hours these are; left out for the service's own hours."),
    ),
    description: Text('Opening hours as the source states them.'),
    freq: Type.Optional(Type.Literal('WEEKLY')),
    wkst: Type.Optional(Type.Literal('MO')),
    byday: Type.Optional(Text('Days, RFC 5545 style.')),
    opens_at: Type.Optional(Text('HH:MM, Europe/Stockholm wall clock.')),
    closes_at: Type.Optional(
      Text(
        'HH:MM, Europe/Stockholm wall clock; earlier than opens_at: the next day; 23:59 for the end of the day.',
      ),
    ),
    valid_from: Type.Optional(Text('First day the hours hold, YYYY-MM-DD.')),
    valid_to: Type.Optional(Text('Last day the hours hold, YYYY-MM-DD.')),
    notes: Type.Optional(Text('The time zone, the rule for Swedish public holidays and dated exceptions.')),
  },
  {
    $id: 'HsdsSchedule',
    description:
      'HSDS schedule: one per weekly interval of the opening hours, open around the clock, or the hours as ' +
      'text only. A schedule with `location_id` holds the visiting hours of that location, which replace ' +
      "the service's own hours there.",
  },
);

export const HsdsCostOptionSchema = Type.Object(
  {
    id: Uuid('The cost option id.'),
    service_id: Uuid('The service.'),
    option: Text('What is free.'),
    amount: Type.Number(),
    currency: Type.Literal('SEK'),
  },
  { $id: 'HsdsCostOption', description: 'HSDS cost option: present when the service is free of charge.' },
);

export const HsdsOrganizationIdentifierSchema = Type.Object(
  {
    id: Uuid('The identifier id.'),
    organization_id: Uuid('The organization.'),
    identifier_scheme: Type.Literal('SE-BLV', {
      description: 'org-id.guide scheme of Swedish organisationsnummer (Bolagsverket).',
    }),
    identifier_type: Type.Literal('organisationsnummer'),
    identifier: Text('The organisationsnummer.'),
  },
  { $id: 'HsdsOrganizationIdentifier', description: 'HSDS organization identifier.' },
);

const organizationProperties = {
  id: Uuid('Derived from the name and type of the organization, stable across requests.'),
  name: Text('The name.'),
  description: Text('The kind of organization, in Swedish: kommun, region, ideell organisation, …'),
  legal_status: Text('Our organization type: `kommun`, `region`, `ideell`, `stat` or `privat`.'),
};

export const HsdsOrganizationSummarySchema = Type.Object(organizationProperties, {
  $id: 'HsdsOrganizationSummary',
  description: 'HSDS organization, one-to-one fields only.',
});

const serviceProperties = {
  id: Uuid('The resource id of Stödkartan.'),
  organization_id: Uuid('The organization.'),
  name: Text('The name.'),
  description: Text('The description in Swedish.'),
  url: Type.Optional(Type.String({ format: 'uri', description: 'The website.' })),
  email: Type.Optional(Type.String({ format: 'email' })),
  status: Type.Enum(['active', 'inactive', 'defunct'], {
    description: 'active → active; planned and inactive → inactive; closed → defunct.',
  }),
  application_process: Type.Optional(Text('How to get in touch: anonymously, without referral, by chat.')),
  fees_description: Type.Optional(Text('`Kostnadsfritt` when free of charge.')),
  eligibility_description: Text('Whom it serves: individuals and/or professionals, and ages.'),
  minimum_age: Type.Optional(Type.Integer()),
  maximum_age: Type.Optional(Type.Integer()),
  assured_date: Type.String({ format: 'date', description: 'When the entry was last verified.' }),
  last_modified: Type.String({ format: 'date-time' }),
};

const ServiceFields = Type.Object(serviceProperties);

export const HsdsServiceSummarySchema = Type.Object(
  { ...serviceProperties, organization: Type.Ref('HsdsOrganizationSummary') },
  { $id: 'HsdsServiceSummary', description: 'HSDS service, one-to-one fields only.' },
);

export const HsdsOrganizationSchema = Type.Object(
  {
    ...organizationProperties,
    organization_identifiers: Type.Array(Type.Ref('HsdsOrganizationIdentifier')),
    services: Type.Array(ServiceFields, {
      description: 'The services the organization provides, one-to-one fields only.',
    }),
  },
  { $id: 'HsdsOrganization', description: 'HSDS organization with its identifiers and services.' },
);

export const HsdsServiceSchema = Type.Object(
  {
    ...serviceProperties,
    organization: Type.Ref('HsdsOrganizationSummary'),
    phones: Type.Array(Type.Ref('HsdsPhone')),
    schedules: Type.Array(Type.Ref('HsdsSchedule')),
    service_areas: Type.Array(Type.Ref('HsdsServiceArea')),
    service_at_locations: Type.Array(Type.Ref('HsdsServiceAtLocation')),
    languages: Type.Array(Type.Ref('HsdsLanguage')),
    contacts: Type.Array(Type.Ref('HsdsContact')),
    cost_options: Type.Array(Type.Ref('HsdsCostOption')),
    attributes: Type.Array(Type.Ref('HsdsAttribute'), {
      description: 'The kind, the audiences and every cell of the matrix the service covers.',
    }),
    metadata: Type.Array(Type.Ref('HsdsMetadata'), {
      description: 'Where the facts come from: the main source, then each further source with its facts.',
    }),
  },
  { $id: 'HsdsService', description: 'HSDS service, fully nested: one Stödkartan resource.' },
);

export const HsdsServiceAtLocationSummarySchema = Type.Object(
  {
    id: Uuid('The service-at-location id.'),
    service_id: Uuid('The service.'),
    location_id: Uuid('The location.'),
    location: Type.Ref('HsdsLocation'),
    service: Type.Ref('HsdsServiceSummary'),
  },
  { $id: 'HsdsServiceAtLocationSummary', description: 'HSDS service at location with its service.' },
);

export const HsdsApiInfoSchema = Type.Object(
  {
    version: Type.Literal('3.0', { description: 'The HSDS version.' }),
    profile: Type.String({ format: 'uri', description: 'Where this HSDS profile is documented.' }),
    openapi_url: Type.String({ format: 'uri', description: 'The OpenAPI document describing this API.' }),
  },
  { description: 'HSDS API meta information.' },
);

/** The HSDS `Page` shape of a list (1-based `page_number`). */
export const hsdsPage = <T extends TSchema>(item: T, description: string) =>
  Type.Object(
    {
      total_items: Type.Integer({ minimum: 0 }),
      total_pages: Type.Integer({ minimum: 0 }),
      page_number: Type.Integer({ minimum: 1 }),
      size: Type.Integer({ minimum: 0, description: 'The number of items in this page.' }),
      first_page: Type.Boolean(),
      last_page: Type.Boolean(),
      empty: Type.Boolean({ description: 'Whether the whole list is empty.' }),
      contents: Type.Array(item),
    },
    { description },
  );

export const hsdsSchemas = [
  HsdsTaxonomySchema,
  HsdsTaxonomyTermSchema,
  HsdsAttributeSchema,
  HsdsMetadataSchema,
  HsdsPhoneSchema,
  HsdsContactSchema,
  HsdsLanguageSchema,
  HsdsServiceAreaSchema,
  HsdsAddressSchema,
  HsdsLocationSchema,
  HsdsServiceAtLocationSchema,
  HsdsScheduleSchema,
  HsdsCostOptionSchema,
  HsdsOrganizationIdentifierSchema,
  HsdsOrganizationSummarySchema,
  HsdsOrganizationSchema,
  HsdsServiceSummarySchema,
  HsdsServiceSchema,
  HsdsServiceAtLocationSummarySchema,
];

// Static types of the shapes; a `Type.Ref` has no static type of its own, so the nesting is spelled out.
export type HsdsTaxonomy = Static<typeof HsdsTaxonomySchema>;
export type HsdsTaxonomyTerm = Omit<Static<typeof HsdsTaxonomyTermSchema>, 'taxonomy_detail'> & {
  taxonomy_detail: HsdsTaxonomy;
};
export type HsdsAttribute = Omit<Static<typeof HsdsAttributeSchema>, 'taxonomy_term'> & {
  taxonomy_term: HsdsTaxonomyTerm;
};
export type HsdsPhone = Static<typeof HsdsPhoneSchema>;
export type HsdsMetadata = Static<typeof HsdsMetadataSchema>;
export type HsdsContact = Omit<Static<typeof HsdsContactSchema>, 'phones'> & { phones: HsdsPhone[] };
export type HsdsLanguage = Static<typeof HsdsLanguageSchema>;
export type HsdsServiceArea = Static<typeof HsdsServiceAreaSchema>;
export type HsdsAddress = Static<typeof HsdsAddressSchema>;
export type HsdsLocation = Omit<Static<typeof HsdsLocationSchema>, 'addresses'> & {
  addresses?: HsdsAddress[];
};
export type HsdsServiceAtLocation = Omit<Static<typeof HsdsServiceAtLocationSchema>, 'location'> & {
  location: HsdsLocation;
};
export type HsdsSchedule = Static<typeof HsdsScheduleSchema>;
export type HsdsCostOption = Static<typeof HsdsCostOptionSchema>;
export type HsdsOrganizationIdentifier = Static<typeof HsdsOrganizationIdentifierSchema>;
export type HsdsOrganizationSummary = Static<typeof HsdsOrganizationSummarySchema>;
export type HsdsServiceFields = Static<typeof ServiceFields>;
export type HsdsOrganization = HsdsOrganizationSummary & {
  organization_identifiers: HsdsOrganizationIdentifier[];
  services: HsdsServiceFields[];
};
export type HsdsServiceSummary = HsdsServiceFields & { organization: HsdsOrganizationSummary };
export type HsdsService = HsdsServiceSummary & {
  phones: HsdsPhone[];
  schedules: HsdsSchedule[];
  service_areas: HsdsServiceArea[];
  service_at_locations: HsdsServiceAtLocation[];
  languages: HsdsLanguage[];
  contacts: HsdsContact[];
  cost_options: HsdsCostOption[];
  attributes: HsdsAttribute[];
  metadata: HsdsMetadata[];
};
export type HsdsServiceAtLocationSummary = HsdsServiceAtLocation & { service: HsdsServiceSummary };
