// A feed consumer as the README describes one: follows GET /v1/changes from a cursor, applies each entry
// by replacing the resource with its id, and can write its store out as the NDJSON export would.
import type { FastifyInstance } from 'fastify';
import { type Body, request } from '../helpers/app.js';

export interface Consumer {
  resources: Map<string, Body>;
  cursor: string | undefined;
  /** Every entry seen, in the order read. */
  seen: Body[];
}

export const newConsumer = (cursor?: string): Consumer => ({ resources: new Map(), cursor, seen: [] });

/** Reads pages until `hasMore` is false, checking each page's Link and `next` as it goes. */
export async function follow(app: FastifyInstance, consumer: Consumer, limit = 50): Promise<void> {
  for (;;) {
    const url = `/v1/changes?limit=${limit}${consumer.cursor ? `&after=${consumer.cursor}` : ''}`;
    const { response, body } = await request(app, url);
    if (response.statusCode !== 200)
      throw new Error(`${url} answered ${response.statusCode}: ${response.body}`);
    const next = body.items.at(-1)?.cursor ?? consumer.cursor;
    if (next !== undefined && body.next !== next) throw new Error(`next is ${body.next}, expected ${next}`);
    if (!String(response.headers.link).includes(`after=${body.next}&limit=${limit}>; rel="next"`))
      throw new Error(`Link ${response.headers.link} does not lead to ${body.next}`);
    for (const entry of body.items) {
      consumer.resources.set(entry.resourceId, entry.resource);
      consumer.seen.push(entry);
    }
    consumer.cursor = body.next;
    if (!body.hasMore) return;
  }
}

/** The consumer's store written out as /v1/export/resources.ndjson writes one: one line per resource, by id. */
export const asNdjson = (consumer: Consumer) =>
  [...consumer.resources.keys()]
    .sort()
    .map((id) => `${JSON.stringify(consumer.resources.get(id))}\n`)
    .join('');
