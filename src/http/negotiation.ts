// Content negotiation: JSON or CSV by the Accept header, Swedish or English labels and the CSV separator
// by Accept-Language (RFC 9110 §12.5). Small on purpose: two media types and two languages.

interface Range {
  value: string;
  q: number;
}

/** Parses `a/b;q=0.5, c/d` into ranges with their weights, dropping malformed weights to 0. */
function ranges(header: string): Range[] {
  return header.split(',').flatMap((part) => {
    const [value = '', ...parameters] = part.split(';').map((s) => s.trim().toLowerCase());
    if (value === '') return [];
    const weight = parameters.find((p) => p.startsWith('q='));
    const q = weight === undefined ? 1 : Number(weight.slice(2));
    return [{ value, q: Number.isFinite(q) ? q : 0 }];
  });
}

/** The weight a header gives an offer: the most specific matching range decides. */
function weightOf(offer: string, all: Range[], matches: (range: string, offer: string) => number): number {
  let best = { specificity: -1, q: 0 };
  for (const range of all) {
    const specificity = matches(range.value, offer);
    if (specificity > best.specificity) best = { specificity, q: range.q };
  }
  return best.q;
}

/** The client's preferred offer; the first offer when the header is absent or accepts none of them. */
function preferred<T extends string>(
  header: string | undefined,
  offers: readonly [T, ...T[]],
  matches: (range: string, offer: string) => number,
): T {
  if (!header) return offers[0];
  const all = ranges(header);
  let choice = offers[0];
  let best = 0;
  for (const offer of offers) {
    const q = weightOf(offer, all, matches);
    if (q > best) {
      best = q;
      choice = offer;
    }
  }
  return choice;
}

function mediaMatch(range: string, offer: string): number {
  if (range === offer) return 2;
  if (range === '*/*') return 0;
  return range.endsWith('/*') && offer.startsWith(range.slice(0, -1)) ? 1 : -1;
}

function languageMatch(range: string, offer: string): number {
  if (range === offer || range.startsWith(`${offer}-`)) return 1;
  return range === '*' ? 0 : -1;
}

export const preferredMediaType = <T extends string>(
  accept: string | undefined,
  offers: readonly [T, ...T[]],
) => preferred(accept, offers, mediaMatch);

export const preferredLanguage = <T extends string>(
  acceptLanguage: string | undefined,
  offers: readonly [T, ...T[]],
) => preferred(acceptLanguage, offers, languageMatch);
