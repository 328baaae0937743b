// Validation beyond the JSON schema, as a pure function: codes exist, the service area is coherent, a
// confidential location carries nothing but its municipality, phone numbers are real and normalised.
// Every problem is listed (JSON pointer + reason) so a client can fix them all at once.
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import organisationsnummerModule from 'organisationsnummer';
import { type OpeningHours, openingHoursProblems } from '../hours/schedule.js';
import type { ProblemDetail } from '../http/problem.js';
import type { Places } from '../places/places.js';
import type { Cell, Vocabulary } from '../vocabulary/vocabulary.js';
import type { ResourceInput } from './schemas.js';

/** A resource ready to store: validated, phone normalised, service area expanded to municipalities. */
export interface NormalizedResource extends ResourceInput {
  id: string;
  cells: Cell[];
  national: boolean;
  municipalityCodes: string[];
  /** Hash of the normalised content: an unchanged re-import leaves the stored entry untouched. */
  contentHash: string;
}

// The package is CommonJS (`module.exports = class`) but its types declare `export default`; under
// NodeNext that types the default import as the module object, so take the class back out.
const Organisationsnummer = organisationsnummerModule as unknown as typeof organisationsnummerModule.default;

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/** ISO 639-1, checked against the ICU data Node ships with: no list to keep by hand. */
export const isLanguageCode = (code: string) => languageNames.of(code) !== undefined;

/** Sweden's extent with a margin: coordinates outside it are a typo (swapped lat/lon, a sign). */
const swedenBounds = { minLat: 55, maxLat: 69.5, minLon: 10, maxLon: 24.5 };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

export interface ValidationContext {
  places: Places;
  vocabulary: Vocabulary;
  today: string;
  newId: () => string;
}

export type ValidationResult =
  | { ok: true; resource: NormalizedResource }
  | { ok: false; errors: ProblemDetail[] };

export function validateResource(input: ResourceInput, context: ValidationContext): ValidationResult {
  const { places, vocabulary, today } = context;
  const errors: ProblemDetail[] = [];
  const fail = (pointer: string, reason: string) => errors.push({ in: 'body', pointer, reason });
  /** Opening hours of the resource or of one location, at `pointer`: the same rules for both. */
  const checkOpeningHours = (pointer: string, hours: OpeningHours) => {
    if (input.open24h)
      fail(pointer, 'a resource open around the clock (`open24h`) has no other opening hours');
    for (const problem of openingHoursProblems(hours)) fail(`${pointer}${problem.pointer}`, problem.reason);
  };

  if (!vocabulary.has('kinds', input.kind)) fail('/kind', `unknown kind '${input.kind}'`);

  const cells = input.cells as Cell[];
  const seenCells = new Set<string>();
  cells.forEach((cell, i) => {
    if (!vocabulary.has('areas', cell.area)) fail(`/cells/${i}/area`, `unknown area '${cell.area}'`);
    if (!vocabulary.has('roles', cell.role)) fail(`/cells/${i}/role`, `unknown role '${cell.role}'`);
    if (!vocabulary.has('groups', cell.group)) fail(`/cells/${i}/group`, `unknown group '${cell.group}'`);
    const key = `${cell.area}|${cell.role}|${cell.group}`;
    if (seenCells.has(key)) fail(`/cells/${i}`, 'duplicate cell');
    seenCells.add(key);
  });

  const area = input.serviceArea;
  const national = area.national === true;
  const listed =
    (area.municipalities?.length ?? 0) + (area.counties?.length ?? 0) + (area.subregions?.length ?? 0);
  if (national && listed > 0) {
    fail('/serviceArea', 'a national service area lists no municipalities, counties or subregions');
  }
  if (!national && listed === 0) {
    fail('/serviceArea', 'give `national: true` or at least one municipality, county or subregion');
  }
  area.municipalities?.forEach((code, i) => {
    if (!places.municipalities.has(code))
      fail(`/serviceArea/municipalities/${i}`, `unknown municipality '${code}'`);
  });
  area.counties?.forEach((code, i) => {
    if (!places.counties.has(code)) fail(`/serviceArea/counties/${i}`, `unknown county '${code}'`);
  });
  area.subregions?.forEach((code, i) => {
    if (!places.subregions.has(code)) fail(`/serviceArea/subregions/${i}`, `unknown subregion '${code}'`);
  });

  input.locations.forEach((location, i) => {
    const at = `/locations/${i}`;
    if (!places.municipalities.has(location.municipality)) {
      fail(`${at}/municipality`, `unknown municipality '${location.municipality}'`);
    }
    const hasCoordinates = location.lat !== undefined || location.lon !== undefined;
    if (location.visibility === 'confidential') {
      // Never echo the refused values: they are the secret this rule protects.
      if (location.address !== undefined) {
        fail(
          `${at}/address`,
          'a confidential location must not carry an address: only its municipality is stored',
        );
      }
      if (hasCoordinates) {
        fail(`${at}`, 'a confidential location must not carry coordinates: only its municipality is stored');
      }
      if (location.openingHours !== undefined) {
        // Visiting hours could help find a sheltered address: refused, like the address itself.
        fail(
          `${at}/openingHours`,
          'a confidential location must not carry opening hours: only its municipality is stored',
        );
      }
      return;
    }
    if ((location.lat === undefined) !== (location.lon === undefined)) {
      fail(at, 'give both lat and lon, or neither');
    } else if (
      location.lat !== undefined &&
      location.lon !== undefined &&
      (location.lat < swedenBounds.minLat ||
        location.lat > swedenBounds.maxLat ||
        location.lon < swedenBounds.minLon ||
        location.lon > swedenBounds.maxLon)
    ) {
      fail(at, 'coordinates lie outside Sweden (are lat and lon swapped?)');
    }
    if (location.openingHours) checkOpeningHours(`${at}/openingHours`, location.openingHours);
  });

  let phone: string | undefined;
  if (input.contact.phone !== undefined) {
    const parsed = parsePhoneNumberFromString(input.contact.phone, 'SE');
    if (parsed?.isValid()) phone = parsed.format('E.164');
    else fail('/contact/phone', 'not a valid Swedish or international phone number');
  }
  for (const field of ['website', 'chat'] as const) {
    const value = input.contact[field];
    if (value !== undefined && !isHttpUrl(value)) fail(`/contact/${field}`, 'must be an http or https URL');
  }
  for (const [pointer, source] of [
    ['/source', input.source] as const,
    ...(input.sources ?? []).map((s, i) => [`/sources/${i}`, s] as const),
  ]) {
    if (source.url !== undefined && !isHttpUrl(source.url))
      fail(`${pointer}/url`, 'must be an http or https URL');
    if (source.seen !== undefined && source.seen > today)
      fail(`${pointer}/seen`, 'must not be in the future');
  }

  const organisationNumber = input.organization.organisationNumber;
  if (organisationNumber !== undefined && !Organisationsnummer.valid(organisationNumber)) {
    fail('/organization/organisationNumber', 'not a valid Swedish organisationsnummer');
  }

  input.languages?.forEach((code, i) => {
    if (!isLanguageCode(code)) fail(`/languages/${i}`, `'${code}' is not an ISO 639-1 language code`);
  });

  if (input.lastVerified > today) fail('/lastVerified', 'must not be in the future');
  if (input.activeFrom && input.activeUntil && input.activeFrom > input.activeUntil) {
    fail('/activeUntil', 'must not be before activeFrom');
  }
  if (input.ageMin !== undefined && input.ageMax !== undefined && input.ageMin > input.ageMax) {
    fail('/ageMax', 'must not be below ageMin');
  }
  if (input.openingHours) checkOpeningHours('/openingHours', input.openingHours);

  if (errors.length > 0) return { ok: false, errors };

  const normalized = {
    ...input,
    id: input.id ?? context.newId(),
    cells,
    sources: input.sources ?? [],
    contact: { ...input.contact, ...(phone ? { phone } : {}) },
    organization: {
      ...input.organization,
      ...(organisationNumber
        ? { organisationNumber: Organisationsnummer.parse(organisationNumber).format(true) }
        : {}),
    },
    national,
    municipalityCodes: national ? [] : places.expand(area),
  };
  return { ok: true, resource: { ...normalized, contentHash: hashOf(normalized) } };
}

function hashOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
