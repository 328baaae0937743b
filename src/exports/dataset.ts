// DCAT-AP-SE metadata of the open dataset, as JSON-LD: what dataportal.se and other catalogues harvest.
// One dcat:Dataset with a dcat:Distribution per export and per API; the APIs are dcat:DataServices whose
// endpoint description is our OpenAPI document.
import { type Static, Type } from 'typebox';
import { serviceInfo } from '../http/api-info.js';

const IdRef = Type.Object({ '@id': Type.String({ format: 'uri' }) });
const LangString = Type.Object({ '@value': Type.String(), '@language': Type.String() });
const LangStrings = Type.Array(LangString, { description: 'The text in Swedish and English.' });

const DataServiceSchema = Type.Object({
  '@id': Type.String({ format: 'uri' }),
  '@type': Type.Literal('dcat:DataService'),
  'dcterms:title': LangStrings,
  'dcat:endpointURL': IdRef,
  'dcat:endpointDescription': IdRef,
  'dcterms:conformsTo': IdRef,
  'dcat:servesDataset': IdRef,
  'dcterms:license': IdRef,
});

const DistributionSchema = Type.Object({
  '@id': Type.String({ format: 'uri' }),
  '@type': Type.Literal('dcat:Distribution'),
  'dcterms:title': LangStrings,
  'dcterms:description': LangStrings,
  'dcat:accessURL': IdRef,
  'dcat:downloadURL': Type.Optional(IdRef),
  'dcat:mediaType': Type.Optional(IdRef),
  'dcterms:format': IdRef,
  'dcterms:license': IdRef,
  'dcat:accessService': Type.Optional(DataServiceSchema),
});

export const DcatDatasetSchema = Type.Object(
  {
    '@context': Type.Record(Type.String(), Type.String(), { description: 'The vocabularies used.' }),
    '@id': Type.String({ format: 'uri' }),
    '@type': Type.Literal('dcat:Dataset'),
    'dcterms:title': LangStrings,
    'dcterms:description': LangStrings,
    'dcterms:publisher': Type.Object({
      '@type': Type.Literal('foaf:Agent'),
      'foaf:name': Type.String(),
      'foaf:homepage': IdRef,
    }),
    'dcat:contactPoint': Type.Object({
      '@type': Type.Literal('vcard:Organization'),
      'vcard:fn': Type.String(),
      'vcard:hasURL': IdRef,
    }),
    'dcterms:license': IdRef,
    'dcterms:accessRights': IdRef,
    'dcat:theme': Type.Array(IdRef),
    'dcat:keyword': LangStrings,
    'dcterms:spatial': IdRef,
    'dcterms:modified': Type.Optional(
      Type.Object({ '@value': Type.String({ format: 'date-time' }), '@type': Type.Literal('xsd:dateTime') }),
    ),
    'dcat:landingPage': IdRef,
    'dcat:distribution': Type.Array(DistributionSchema),
  },
  {
    $id: 'DcatDataset',
    description: 'DCAT-AP-SE description of the dataset, in JSON-LD.',
  },
);
export type DcatDataset = Static<typeof DcatDatasetSchema>;

const id = (uri: string) => ({ '@id': uri });
const text = (sv: string, en: string) => [
  { '@value': sv, '@language': 'sv' },
  { '@value': en, '@language': 'en' },
];
const cc0 = id(serviceInfo.license.url);
const eu = 'http://publications.europa.eu/resource/authority';
const iana = 'http://www.iana.org/assignments/media-types';

/** The downloadable exports, shared by the routes (which serve them) and the catalogue (which lists them). */
export const exportFiles = [
  {
    path: '/v1/export/resources.csv',
    title: text('Stödinsatser (CSV)', 'Support resources (CSV)'),
    description: text(
      'En rad per stödinsats, alla statusar. UTF-8 med BOM; listor skiljs med semikolon.',
      'One row per support resource, every status. UTF-8 with BOM; lists are separated by semicolons.',
    ),
    mediaType: `${iana}/text/csv`,
    format: `${eu}/file-type/CSV`,
  },
  {
    path: '/v1/export/resources.geojson',
    title: text('Stödinsatsernas platser (GeoJSON)', 'Locations of the support resources (GeoJSON)'),
    description: text(
      'En punkt per offentlig plats med koordinater. Skyddade adresser ingår inte.',
      'One point per public location with coordinates. Confidential addresses are not included.',
    ),
    mediaType: `${iana}/application/geo+json`,
    format: `${eu}/file-type/GEOJSON`,
  },
  {
    path: '/v1/export/resources.ndjson',
    title: text('Stödinsatser (NDJSON)', 'Support resources (NDJSON)'),
    description: text(
      'En stödinsats per rad i samma JSON-form som /v1/resources/{id}.',
      'One support resource per line, in the same JSON shape as /v1/resources/{id}.',
    ),
    // NDJSON has no IANA media type, so only the format is given.
    format: `${eu}/file-type/JSON`,
  },
] as const;

/** The dataset description, with absolute URLs on the origin the client used. */
export function datasetDescription(origin: string, lastModified: Date | null): DcatDataset {
  const datasetId = `${origin}/v1/dataset`;
  const dataService = (path: string, title: ReturnType<typeof text>, conformsTo: string) => ({
    '@id': `${origin}${path}#service`,
    '@type': 'dcat:DataService' as const,
    'dcterms:title': title,
    'dcat:endpointURL': id(`${origin}${path}`),
    'dcat:endpointDescription': id(`${origin}/openapi.json`),
    'dcterms:conformsTo': id(conformsTo),
    'dcat:servesDataset': id(datasetId),
    'dcterms:license': cc0,
  });
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dcterms: 'http://purl.org/dc/terms/',
      foaf: 'http://xmlns.com/foaf/0.1/',
      vcard: 'http://www.w3.org/2006/vcard/ns#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
    },
    '@id': datasetId,
    '@type': 'dcat:Dataset',
    'dcterms:title': text(
      'Stödkartan: specialiserat stöd mot våld i Sverige',
      "Stödkartan: Sweden's specialised support against violence",
    ),
    'dcterms:description': text(serviceInfo.description.sv, serviceInfo.description.en),
    'dcterms:publisher': {
      '@type': 'foaf:Agent',
      'foaf:name': serviceInfo.contact.name,
      'foaf:homepage': id(serviceInfo.contact.url),
    },
    'dcat:contactPoint': {
      '@type': 'vcard:Organization',
      'vcard:fn': serviceInfo.contact.name,
      'vcard:hasURL': id(serviceInfo.contact.url),
    },
    'dcterms:license': cc0,
    'dcterms:accessRights': id(`${eu}/access-right/PUBLIC`),
    'dcat:theme': [id(`${eu}/data-theme/SOCI`), id(`${eu}/data-theme/JUST`)],
    'dcat:keyword': [
      ...text('mäns våld mot kvinnor', "men's violence against women"),
      ...text('våld i nära relationer', 'violence in close relationships'),
      ...text('hedersrelaterat våld', 'honour-related violence'),
      ...text('stödinsatser', 'support services'),
    ],
    'dcterms:spatial': id(`${eu}/country/SWE`),
    ...(lastModified
      ? { 'dcterms:modified': { '@value': lastModified.toISOString(), '@type': 'xsd:dateTime' as const } }
      : {}),
    'dcat:landingPage': id(`${origin}/docs`),
    'dcat:distribution': [
      ...exportFiles.map((file) => ({
        '@id': `${origin}${file.path}#distribution`,
        '@type': 'dcat:Distribution' as const,
        'dcterms:title': file.title,
        'dcterms:description': file.description,
        'dcat:accessURL': id(`${origin}${file.path}`),
        'dcat:downloadURL': id(`${origin}${file.path}`),
        ...('mediaType' in file ? { 'dcat:mediaType': id(file.mediaType) } : {}),
        'dcterms:format': id(file.format),
        'dcterms:license': cc0,
      })),
      {
        '@id': `${origin}/v1/resources#distribution`,
        '@type': 'dcat:Distribution',
        'dcterms:title': text('REST-API (OpenAPI 3.1)', 'REST API (OpenAPI 3.1)'),
        'dcterms:description': text(
          'Sök stödinsatser per plats, målgrupp och typ; täckning per län och kommun.',
          'Search support resources by place, target group and kind; coverage per county and municipality.',
        ),
        'dcat:accessURL': id(`${origin}/v1/resources`),
        'dcterms:format': id(`${eu}/file-type/JSON`),
        'dcterms:license': cc0,
        'dcat:accessService': dataService(
          '/v1',
          text('Stödkartans REST-API', 'The Stödkartan REST API'),
          'https://spec.openapis.org/oas/v3.1.0',
        ),
      },
      {
        '@id': `${origin}/hsds/#distribution`,
        '@type': 'dcat:Distribution',
        'dcterms:title': text('Open Referral HSDS 3.0', 'Open Referral HSDS 3.0'),
        'dcterms:description': text(
          'Samma data enligt Human Services Data Specification 3.0.',
          'The same data as the Human Services Data Specification 3.0.',
        ),
        'dcat:accessURL': id(`${origin}/hsds/`),
        'dcterms:format': id(`${eu}/file-type/JSON`),
        'dcterms:license': cc0,
        'dcat:accessService': dataService(
          '/hsds/',
          text('HSDS 3.0-vy', 'HSDS 3.0 view'),
          'https://docs.openreferral.org/en/latest/hsds/',
        ),
      },
    ],
  };
}
