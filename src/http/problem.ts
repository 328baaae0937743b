// One error path: every error leaves the service as RFC 9457 application/problem+json with a stable
// `type` and `code`. A 5xx never shows internals. That includes the framework's own refusals: the ones
// fastify makes before any hook runs (a URL it cannot decode, a path parameter over its length) come
// through `frameworkErrors`, and the ones Node's HTTP parser makes before fastify sees a request (headers
// over 16 kB → 431, a malformed request → 400, a request not received in time → 408) through
// `clientErrorHandler`; both answer problem+json with the security headers (app.ts wires them).
import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { StoreUnavailable } from '../db/store.js';
import { logRequestCompleted } from './logging.js';
import { securityHeaders } from './security-headers.js';

export const problemTypeBase = 'https://stodkartan.se/problems/';
export const problemContentType = 'application/problem+json; charset=utf-8';

/** A field-level reason inside a problem: where (`in` + `name` or JSON `pointer`) and why. */
export interface ProblemDetail {
  in?: 'query' | 'path' | 'body' | 'header' | 'file';
  name?: string;
  pointer?: string;
  reason: string;
}

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI identifying the problem type.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'Stable machine-readable code, e.g. `validation-failed`.' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          in: Type.Optional(Type.String()),
          name: Type.Optional(Type.String()),
          pointer: Type.Optional(Type.String()),
          reason: Type.String(),
        }),
      ),
    ),
  },
  { $id: 'Problem', description: 'An RFC 9457 problem details object.' },
);

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: ProblemDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
  }
}

export const badRequest = (code: string, detail: string, errors?: ProblemDetail[]) =>
  new Problem(400, code, detail, errors);
export const notFound = (detail: string) => new Problem(404, 'not-found', detail);

/** The store cannot reach its database now (StoreUnavailable, a failed ping): a retry may succeed. */
export const databaseUnavailable = () =>
  new Problem(503, 'database-unavailable', 'The database does not answer.');

/** A 400 for one query parameter whose value is well-formed but names nothing that exists. */
export const unknownCode = (parameter: string, value: string, what: string) =>
  badRequest('unknown-code', `Unknown ${what} '${value}' in query parameter '${parameter}'.`, [
    { in: 'query', name: parameter, reason: `no ${what} has the code '${value}'` },
  ]);

/** A path longer than this is not repeated as the problem's `instance` (a 414 is about such a path). */
const maxInstanceLength = 2048;

function problemBody(problem: Problem, path?: string) {
  return {
    type: `${problemTypeBase}${problem.code}`,
    title: titles[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    ...(path !== undefined && path.length <= maxInstanceLength ? { instance: path } : {}),
    code: problem.code,
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  if (problem.headers) reply.headers(problem.headers);
  return reply
    .code(problem.status)
    .type(problemContentType)
    .send(problemBody(problem, request.url.split('?')[0]));
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const locations: Record<string, ProblemDetail['in']> = {
  querystring: 'query',
  params: 'path',
  body: 'body',
  headers: 'header',
};

/** Turns Ajv's errors into reasons that name the parameter (query/path) or the JSON pointer (body). */
export function validationDetails(context: string, errors: AjvError[]): ProblemDetail[] {
  const where = locations[context] ?? 'body';
  return errors.map((error) => {
    let path = error.instancePath;
    let reason = error.message ?? error.keyword;
    if (error.keyword === 'additionalProperties') {
      const extra = String(error.params.additionalProperty);
      path = `${path}/${extra}`;
      reason = where === 'query' ? 'unknown query parameter' : 'unknown property';
    } else if (error.keyword === 'required') {
      path = `${path}/${String(error.params.missingProperty)}`;
      reason = 'is required';
    }
    if (where === 'body') return { in: where, pointer: path || '/', reason };
    return { in: where, name: path.split('/')[1] ?? '', reason };
  });
}

function fromFastifyError(error: FastifyError): Problem {
  if (error.validation) {
    const errors = validationDetails(error.validationContext ?? 'body', error.validation as AjvError[]);
    const first = errors[0];
    const subject = first?.name ? `'${first.name}'` : first?.pointer ? `'${first.pointer}'` : 'the request';
    return badRequest(
      'validation-failed',
      `Invalid ${first?.in ?? 'request'} ${subject}: ${first?.reason}.`,
      errors,
    );
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return badRequest('bad-url', 'The path is not valid percent-encoding (RFC 3986).');
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return new Problem(414, 'uri-too-long', `A path segment is longer than ${maxParamLength} characters.`);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const code = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? 'malformed-json' : 'bad-request';
    return new Problem(
      status,
      status === 400 ? code : (titles[status] ?? 'error').toLowerCase().replaceAll(' ', '-'),
      error.message,
    );
  }
  return new Problem(500, 'internal-error', 'The service failed to answer this request. It has been logged.');
}

/** fastify's default, set explicitly: a path parameter (an id, a code) longer than this is a 414. */
export const maxParamLength = 100;

/**
 * fastify's `frameworkErrors`: the refusals it makes before routing (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH),
 * when no hook has run, so neither helmet's headers nor the request's log line: both are added here.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = fromFastifyError(error);
  reply.headers(securityHeaders);
  sendProblem(reply, request, problem);
  // No onResponse hook runs for these either: the same line as every other answer.
  logRequestCompleted(request, reply);
}

/** The raw HTTP answer for a refusal made by Node's parser, before there is a request to reply to. */
function rawProblemResponse(problem: Problem): string {
  const body = JSON.stringify(problemBody(problem));
  const headers = {
    ...securityHeaders,
    'content-type': problemContentType,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${problem.status} ${titles[problem.status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

function clientErrorProblem(error: NodeJS.ErrnoException): Problem {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return new Problem(408, 'request-timeout', 'The request was not received in time.');
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return new Problem(
      431,
      'headers-too-large',
      'The request line and headers are larger than 16 kB (a path that long is refused too).',
    );
  return badRequest('malformed-request', 'The request is not valid HTTP/1.1.');
}

/**
 * fastify's `clientErrorHandler` (Node's `clientError`): answers problem+json with the security headers
 * and closes. The log line holds the status and Node's error code, never the request's bytes.
 */
export function clientErrorHandler(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = clientErrorProblem(error);
  this.log.info({ res: { statusCode: problem.status }, code: error.code }, 'client error');
  if (socket.writable) socket.end(rawProblemResponse(problem), () => socket.destroy());
  else socket.destroy();
}

export const problemPlugin = fp(
  async (app: FastifyInstance) => {
    app.addSchema(ProblemSchema);
    app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
      const problem =
        error instanceof Problem
          ? error
          : error instanceof StoreUnavailable
            ? databaseUnavailable()
            : fromFastifyError(error);
      if (problem.status >= 500) request.log.error({ err: error }, 'request failed');
      return sendProblem(reply, request, problem);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, request, notFound(`No route ${request.method} ${request.url.split('?')[0]}.`)),
    );
  },
  { name: 'problem' },
);

const problemDescriptions: Record<number, string> = {
  400: 'The request is malformed: the problem names the parameter or field.',
  401: 'A bearer token is missing, unknown or revoked.',
  403: 'The token may not make this change.',
  404: 'Nothing has that id or code.',
  409: 'The change conflicts with the current state.',
  412: 'The If-Match ETag is stale: reload and retry.',
  428: 'The request must carry If-Match.',
  429: 'Too many requests: retry after the Retry-After delay.',
};

/** One problem+json response, for the OpenAPI document and the serializer alike. */
export const problemResponse = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Type.Ref('Problem') } },
});

/** Response schemas for the error statuses a route can answer, all problem+json. */
export function problemResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      problemResponse(problemDescriptions[status] ?? titles[status] ?? 'Error'),
    ]),
  );
}
