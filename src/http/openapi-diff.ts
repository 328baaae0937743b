// What changed between two OpenAPI documents, as JSON Pointers (RFC 6901): the summary `npm run
// openapi:check` prints when the committed contract and the routes disagree.

export interface Difference {
  kind: 'added' | 'removed' | 'changed';
  /** Where, as a JSON Pointer into the documents. */
  pointer: string;
}

const escapePointer = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');
const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] =>
  typeof value === 'object' && value !== null;

/** Every place where `actual` differs from `expected`, outermost first, in document order. */
export function documentDifferences(expected: unknown, actual: unknown, pointer = ''): Difference[] {
  if (!isContainer(expected) || !isContainer(actual) || Array.isArray(expected) !== Array.isArray(actual)) {
    return Object.is(expected, actual) ? [] : [{ kind: 'changed', pointer: pointer || '/' }];
  }
  const differences: Difference[] = [];
  const before = expected as Record<string, unknown>;
  const after = actual as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const key of keys) {
    const at = `${pointer}/${escapePointer(key)}`;
    if (!(key in after)) differences.push({ kind: 'removed', pointer: at });
    else if (!(key in before)) differences.push({ kind: 'added', pointer: at });
    else differences.push(...documentDifferences(before[key], after[key], at));
  }
  return differences;
}

const signs = { added: '+', removed: '-', changed: '~' } as const;

/** A few lines a person can act on: the first `limit` differences and how many more there are. */
export function summarizeDifferences(differences: Difference[], limit = 40): string {
  const lines = differences.slice(0, limit).map((d) => `  ${signs[d.kind]} ${d.pointer}`);
  if (differences.length > limit) lines.push(`  … and ${differences.length - limit} more`);
  return lines.join('\n');
}
