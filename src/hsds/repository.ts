// What the HSDS view reads beyond single resources: pages of service ids, the organizations that provide
// at least one service, and pages of locations. Resources themselves come from the resources repository,
// so the HSDS view and /v1/resources can never disagree on what a resource is.
import { and, asc, count, eq, exists, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import * as schema from '../db/schema.js';
import type { Resource } from '../resources/schemas.js';

const r = schema.resources;
const o = schema.organizations;

/** Resource ids in id order: the stable order HSDS pages are cut from. */
export function serviceIds(db: Db, window: { offset: number; limit: number }): string[] {
  return db
    .select({ id: r.id })
    .from(r)
    .orderBy(asc(r.id))
    .limit(window.limit)
    .offset(window.offset)
    .all()
    .map((row) => row.id);
}

export type OrganizationRow = Resource['organization'];

/** Organizations that provide at least one resource, by name; an unused row is not an organization to list. */
export function organizationsWithServices(db: Db): OrganizationRow[] {
  return db
    .select({ name: o.name, type: o.type, organisationNumber: o.organisationNumber })
    .from(o)
    .where(exists(db.select({ one: sql`1` }).from(r).where(eq(r.organizationId, o.id))))
    .orderBy(asc(o.name), asc(o.type))
    .all()
    .map(({ organisationNumber, ...organization }) =>
      organisationNumber ? { ...organization, organisationNumber } : organization,
    );
}

/** The ids of the resources an organization provides, in id order. */
export function serviceIdsOfOrganization(db: Db, organization: { name: string; type: string }): string[] {
  return db
    .select({ id: r.id })
    .from(r)
    .innerJoin(o, eq(o.id, r.organizationId))
    .where(
      and(eq(o.name, organization.name), eq(o.type, organization.type as (typeof o.$inferSelect)['type'])),
    )
    .orderBy(asc(r.id))
    .all()
    .map((row) => row.id);
}

export function countLocations(db: Db): number {
  return db.select({ n: count() }).from(schema.resourceLocations).get()?.n ?? 0;
}

/**
 * A page of locations, each as its resource and its index among that resource's locations (the index the
 * public shape lists it at), ordered by resource id and position.
 */
export function locationsPage(
  db: Db,
  window: { offset: number; limit: number },
): { resourceId: string; index: number }[] {
  const l = schema.resourceLocations;
  return db
    .select({
      resourceId: l.resourceId,
      index: sql<number>`row_number() OVER (PARTITION BY ${l.resourceId} ORDER BY ${l.position}) - 1`,
    })
    .from(l)
    .orderBy(asc(l.resourceId), asc(l.position))
    .limit(window.limit)
    .offset(window.offset)
    .all();
}
