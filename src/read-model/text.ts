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

const wordPattern = /[\p{L}\p{N}]+/gu;

/**
 * Each Latin-1 character folded, or '' where it separates words: made by `fold` and `wordPattern`
 * themselves, one character at a time, which for text of these characters alone is the same as folding
 * the whole text (none of them combines with another, none changes case by context).
 */
const latin1 = Array.from({ length: 256 }, (_, code) => {
  const folded = fold(String.fromCharCode(code));
  return folded.length === 1 && (folded.match(wordPattern)?.length ?? 0) === 1 ? folded : '';
});

/** The folded words of a text. Most text is Latin-1 (Swedish included): it is folded by table. */
export function words(text: string): string[] {
  const found: string[] = [];
  let word = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return fold(text).match(wordPattern) ?? [];
    const folded = latin1[code] as string;
    if (folded !== '') word += folded;
    else if (word !== '') {
      found.push(word);
      word = '';
    }
  }
  if (word !== '') found.push(word);
  return found;
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
