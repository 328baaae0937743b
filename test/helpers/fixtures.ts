// Hand-built resource entries for tests, in the input shape of seed files, db:import and the write API.
import { randomUUID } from 'node:crypto';
import type { ResourceInput } from '../../src/resources/schemas.js';

export function resourceInput(overrides: Partial<ResourceInput> = {}): ResourceInput {
  return {
    id: randomUUID(),
    name: 'Testjouren Borås',
    kind: 'kvinnojour',
    status: 'active',
    audiences: ['individuals'],
    description: { sv: 'Stöd till kvinnor som utsatts för våld.' },
    organization: { name: 'Testjouren', type: 'ideell' },
    cells: [{ area: 'close-relationship', role: 'subjected', group: 'women' }],
    serviceArea: { municipalities: ['1490'] },
    locations: [
      {
        visibility: 'public',
        municipality: '1490',
        address: { street: 'Storgatan 1', postalCode: '503 30', city: 'Borås' },
        lat: 57.721,
        lon: 12.94,
      },
    ],
    contact: { phone: '033-12 34 56', website: 'https://example.org' },
    source: { title: 'Test fixture' },
    lastVerified: '2026-01-15',
    ...overrides,
  };
}

/** A shelter whose one location is public, with this address and point: to be withdrawn in a test. */
export function publicShelter(address: {
  street: string;
  postalCode: string;
  municipality?: string;
  city?: string;
  lat: number;
  lon: number;
}): ResourceInput {
  const { street, postalCode, municipality = '1490', city = 'Borås', lat, lon } = address;
  return resourceInput({
    name: 'Jouren med skyddat boende',
    serviceArea: { municipalities: [municipality] },
    locations: [{ visibility: 'public', municipality, address: { street, postalCode, city }, lat, lon }],
  });
}
