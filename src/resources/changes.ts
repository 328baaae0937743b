// Staff changes to resources: create, replace, retire, verify. Each runs in one transaction with its
// history entry, checks the token's scope against the old and the new service area, and guards against
// lost updates with the resource's version (the ETag).
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { TokenHolder } from '../auth/tokens.js';
import { forgetWithdrawnData, type OpenDatabase } from '../db/client.js';
import { datasetVersion } from '../db/dataset-version.js';
import * as schema from '../db/schema.js';
import { badRequest, Problem } from '../http/problem.js';
import type { Places } from '../places/places.js';
import { recordWrite } from '../read-model/journal.js';
import type { Vocabulary } from '../vocabulary/vocabulary.js';
import { recordChange } from './history.js';
import { definedOnly, getResource, saveResource } from './repository.js';
import type { Resource, ResourceInput } from './schemas.js';
import { type NormalizedResource, validateResource } from './validation.js';

export interface ChangeContext {
  database: OpenDatabase;
  places: Places;
  vocabulary: Vocabulary;
  holder: TokenHolder;
  now: Date;
}

export interface Versioned {
  resource: Resource;
  version: number;
}

export const etagOf = (version: number) => `"${version}"`;

export function resourceVersion(database: OpenDatabase, id: string): number | undefined {
  return database.db
    .select({ version: schema.resources.version })
    .from(schema.resources)
    .where(eq(schema.resources.id, id))
    .get()?.version;
}

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

function assertExpected(database: OpenDatabase, id: string, ifMatch: string | undefined): number {
  const version = resourceVersion(database, id);
  if (version === undefined) throw new Problem(404, 'not-found', `No resource has the id '${id}'.`);
  if (ifMatch === undefined) {
    throw new Problem(
      428,
      'precondition-required',
      'Send If-Match with the ETag from GET /v1/resources/{id}.',
    );
  }
  if (!ifMatchAccepts(ifMatch, version)) {
    throw new Problem(
      412,
      'precondition-failed',
      `The resource has changed since that ETag: it is now version ${etagOf(version)}. Reload, reapply, retry.`,
    );
  }
  return version;
}

/** A saved change, and whether it scrubbed an address from the history (then the log is emptied too). */
type Saved = Versioned & { scrubbed: boolean };

function save(
  context: ChangeContext,
  normalized: NormalizedResource,
  before: Resource | undefined,
  action: 'create' | 'update' | 'retire' | 'verify',
): Saved {
  const { database, holder, now } = context;
  const from = datasetVersion(database.sqlite);
  const outcome = saveResource(database.db, normalized, now.toISOString());
  const after = getResource(database.db, normalized.id) as Resource;
  // A change that changes nothing (a second verification the same day, a PUT of the same entry) leaves the
  // resource and its updatedAt alone, so it is no change in the history or the feed either.
  const scrubbed =
    outcome !== 'unchanged' &&
    recordChange(
      database.db,
      { resourceId: normalized.id, at: now.toISOString(), tokenName: holder.name, action },
      before,
      after,
    );
  // Inside the transaction: no other writer can come between these two versions.
  recordWrite(database.sqlite, { from, to: datasetVersion(database.sqlite), ids: [normalized.id] });
  return { resource: after, version: resourceVersion(database, normalized.id) as number, scrubbed };
}

export function createResource(context: ChangeContext, input: ResourceInput): Versioned {
  const normalized = normalize(input, context);
  assertScope(
    context.holder,
    context.places,
    footprint({ ...normalized, municipalities: normalized.municipalityCodes }),
    'its service area',
  );
  return afterCommit(
    context,
    context.database.sqlite
      .transaction(() => {
        if (resourceVersion(context.database, normalized.id) !== undefined) {
          throw new Problem(
            409,
            'already-exists',
            `A resource with the id '${normalized.id}' exists; use PUT to change it.`,
          );
        }
        return save(context, normalized, undefined, 'create');
      })
      .immediate(),
  );
}

/**
 * What follows a committed change: where it scrubbed an address from the history, the old frames of the
 * write-ahead log are emptied too, so no withdrawn address stays on disk.
 */
function afterCommit(context: ChangeContext, { scrubbed, ...saved }: Saved): Versioned {
  if (scrubbed) forgetWithdrawnData(context.database);
  return saved;
}

/** Full replacement of a resource; `mutate` is for retire and verify, which change one aspect. */
function change(
  context: ChangeContext,
  id: string,
  ifMatch: string | undefined,
  action: 'update' | 'retire' | 'verify',
  nextInput: (current: Resource) => ResourceInput,
): Versioned {
  const saved = context.database.sqlite
    .transaction(() => {
      assertExpected(context.database, id, ifMatch);
      const before = getResource(context.database.db, id) as Resource;
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
      return save(context, normalized, before, action);
    })
    .immediate();
  return afterCommit(context, saved);
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
