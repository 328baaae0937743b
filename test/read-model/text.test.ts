// The table that folds Latin-1 text must find exactly the words that folding the whole text finds.
import fc from 'fast-check';
import t from 'tap';
import { fold, words } from '../../src/read-model/text.js';

const byNormalising = (text: string) => fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];

t.test('every Latin-1 character, alone and next to every other', async (t) => {
  const differ: string[] = [];
  for (let a = 0; a < 256; a++) {
    for (let b = 0; b < 256; b++) {
      const text = String.fromCharCode(a, b, 0x20, a);
      if (words(text).join('|') !== byNormalising(text).join('|')) differ.push(`${a},${b}`);
    }
  }
  t.same(differ, []);
  t.same(words('Stödcentrum för UNGA, Brottsoffer-jouren 24/7'), [
    'stodcentrum',
    'for',
    'unga',
    'brottsoffer',
    'jouren',
    '24',
    '7',
  ]);
});

t.test('random text, Latin-1 or not, gives the same words either way', async (t) => {
  const unit = fc.constantFrom(
    ...'aåäöÅÄÖéÉüßæøµ ²½-_.,AZz09\u0301\u00ad\u00aa\u2013\u017fK\u0130'.split(''),
  );
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit, maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 20 })),
      (text) => t.strictSame(words(text), byNormalising(text)),
    ),
    { numRuns: 5_000 },
  );
});
