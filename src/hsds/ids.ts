// HSDS 3.0 wants every entity to carry a UUID. Ours are derived, not stored: a name-based UUID (RFC 9562
// version 5, SHA-1) of what identifies the entity here, so the same organization, location or term gets
// the same id on every request and every server, with no schema change.
import { createHash } from 'node:crypto';

/** Stödkartan's namespace for name-based UUIDs (a random UUID, fixed once). */
const namespace = Buffer.from('3f0b6f0e5c8d4b8e9f1a2c7d9e4b6a10', 'hex');

/** A version 5 UUID of `parts`, joined with NUL so that no two part lists collide. */
export function nameBasedUuid(...parts: string[]): string {
  const hash = createHash('sha1').update(namespace).update(parts.join('\u0000'), 'utf8').digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** An organization is identified by its name and type (the table's unique key), not its row number. */
export const organizationUuid = (organization: { name: string; type: string }) =>
  nameBasedUuid('organization', organization.name, organization.type);

export const taxonomyUuid = (taxonomy: string) => nameBasedUuid('taxonomy', taxonomy);
export const taxonomyTermUuid = (taxonomy: string, code: string) =>
  nameBasedUuid('taxonomy_term', taxonomy, code);

/** Ids of a service's parts: the resource id plus what tells the parts apart. */
export const servicePartUuid = (entity: string, serviceId: string, ...key: string[]) =>
  nameBasedUuid(entity, serviceId, ...key);
