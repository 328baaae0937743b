// `npm run db:backup -- FILE` on PostgreSQL: `pg_dump --format=custom`, an online and consistent copy (one
// snapshot) of the database, restored with `pg_restore --clean --if-exists -d "$DATABASE_URL" FILE`.
// The password goes to pg_dump in PGPASSWORD, never on its command line, which every user of the machine can
// read (ps, /proc/PID/cmdline); the rest of the URL is its --dbname.
import { spawn } from 'node:child_process';

/** Query parameters of a node-postgres URL that libpq does not know (it refuses the URL for them). */
const nodeOnlyParameters = ['ssl', 'password'];

/** pg_dump's arguments and environment for `url`: the URL without its password, the password apart. */
export function pgDumpInvocation(
  url: string,
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): { args: string[]; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = parsed.password
    ? decodeURIComponent(parsed.password)
    : (parsed.searchParams.get('password') ?? undefined);
  parsed.password = '';
  for (const name of nodeOnlyParameters) parsed.searchParams.delete(name);
  return {
    args: ['--format=custom', `--file=${file}`, `--dbname=${parsed.toString()}`],
    env: password === undefined ? { ...env } : { ...env, PGPASSWORD: password },
  };
}

/** Runs pg_dump (from PATH) into `file`; rejects with its own message when it fails. */
export function pgDump(url: string, file: string): Promise<void> {
  const { args, env } = pgDumpInvocation(url, file);
  return new Promise((resolve, reject) => {
    const child = spawn('pg_dump', args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ENOENT'
          ? new Error(
              'pg_dump was not found: install the PostgreSQL client tools of the server version or newer ' +
                '(Debian: postgresql-client-15)',
            )
          : error,
      );
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`pg_dump failed (exit ${code}): ${stderr.trim()}`));
    });
  });
}
