// Text for search, the same way on both sides: what is indexed and what is asked are folded (case and
// diacritics: `vald` finds `våld`, `MALMÖ` finds `Malmö`) and cut into words of letters and digits.

/** Query terms beyond this are ignored: the cost of a query stays bounded whatever its length. */
export const maxTerms = 8;
/** A longer term is cut: no word in the data is longer, and the cost stays bounded. */
export const maxTermLength = 40;
/** Terms shorter than this match the start of a word only; longer ones match anywhere in a word. */
export const infixFrom = 3;

/** Lower case without diacritics: å → a, ö → o, é → e. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The folded words of a text. */
export function words(text: string): string[] {
  return fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** The distinct folded terms of a query, at most `maxTerms`; empty when nothing searchable remains. */
export function queryTerms(q: string): string[] {
  const terms = [...new Set(words(q).map((w) => w.slice(0, maxTermLength)))];
  return terms.slice(0, maxTerms);
}

/** How well a word matches a term: the whole word counts most, then its start, then anywhere in it. */
export function matchFactor(word: string, term: string): number {
  if (word === term) return 2;
  if (word.startsWith(term)) return 1.5;
  if (term.length >= infixFrom && word.includes(term)) return 1;
  return 0;
}

/** The three-letter pieces of a word, for finding the words that contain a term. */
export function trigrams(word: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= word.length; i++) out.add(word.slice(i, i + 3));
  return [...out];
}
