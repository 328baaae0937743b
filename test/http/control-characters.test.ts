// Text a person writes may hold tabs and line breaks, never other control characters: a NUL or an escape
// sequence in a name would travel into exports, logs and terminals (issue 11, finding 8).

import t from 'tap';
import { createToken } from '../../src/auth/tokens.js';
import { buildTestApp, countRows, expectProblem, request } from '../helpers/app.js';
import { resourceInput } from '../helpers/fixtures.js';

const app = await buildTestApp(t);
const token = await createToken(app.tokens, 'olle-14', { kind: 'county', county: '14' });
const headers = { authorization: `Bearer ${token}` };

t.test('control characters are refused with a 400 naming the field, and nothing is stored', async (t) => {
  const count = () => countRows(app, 'resources');
  const before = await count();
  for (const [field, value] of [
    ['name', 'Jouren\u0000'],
    ['name', 'Jouren \u001b[31mröd'],
    ['note', 'Rad ett\u0007'],
    ['hours', 'Mån\u007f–fre'],
  ] as const) {
    const problem = await expectProblem(
      t,
      app,
      { method: 'POST', url: '/v1/resources', headers, payload: resourceInput({ [field]: value }) },
      400,
    );
    t.match(JSON.stringify(problem.errors), new RegExp(`/${field}`), `${field} is named`);
  }
  t.equal(await count(), before, 'nothing stored');
  const fine = await request(app, {
    method: 'POST',
    url: '/v1/resources',
    headers,
    payload: resourceInput({ note: 'Rad ett\nrad två\tmed tabb', name: 'Jouren i Borås' }),
  });
  t.equal(fine.response.statusCode, 201, 'line breaks and tabs are text');
});
