// Reads the service's JSON log lines and finds a person's position in them. A coordinate counts only
// where it stands as one — a lat/lon query parameter, a lat/lon field, or its exact digits inside a
// logged string — never as four digits that a timestamp, pid, port or response time happens to contain.

export type LogLine = Record<string, unknown>;

/** The JSON lines of a log (pino writes one object a line); anything else on the stream is skipped. */
export function parseLogLines(text: string): LogLine[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** What a log may hold of a coordinate: at most one decimal (about 10 km), or the word `redacted`. */
const harmless = /^(-?\d+(\.\d)?|redacted)$/;
const coordinateName = /^(lat|lon|latitude|longitude)$/i;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return text;
  }
}

/**
 * Every place where a log holds a position more precisely than rounded: a lat/lon query parameter
 * (any case) or field whose value is not harmless, or one of `precise` (the exact digits sent, as
 * written) inside a logged string, before or after percent-decoding. Empty when the log is clean.
 */
export function coordinateLeaks(lines: LogLine[], precise: string[]): string[] {
  const leaks: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === 'string') {
      for (const digits of precise) {
        if (value.includes(digits) || decoded(value).includes(digits)) leaks.push(`${path} holds ${digits}`);
      }
      const question = value.indexOf('?');
      if (question !== -1) {
        for (const [name, parameter] of new URLSearchParams(value.slice(question + 1))) {
          if (coordinateName.test(name) && !harmless.test(parameter)) {
            leaks.push(`${path} has the query parameter ${name}=${parameter}`);
          }
        }
      }
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, `${path}[${i}]`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (coordinateName.test(key) && !harmless.test(String(item))) {
          leaks.push(`${path}.${key} is ${String(item)}`);
        }
        visit(item, `${path}.${key}`);
      }
    }
  };
  for (const [i, line] of lines.entries()) visit(line, `line ${i + 1}`);
  return leaks;
}

/** One answer as the log records it (the `request completed` line: logging.ts). */
export interface LoggedRequest {
  method: string;
  /** The route pattern, or `(no route)`. */
  url: string;
  status: number;
  position?: { lat: number; lon: number };
}

/** The answers the log records, one per request, in order. */
export function loggedRequests(lines: LogLine[]): LoggedRequest[] {
  return lines.flatMap((line) => {
    if (line.msg !== 'request completed') return [];
    const req = (line.req ?? {}) as {
      method?: string;
      url?: string;
      position?: { lat: number; lon: number };
    };
    const res = (line.res ?? {}) as { statusCode?: number };
    return [
      {
        method: req.method ?? '',
        url: req.url ?? '',
        status: res.statusCode ?? 0,
        ...(req.position ? { position: req.position } : {}),
      },
    ];
  });
}
