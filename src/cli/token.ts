// npm run token -- create --name NAME --scope county:06|admin   (prints the token alone on stdout, once)
// npm run token -- list
// npm run token -- revoke --name NAME
import { parseArgs } from 'node:util';
import { createToken, listTokens, parseScope, revokeToken, TokenError } from '../auth/tokens.js';
import { runCli } from './context.js';

const usage = `usage:
  npm run token -- create --name NAME --scope county:NN|admin
  npm run token -- list
  npm run token -- revoke --name NAME
`;

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}`);
  process.exit(2);
}

const options = { name: { type: 'string' }, scope: { type: 'string' } } as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
try {
  parsed = parseArgs({ args: process.argv.slice(2), options, allowPositionals: true });
} catch (error) {
  fail((error as Error).message);
}
const [command, ...rest] = parsed.positionals;
const { name, scope } = parsed.values;
if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}`);

await runCli(async ({ store, places }) => {
  const { tokens } = store;
  try {
    if (command === 'create') {
      if (!name || !scope) fail('create needs --name and --scope');
      const parsedScope = parseScope(scope);
      if (!parsedScope || (parsedScope.kind === 'county' && !places.counties.has(parsedScope.county))) {
        fail(`unknown scope '${scope}': use admin or county:NN with an existing county code`);
      }
      const token = await createToken(tokens, name, parsedScope);
      process.stderr.write(`created token '${name}' with scope ${scope}; it is shown once, keep it safe:\n`);
      process.stdout.write(`${token}\n`);
    } else if (command === 'list') {
      for (const t of await listTokens(tokens)) {
        process.stdout.write(
          `${t.name}\t${t.scope}\tcreated ${t.createdAt}${t.revokedAt ? `\trevoked ${t.revokedAt}` : ''}\n`,
        );
      }
    } else if (command === 'revoke') {
      if (!name) fail('revoke needs --name');
      await revokeToken(tokens, name);
      process.stderr.write(`revoked token '${name}'\n`);
    } else fail(command ? `unknown command '${command}'` : 'give a command');
  } catch (error) {
    if (error instanceof TokenError) fail(error.message);
    throw error;
  }
});
