// Resources that exercise the open-data views beyond the curated seed: coordinates and a street address,
// a confidential location, every optional field, and the statuses that only the exports list.

import type { FastifyInstance } from 'fastify';
import type { ResourceInput } from '../../src/resources/schemas.js';
import { importEntries } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

/** Public office with an address and coordinates, plus sheltered housing whose address is secret. */
export const shelter = resourceInput({
  id: '0f6d5f8e-1c2b-4d3a-9e8f-7a6b5c4d3e2f',
  name: 'Testjouren Borås',
  kind: 'kvinnojour',
  audiences: ['individuals', 'professionals'],
  description: { sv: 'Stöd och skyddat boende.', en: 'Support and sheltered housing.' },
  organization: { name: 'Testkommunen', type: 'kommun', organisationNumber: '212000-1561' },
  cells: [
    { area: 'close-relationship', role: 'subjected', group: 'women' },
    { area: 'honour-related', role: 'subjected', group: 'girls' },
  ],
  serviceArea: { municipalities: ['1490', '1491'] },
  locations: [
    {
      visibility: 'public',
      municipality: '1490',
      address: { street: 'Storgatan 1', postalCode: '503 30', city: 'Borås' },
      lat: 57.721,
      lon: 12.94,
    },
    { visibility: 'confidential', municipality: '1490' },
  ],
  contact: {
    phone: '033-12 34 56',
    email: 'info@example.org',
    website: 'https://example.org/testjouren',
    chat: 'https://example.org/chatt',
  },
  hours: 'Mån–fre 9–16',
  languages: ['sv', 'ar'],
  anonymous: true,
  withoutReferral: true,
  freeOfCharge: true,
  ageMin: 18,
  ageMax: 120,
  source: { title: 'Testkälla', url: 'https://example.org/kalla', seen: '2026-01-10' },
  sources: [
    {
      title: 'Testjouren: kontakt',
      url: 'https://example.org/testjouren/kontakt',
      seen: '2026-01-12',
      facts: ['contact', 'locations', 'hours'],
    },
  ],
  lastVerified: '2026-01-15',
});

export const planned = resourceInput({
  id: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  name: 'Planerat resurscentrum',
  kind: 'resurscentrum-heder',
  status: 'planned',
  locations: [{ visibility: 'public', municipality: '1480', lat: 57.7089, lon: 11.9746 }],
  serviceArea: { municipalities: ['1480'] },
});

export const closed = resourceInput({
  id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  name: 'Nedlagd jour',
  status: 'closed',
  locations: [],
  contact: {},
});

/** Imports `entries` through the store (either engine); served once it resolves. */
export async function storeEntries(app: FastifyInstance, entries: ResourceInput[]): Promise<void> {
  await importEntries(app, entries, { today: '2026-11-23' });
}

export const allStatuses = 'status=active&status=planned&status=inactive&status=closed';
