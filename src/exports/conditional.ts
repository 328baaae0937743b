// Conditional GET (RFC 9110 §13): a client that already holds the current export gets 304 and no body.
import type { IncomingHttpHeaders } from 'node:http';
import type { DatasetVersion } from './repository.js';

/** Whether the client's copy is current. If-None-Match, when present, decides alone (§13.2.2). */
export function isNotModified(headers: IncomingHttpHeaders, version: DatasetVersion): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    // Weak comparison (§13.1.2): a W/ prefix does not matter; `*` matches any current representation.
    const tags = ifNoneMatch.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
    return tags.includes('*') || tags.includes(version.etag);
  }
  const ifModifiedSince = headers['if-modified-since'];
  if (ifModifiedSince === undefined || version.lastModified === null) return false;
  const since = Date.parse(ifModifiedSince);
  // HTTP dates have whole seconds: compare at that precision.
  return !Number.isNaN(since) && Math.floor(version.lastModified.getTime() / 1000) * 1000 <= since;
}
