// Ids and names held as UTF-8 in one buffer (src/read-model/string-list.ts): each string must come back as it
// went in, and the position of any string found by its text, whatever the text.
import fc from 'fast-check';
import t from 'tap';
import { StringList, StringPositions } from '../../src/read-model/string-list.js';

const anyText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.uuid(),
  fc.constantFrom('', 'Kvinnojour – Malmö', '😀', 'Åsa', 'Asa'),
);

t.test(
  'a string list gives back every string, and the first position of any string by its text',
  async (t) => {
    fc.assert(
      fc.property(
        fc.array(anyText, { maxLength: 200 }),
        fc.array(anyText, { maxLength: 20 }),
        (strings, asked) => {
          const list = StringList.of(strings);
          const again = new StringList(list.toParts());
          t.equal(again.length, strings.length);
          strings.forEach((text, i) => {
            if (again.at(i) !== text) t.fail(`string ${i} differs`);
          });
          const positions = new StringPositions(again);
          for (const text of [...strings, ...asked]) {
            const first = strings.indexOf(text);
            const found = positions.get(text);
            if (found !== (first < 0 ? undefined : first))
              t.fail(`${JSON.stringify(text)}: ${found}, not ${first}`);
            if (again.indexOf(text) !== first) t.fail(`indexOf ${JSON.stringify(text)}`);
          }
        },
      ),
      { numRuns: 300, seed: 21 },
    );
  },
);
