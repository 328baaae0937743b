// Every shell example in the README that calls the API, run as a reader pastes it: in README order, in bash,
// against the server started on a fresh temporary database (the address rewritten to its free port). Each
// block must exit 0 with every HTTP answer a success (curl runs with --fail-with-body), and a line that ends
// in `# NNN` must print that status. Blocks that set a variable an API example uses (the token) run too.
import { spawnSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import t from 'tap';
import { root, startServer } from './helpers/process.js';

const readmeAddress = 'http://127.0.0.1:3000';

interface Block {
  line: number;
  code: string;
}

function shellBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]?.trim() !== '```sh') continue;
    const start = i + 1;
    while (i + 1 < lines.length && lines[i + 1]?.trim() !== '```') i++;
    blocks.push({ line: start + 1, code: lines.slice(start, i + 1).join('\n') });
    i++;
  }
  return blocks;
}

const callsApi = (block: Block) => /^\s*(?:[A-Z_]+=\$\()?curl\b/m.test(block.code);
const assigned = (block: Block) => [...block.code.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1] as string);
const used = (block: Block) => [...block.code.matchAll(/\$\{?([A-Z_]+)/g)].map((m) => m[1] as string);

/** The API examples, and before them in README order the blocks that set a variable they use but not set. */
function examplesToRun(markdown: string): Block[] {
  const blocks = shellBlocks(markdown);
  const api = blocks.filter(callsApi);
  const needed = new Set(api.flatMap(used));
  for (const block of api) for (const name of assigned(block)) needed.delete(name);
  return blocks.filter((block) => callsApi(block) || assigned(block).some((name) => needed.has(name)));
}

const has = (tool: string) => spawnSync(tool, ['--version']).status === 0;
const missing = ['curl', 'jq', 'bash'].filter((tool) => !has(tool));

t.test(
  'the README examples run as written',
  { skip: missing.length > 0 && `not installed: ${missing}` },
  async (t) => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const blocks = examplesToRun(readme);
    t.ok(blocks.length >= 6, `${blocks.length} blocks to run`);

    const dir = t.testdir({});
    const database = join(dir, 'readme.db');
    const server = await startServer({ DATABASE_PATH: database });
    t.teardown(() => {
      server.child.kill('SIGTERM');
    });

    // The reader is in the clone; the files the examples write (entry.json, headers.txt, …) land here instead.
    for (const name of ['package.json', 'node_modules', 'src', 'tsconfig.json']) {
      symlinkSync(join(root, name), join(dir, name));
    }
    const state = join(dir, 'state.sh');
    writeFileSync(state, '');
    const env = {
      ...process.env,
      DATABASE_PATH: database,
      PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    };

    for (const block of blocks) {
      const code = block.code.replaceAll(readmeAddress, server.url);
      // Variables a block sets are kept for the next, as they would be in the reader's shell.
      const script = [
        'set -euo pipefail',
        'curl() { command curl --fail-with-body "$@"; }',
        `source ${JSON.stringify(state)}`,
        '__before=$(compgen -v)',
        code,
        `for __name in $(compgen -v); do case "$__name" in __*) ;; *) grep -qx "$__name" <<<"$__before" || declare -p "$__name"; esac; done >> ${JSON.stringify(state)}`,
      ].join('\n');
      const run = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
      const output = `${run.stdout}${run.stderr}`;
      t.equal(run.status, 0, `README.md:${block.line} exits 0`, { code, output });
      for (const [, status] of code.matchAll(/#\s*(\d{3})\s*$/gm)) {
        t.match(run.stdout, new RegExp(`\\b${status}\\b`), `README.md:${block.line} answers ${status}`);
      }
      if (/-X PUT/.test(code)) {
        t.match(run.stdout, /"hours":"Mån–fre 9–16"/, `README.md:${block.line} saves the edit`);
        t.match(run.stdout, /"action":"update"/, `README.md:${block.line} shows the change in the history`);
      }
    }
  },
);
