// Compiles src/ into dist/ with tsc, then bundles the server into one file with esbuild, so that a start
// loads one module instead of some thousand (typebox alone is hundreds of small files): the second
// `npm start` answers within about a second. With --if-stale it builds only when the sources differ from those
// of the last build. Plain JavaScript because it runs before anything is compiled; scripts/start.mjs imports it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { sourcesHash } from './sources-hash.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.sources-hash');

/** The bundled server `npm start` and the Docker image run. dist/server.js (tsc's output) runs the same code. */
export const serverBundle = join(root, 'dist', 'server.bundle.js');

/**
 * Packages left out of the bundle: better-sqlite3 loads a native module, and the two swagger plugins read
 * their own files (static assets, package.json) relative to their `__dirname`. pg-native is `pg`'s optional
 * libpq binding, required only if `pg.native` is read (never here) and not installed: `pg` itself bundles, and
 * naming pg-native keeps esbuild from pulling in a native module should it ever be installed.
 */
const external = ['better-sqlite3', '@fastify/swagger', '@fastify/swagger-ui', 'pg-native'];

/** Builds dist/ unless `ifStale` and the last build was of the same sources. Exits the process on failure. */
export async function build({ ifStale }) {
  const current = sourcesHash();
  if (ifStale && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return;

  process.stderr.write('building dist/ from src/ (tsc, then one bundle for the server) …\n');
  // A clean dist/: files of deleted sources must not linger. The hash is written last, so a failed build is
  // retried on the next start.
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);

  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [join(root, 'dist', 'server.js')],
    outfile: serverBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS packages inside an ES module bundle call `require` for Node's built-ins.
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
  });
  writeFileSync(stamp, current);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await build({ ifStale: process.argv.includes('--if-stale') });
}
