// Request logging that never writes what a client sent in its URL. One line per answer, for every status
// (400, 404, 429 and 503 included): the method, the route pattern (`/v1/resources/:id`, never the path as
// sent, never the query string), the status and the time taken. A request that matched no route — a 404, a
// URL fastify could not decode — is logged with the fixed marker `(no route)` instead of its path: masking
// the parts of a path that look like coordinates or numbers would miss whatever the mask does not foresee
// (a position written `57d46m`, a street or a person's name), while a fixed marker carries nothing of the
// client's; the client itself gets its path back in the problem's `instance`.
//
// Where a route accepted a position in its query string (nearby, places/lookup: lat and lon validated as
// numbers), the line holds it rounded to one decimal (about 10 km), for seeing where the service is used.
// A position refused by validation, or sent in a body (POST /v1/resources/search), is never logged.
import { type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import fp from 'fastify-plugin';

/** What the log says for the route of a request that matched none. */
const noRoute = '(no route)';

const roundedPositions = new WeakMap<FastifyRequest, { lat: number; lon: number }>();

const oneDecimal = (value: number) => Math.round(value * 10) / 10;

export const logSerializers = {
  req(request: FastifyRequest) {
    const position = roundedPositions.get(request);
    return {
      method: request.method,
      url: request.routeOptions?.url ?? noRoute,
      remoteAddress: request.ip,
      ...(position ? { position } : {}),
    };
  },
  res(reply: FastifyReply | { statusCode: number }) {
    return { statusCode: reply.statusCode };
  },
};

/** The one line per answer, with the request's route, never its URL (the `req` serializer above). */
export function logRequestCompleted(
  request: FastifyRequest,
  reply: FastifyReply,
  error?: Error | null,
): void {
  const line = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) };
  if (error) reply.log.error({ ...line, err: error }, 'request errored');
  else reply.log.info(line, 'request completed');
}

/**
 * fastify's own request lines, replaced: no `incoming request` line (the one line per answer says it all),
 * and the completed line from logRequestCompleted. (fastify's `Route … not found` line comes from its
 * default 404 handler, which problem.ts replaces.)
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    logRequestCompleted(request, reply, error);
  }
}

export const requestLogPlugin = fp(
  async (app: FastifyInstance) => {
    // After validation: a position is kept (rounded) only when the route's schema accepted it as numbers.
    app.addHook('preHandler', async (request) => {
      const query = request.query as { lat?: unknown; lon?: unknown } | undefined;
      if (typeof query?.lat === 'number' && typeof query.lon === 'number') {
        roundedPositions.set(request, { lat: oneDecimal(query.lat), lon: oneDecimal(query.lon) });
      }
    });
  },
  { name: 'request-log' },
);
