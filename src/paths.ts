import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: one level above this file, both in src/ and in dist/. */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
