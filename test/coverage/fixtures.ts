// A small hand-built world for the pure coverage computation: two counties, four municipalities.
import type {
  CountyInput,
  CoverageInput,
  CoveragePlace,
  CoverageResource,
  PlaceMunicipality,
} from '../../src/coverage/compute.js';
import type { Cell } from '../../src/vocabulary/vocabulary.js';

export const women: Cell = { area: 'close-relationship', role: 'subjected', group: 'women' };
export const men: Cell = { area: 'close-relationship', role: 'subjected', group: 'men' };
export const buyers: Cell = { area: 'prostitution-trafficking', role: 'perpetrator', group: 'men' };

/** County A: three municipalities on a north–south line; county B: one, further north. */
export const a1: PlaceMunicipality = {
  code: 'A1',
  name: 'Aby',
  population2016: 100,
  seatLat: 57,
  seatLon: 14,
};
export const a2: PlaceMunicipality = {
  code: 'A2',
  name: 'Bro',
  population2016: 200,
  seatLat: 57.5,
  seatLon: 14,
};
export const a3: PlaceMunicipality = {
  code: 'A3',
  name: 'Cala',
  population2016: 300,
  seatLat: 58,
  seatLon: 14,
};
export const b1: PlaceMunicipality = {
  code: 'B1',
  name: 'Dal',
  population2016: 1000,
  seatLat: 59,
  seatLon: 14,
};

export const seats = new Map([a1, a2, a3, b1].map((m) => [m.code, m]));

export const countyA: CoveragePlace = {
  type: 'county',
  code: 'A',
  name: 'A län',
  county: { code: 'A', name: 'A län' },
  municipalities: [a1, a2, a3],
};
export const countyB: CoveragePlace = {
  type: 'county',
  code: 'B',
  name: 'B län',
  county: { code: 'B', name: 'B län' },
  municipalities: [b1],
};

export const inventory = {
  completedOn: '2020-12-31',
  completeness: 'complete' as const,
  source: { title: 'Kartläggning' },
  notAssessed: [],
};
/** The same county mapped from a source that lists some resources only. */
export const selection = { ...inventory, completeness: 'selection' as const };

let next = 0;
export function resource(overrides: Partial<CoverageResource> = {}): CoverageResource {
  next += 1;
  return {
    id: `r${String(next).padStart(3, '0')}`,
    name: `Resurs ${next}`,
    kind: 'kvinnojour',
    status: 'active',
    activeFrom: null,
    activeUntil: null,
    forIndividuals: true,
    national: false,
    cells: [women],
    serviceArea: ['A1', 'A2', 'A3'],
    locations: [],
    ...overrides,
  };
}

export function input(overrides: Partial<CoverageInput> = {}): CoverageInput {
  return {
    place: countyA,
    inventory,
    at: '2024-06-01',
    cells: [women, men, buyers],
    resources: [],
    seats,
    ...overrides,
  };
}

export const counties: CountyInput[] = [
  { code: 'A', name: 'A län', inventory, municipalities: [a1, a2, a3] },
  { code: 'B', name: 'B län', inventory: null, municipalities: [b1] },
];
