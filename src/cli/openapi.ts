// npm run openapi        — writes openapi/openapi.json, the contract generated from the route schemas
// npm run openapi:check  — exits 1, with a summary on stderr, when the committed file differs from it
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { serializeDocument } from '../http/openapi.js';
import { documentDifferences, summarizeDifferences } from '../http/openapi-diff.js';
import { projectRoot } from '../paths.js';

const target = join(projectRoot, 'openapi', 'openapi.json');
const shown = relative(process.cwd(), target) || target;
const check = process.argv.includes('--check');

// The document depends on the routes only, not on the data: an empty in-memory database will do.
const app = await buildApp(
  loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', SEED_IF_EMPTY: 'false' }),
);
const generated = serializeDocument(app.swagger());
await app.close();

if (!check) {
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, generated);
  process.stderr.write(`wrote ${shown}\n`);
} else {
  const committed = await readFile(target, 'utf8').catch(() => undefined);
  if (committed === generated) {
    process.stderr.write(`${shown} matches the routes\n`);
  } else {
    let summary: string;
    if (committed === undefined) summary = `  ${shown} is missing`;
    else {
      let parsed: unknown;
      try {
        parsed = JSON.parse(committed);
      } catch {
        parsed = undefined;
      }
      const differences = parsed === undefined ? [] : documentDifferences(parsed, JSON.parse(generated));
      summary =
        parsed === undefined
          ? `  ${shown} is not valid JSON`
          : differences.length > 0
            ? summarizeDifferences(differences)
            : '  the same document, formatted differently';
    }
    process.stderr.write(
      `${shown} differs from what the routes generate (+ added, - removed, ~ changed by the routes):\n` +
        `${summary}\nRun \`npm run openapi\` and commit the result if the change is intended.\n`,
    );
    process.exitCode = 1;
  }
}
