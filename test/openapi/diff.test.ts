// The drift summary of `npm run openapi:check`, and the script itself against the committed file.
import t from 'tap';
import { documentDifferences, summarizeDifferences } from '../../src/http/openapi-diff.js';
import { runScript } from '../helpers/process.js';

t.test('differences as JSON Pointers: added, removed, changed', async (t) => {
  const before = { info: { version: '1.0.0' }, paths: { '/v1/a': { get: {} }, '/v1/b~c': {} }, tags: ['x'] };
  const after = { info: { version: '1.1.0' }, paths: { '/v1/a': { get: {}, post: {} } }, tags: ['x', 'y'] };
  t.same(documentDifferences(before, after), [
    { kind: 'changed', pointer: '/info/version' },
    { kind: 'added', pointer: '/paths/~1v1~1a/post' },
    { kind: 'removed', pointer: '/paths/~1v1~1b~0c' },
    { kind: 'added', pointer: '/tags/1' },
  ]);
  t.same(documentDifferences(before, structuredClone(before)), []);
  t.same(
    documentDifferences([1], { 0: 1 }),
    [{ kind: 'changed', pointer: '/' }],
    'an array is not an object',
  );
  const many = Array.from({ length: 45 }, (_, i) => ({ kind: 'added' as const, pointer: `/x/${i}` }));
  const summary = summarizeDifferences(many);
  t.equal(summary.split('\n').length, 41);
  t.match(summary, /… and 5 more$/);
});

t.test('npm run openapi:check passes on the committed contract', async (t) => {
  const { code, stderr } = await runScript('src/cli/openapi.ts', ['--check'], {});
  t.equal(code, 0, stderr);
  t.match(stderr, /matches the routes/);
});
