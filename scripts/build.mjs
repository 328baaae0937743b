// Compiles src/ into dist/ with tsc. With --if-stale (what `npm start` runs) it compiles only when the
// sources differ from those of the last build, so that a second start serves at once instead of spending
// ten seconds and more in tsc. Plain JavaScript because it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.sources-hash');

/** Every file whose content can change what tsc writes: the sources, the compiler settings, the lockfile. */
function inputs() {
  const files = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'].map((name) => join(root, name));
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
function sourcesHash() {
  const hash = createHash('sha256');
  for (const file of inputs()) {
    hash.update(`${relative(root, file)}\0`);
    hash.update(existsSync(file) ? readFileSync(file) : '');
    hash.update('\0');
  }
  return hash.digest('hex');
}

const current = sourcesHash();
if (process.argv.includes('--if-stale') && existsSync(stamp) && readFileSync(stamp, 'utf8') === current) {
  process.exit(0);
}

process.stderr.write('building dist/ from src/ (tsc) …\n');
// A clean dist/: files of deleted sources must not linger. The hash is written last, so a failed build is
// retried on the next start.
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stamp, current);
