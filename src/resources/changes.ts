// Staff changes to resources: create, replace, retire, verify. The domain's part of each write: validation,
// the token's scope against the old and the new service area, and If-Match against the resource's version
// (the ETag). The store (src/db/store.ts) runs each in one transaction with its history entry, calling back
// into `decide` with the current resource and version, so that no lost update is possible on either engine.
import { randomUUID } from 'node:crypto';
import type { TokenHolder } from '../auth/tokens.js';
import {
  type ChangeMeta,
  ResourceExists,
  ResourceNotFound,
  type ResourceStore,
  VersionConflict,
  type Versioned,
  type WriteReceipt,
} from '../db/store.js';
import { badRequest, Problem } from '../http/problem.js';
import type { Places } from '../places/places.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { definedOnly } from './repository.js';
import type { Resource, ResourceInput } from './schemas.js';
import { type NormalizedResource, validateResource } from './validation.js';

export type { Versioned } from '../db/store.js';

export interface ChangeContext {
  resources: ResourceStore;
  places: Places;
  vocabulary: Vocabulary;
  holder: TokenHolder;
  now: Date;
  /** Resolves once this process's read model serves the write: a client reads its own write next. */
  caughtUp: (receipt: WriteReceipt) => Promise<void>;
}

export const etagOf = (version: number) => `"${version}"`;

/** Does an If-Match header match the current version? `*` matches any; weak tags never match (RFC 9110). */
export function ifMatchAccepts(header: string, version: number): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .some((tag) => tag === '*' || tag === etagOf(version));
}

const today = (now: Date) => now.toISOString().slice(0, 10);

function normalize(input: ResourceInput, context: ChangeContext): NormalizedResource {
  const result = validateResource(input, { ...context, today: today(context.now), newId: randomUUID });
  if (!result.ok) {
    const [first] = result.errors;
    throw badRequest(
      'invalid-resource',
      `Invalid body '${first?.pointer}': ${first?.reason}.`,
      result.errors,
    );
  }
  return result.resource;
}

/** The municipalities a resource touches: its service area and its locations. */
function footprint(resource: {
  national: boolean;
  municipalities: string[];
  locations: { municipality: string }[];
}) {
  return {
    national: resource.national,
    municipalities: [...resource.municipalities, ...resource.locations.map((l) => l.municipality)],
  };
}

/**
 * A county token may change a resource only when its whole service area and every location lie in that
 * county; national resources and areas spanning counties need `admin`.
 */
function assertScope(
  holder: TokenHolder,
  places: Places,
  touched: ReturnType<typeof footprint>,
  which: string,
) {
  const { scope } = holder;
  if (scope.kind === 'admin') return;
  const outside = touched.municipalities.filter(
    (code) => places.municipalities.get(code)?.countyCode !== scope.county,
  );
  if (touched.national || outside.length > 0) {
    throw new Problem(
      403,
      'outside-scope',
      `The token '${holder.name}' may change resources of county ${scope.county} only; ${which} ${
        touched.national
          ? 'is national'
          : `reaches municipalities outside it (${[...new Set(outside)].join(', ')})`
      }. Such changes need an admin token.`,
    );
  }
}

function assertExpected(version: number, ifMatch: string | undefined): void {
  if (ifMatch === undefined) {
    throw new Problem(
      428,
      'precondition-required',
      'Send If-Match with the ETag from GET /v1/resources/{id}.',
    );
  }
  if (!ifMatchAccepts(ifMatch, version)) throw changedSince(version);
}

const changedSince = (version: number) =>
  new Problem(
    412,
    'precondition-failed',
    `The resource has changed since that ETag: it is now version ${etagOf(version)}. Reload, reapply, retry.`,
  );

const meta = (context: ChangeContext): ChangeMeta => ({ tokenName: context.holder.name, at: context.now });

/** The store's refusals as the problems the API has always answered with. */
async function written(
  context: ChangeContext,
  write: Promise<Versioned & { receipt: WriteReceipt }>,
): Promise<Versioned> {
  try {
    const { resource, version, receipt } = await write;
    await context.caughtUp(receipt);
    return { resource, version };
  } catch (error) {
    if (error instanceof ResourceExists) {
      throw new Problem(
        409,
        'already-exists',
        `A resource with the id '${error.id}' exists; use PUT to change it.`,
      );
    }
    if (error instanceof ResourceNotFound) {
      throw new Problem(404, 'not-found', `No resource has the id '${error.id}'.`);
    }
    // Another writer (another replica) committed between this write's read and its update.
    if (error instanceof VersionConflict) throw changedSince(error.current);
    throw error;
  }
}

export function createResource(context: ChangeContext, input: ResourceInput): Promise<Versioned> {
  const normalized = normalize(input, context);
  assertScope(
    context.holder,
    context.places,
    footprint({ ...normalized, municipalities: normalized.municipalityCodes }),
    'its service area',
  );
  return written(context, context.resources.createResource(normalized, meta(context)));
}

/** Full replacement of a resource; `nextInput` is for retire and verify, which change one aspect. */
function change(
  context: ChangeContext,
  id: string,
  ifMatch: string | undefined,
  action: 'update' | 'retire' | 'verify',
  nextInput: (current: Resource) => ResourceInput,
): Promise<Versioned> {
  return written(
    context,
    context.resources.changeResource(
      id,
      action,
      (before, version) => {
        assertExpected(version, ifMatch);
        assertScope(
          context.holder,
          context.places,
          footprint({ ...before.serviceArea, locations: before.locations }),
          'the resource as it stands',
        );
        const normalized = normalize({ ...nextInput(before), id }, context);
        assertScope(
          context.holder,
          context.places,
          footprint({ ...normalized, municipalities: normalized.municipalityCodes }),
          'the new version',
        );
        return normalized;
      },
      meta(context),
    ),
  );
}

export function replaceResource(
  context: ChangeContext,
  id: string,
  ifMatch: string | undefined,
  input: ResourceInput,
) {
  if (input.id !== undefined && input.id !== id) {
    throw badRequest('id-mismatch', `The body's id '${input.id}' differs from the path's '${id}'.`, [
      { in: 'body', pointer: '/id', reason: 'must equal the id in the path, or be left out' },
    ]);
  }
  return change(context, id, ifMatch, 'update', () => input);
}

/** Retires a resource: status closed from today. Nothing is removed; its history stays. */
export function retireResource(context: ChangeContext, id: string, ifMatch: string | undefined) {
  return change(context, id, ifMatch, 'retire', (current) => {
    if (current.status === 'closed') {
      throw new Problem(409, 'already-retired', `The resource '${id}' is closed already.`);
    }
    const until =
      current.activeUntil && current.activeUntil < today(context.now)
        ? current.activeUntil
        : today(context.now);
    return { ...toInput(current), status: 'closed', activeUntil: until };
  });
}

/** Records that staff checked the entry today. */
export function verifyResource(context: ChangeContext, id: string, ifMatch: string | undefined) {
  return change(context, id, ifMatch, 'verify', (current) => ({
    ...toInput(current),
    lastVerified: today(context.now),
  }));
}

/** The input shape of a stored resource, so that retire and verify go through the same validation. */
export function toInput(resource: Resource): ResourceInput {
  return {
    ...definedOnly({
      activeFrom: resource.activeFrom,
      activeUntil: resource.activeUntil,
      hours: resource.hours,
      openingHours: resource.openingHours,
      anonymous: resource.anonymous,
      withoutReferral: resource.withoutReferral,
      freeOfCharge: resource.freeOfCharge,
      ageMin: resource.ageMin,
      ageMax: resource.ageMax,
      accessibility: resource.accessibility,
      specialCompetence: resource.specialCompetence,
      note: resource.note,
    }),
    id: resource.id,
    name: resource.name,
    kind: resource.kind,
    status: resource.status as ResourceInput['status'],
    audiences: resource.audiences as ResourceInput['audiences'],
    description: resource.description,
    organization: resource.organization as ResourceInput['organization'],
    cells: resource.cells,
    serviceArea: resource.serviceArea.national
      ? { national: true }
      : { municipalities: resource.serviceArea.municipalities },
    locations: resource.locations,
    contact: resource.contact,
    open24h: resource.open24h,
    languages: resource.languages,
    source: resource.source,
    sources: resource.sources,
    lastVerified: resource.lastVerified,
  };
}
