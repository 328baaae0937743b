// `limit` + 1-based `page` paging with RFC 8288 Link headers, shared by every list.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Static, type TSchema, Type } from 'typebox';
import { badRequest } from './problem.js';

export const maxLimit = 100;

export const PagingQuery = {
  page: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 1,
    description: 'Page number, starting at 1.',
  }),
  limit: Type.Integer({
    minimum: 1,
    maximum: maxLimit,
    default: 20,
    description: `Items per page, 1–${maxLimit}.`,
  }),
};

export interface Paging {
  page: number;
  limit: number;
}

export const pageSchema = <T extends TSchema>(item: T, description: string) =>
  Type.Object(
    {
      items: Type.Array(item),
      page: Type.Integer({ minimum: 1 }),
      limit: Type.Integer({ minimum: 1 }),
      totalItems: Type.Integer({ minimum: 0 }),
      totalPages: Type.Integer({ minimum: 0 }),
    },
    { description },
  );

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  totalItems: number;
  totalPages: number;
}
export type PageOf<T extends TSchema> = Page<Static<T>>;

/** Rejects a page past the last one (page 1 of an empty list is fine) and gives the OFFSET. */
export function pageWindow(paging: Paging, totalItems: number): { offset: number; totalPages: number } {
  const totalPages = Math.ceil(totalItems / paging.limit);
  if (paging.page > Math.max(totalPages, 1)) {
    throw badRequest('page-out-of-range', `Page ${paging.page} is past the last page (${totalPages}).`, [
      { in: 'query', name: 'page', reason: `must be at most ${Math.max(totalPages, 1)}` },
    ]);
  }
  return { offset: (paging.page - 1) * paging.limit, totalPages };
}

/** Sets the RFC 8288 Link header (first, prev, next, last) for a page of results. */
export function setPageLinks(request: FastifyRequest, reply: FastifyReply, page: Page<unknown>): void {
  const url = new URL(request.url, 'http://localhost');
  const link = (n: number, rel: string) => {
    url.searchParams.set('page', String(n));
    return `<${url.pathname}${url.search}>; rel="${rel}"`;
  };
  const last = Math.max(page.totalPages, 1);
  const links = [link(1, 'first')];
  if (page.page > 1) links.push(link(page.page - 1, 'prev'));
  if (page.page < last) links.push(link(page.page + 1, 'next'));
  links.push(link(last, 'last'));
  reply.header('link', links.join(', '));
}
