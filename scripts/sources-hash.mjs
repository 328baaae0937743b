// The hash of everything a build of dist/ is made from. scripts/build.mjs records it in dist/.sources-hash
// (and builds only when it changed); src/read-model/snapshot.ts stamps saved read models with it, reading
// the recorded hash in dist/ and making it here when it runs from the sources, so that both agree.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Every file whose content can change what the build writes: the sources, compiler settings, lockfile. */
function inputs() {
  const files = [
    'tsconfig.json',
    'tsconfig.build.json',
    'package-lock.json',
    'scripts/build.mjs',
    'scripts/sources-hash.mjs',
  ].map((name) => join(root, name));
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) files.push(path);
    }
  };
  walk(join(root, 'src'));
  return files.sort();
}

/** A content hash, not modification times: a checkout or a copy that changes no byte costs no build. */
export function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '');
    hash.update('\0');
  }
  return hash.digest('hex');
}
