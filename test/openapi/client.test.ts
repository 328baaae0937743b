// A TypeScript client generated from openapi/openapi.json by openapi-typescript compiles, and works against
// the running app. The types are generated into a temporary directory on every run, not committed.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import t from 'tap';
import { buildTestApp, request } from '../helpers/app.js';
import { root } from '../helpers/process.js';

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', command), args, { cwd: root });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

// A tiny client: typed fetch of two operations, typed by the generated `paths`.
const clientSource = `
import type { paths } from './api.js';

type Get<P extends keyof paths> = paths[P] extends { get: infer O } ? O : never;
type Query<O> = O extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;
type Ok<O> = O extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;

export type ResourcePage = Ok<Get<'/v1/resources'>>;
export type CountyPage = Ok<Get<'/v1/counties'>>;

async function getJson<T>(base: string, path: string, query: Record<string, unknown> = {}): Promise<T> {
  const url = new URL(path, base);
  for (const [name, value] of Object.entries(query)) {
    for (const one of [value].flat()) url.searchParams.append(name, String(one));
  }
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(\`\${url.pathname}: \${response.status}\`);
  return (await response.json()) as T;
}

export const listResources = (base: string, query: Query<Get<'/v1/resources'>>) =>
  getJson<ResourcePage>(base, '/v1/resources', query);

export const listCounties = (base: string, query: Query<Get<'/v1/counties'>> = {}) =>
  getJson<CountyPage>(base, '/v1/counties', query);

// What the types promise, checked by the compiler.
export function describe(page: ResourcePage, counties: CountyPage): string {
  const first = page.items[0];
  const county: string = counties.items[0]?.code ?? '';
  const served: string[] = first?.serviceArea.municipalities ?? [];
  return \`\${page.totalItems} \${first?.name ?? ''} \${first?.kind ?? ''} \${county} \${served.length}\`;
}

// Parameters with a server default (page, limit) may be left out; unknown ones may not be sent.
export const onlyCounty: Query<Get<'/v1/resources'>> = { county: '06', kind: ['barnahus'] };
// @ts-expect-error: not a query parameter of GET /v1/resources
export const unknownParameter: Query<Get<'/v1/resources'>> = { colour: 'red' };
`;

// Built at the top level: a test's own temporary directory holds the generated client.
const app = await buildTestApp(t);

t.test('generate, compile, and use the client against the listening app', async (t) => {
  const dir = t.testdir({
    'package.json': JSON.stringify({ type: 'module' }),
    'tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'],
        types: ['node'],
        strict: true,
        noUncheckedIndexedAccess: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['client.ts', 'api.d.ts'],
    }),
  });
  writeFileSync(join(dir, 'client.ts'), clientSource);

  const generated = await run('openapi-typescript', ['openapi/openapi.json', '-o', join(dir, 'api.d.ts')]);
  t.equal(generated.code, 0, 'openapi-typescript generates the types', { output: generated.output });
  const compiled = await run('tsc', ['-p', join(dir, 'tsconfig.json')]);
  t.equal(compiled.code, 0, 'the client compiles against them (tsc --noEmit)', { output: compiled.output });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  const client = (await import(pathToFileURL(join(dir, 'client.ts')).href)) as {
    listResources: (
      base: string,
      query: Record<string, unknown>,
    ) => Promise<{ items: { name: string }[]; totalItems: number }>;
    listCounties: (base: string) => Promise<{ items: { code: string }[]; totalItems: number }>;
    describe: (page: unknown, counties: unknown) => string;
  };

  const resources = await client.listResources(base, { county: '06', kind: ['barnahus'] });
  const expected = (await request(app, '/v1/resources?county=06&kind=barnahus')).body;
  t.same(resources, expected, 'typed fetch of /v1/resources');
  t.equal(resources.items[0]?.name, 'Barnahus Jönköpings län');
  const counties = await client.listCounties(base);
  t.equal(counties.totalItems, 21, 'typed fetch of /v1/counties');
  t.equal(counties.items[0]?.code, '01');
  t.match(client.describe(resources, counties), /^1 Barnahus/);
});
