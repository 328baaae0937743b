// Logging that never writes a person's position: coordinates in a query string are rounded to one
// decimal (about 10 km) before a request is logged.
import type { FastifyRequest } from 'fastify';

const coordinateParameters = new Set(['lat', 'lon']);

export function redactCoordinates(url: string): string {
  const question = url.indexOf('?');
  if (question === -1) return url;
  const params = new URLSearchParams(url.slice(question + 1));
  let changed = false;
  for (const [name, value] of [...params]) {
    if (!coordinateParameters.has(name.toLowerCase())) continue;
    const number = Number(value);
    params.set(name, value.trim() !== '' && Number.isFinite(number) ? number.toFixed(1) : 'redacted');
    changed = true;
  }
  return changed ? `${url.slice(0, question)}?${params}` : url;
}

export const logSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactCoordinates(request.url),
      remoteAddress: request.ip,
    };
  },
};
