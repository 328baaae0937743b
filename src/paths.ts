import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: one level above this file, both in src/ and in dist/. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Whether this code runs from its TypeScript sources (tsx, the tests) rather than compiled, from dist/. */
export const fromSources = extname(fileURLToPath(import.meta.url)) === '.ts';
