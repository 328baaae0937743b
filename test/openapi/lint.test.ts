// Redocly lints the committed contract with the rules in redocly.yaml: no errors, no warnings. It runs
// offline: telemetry and the update check are off.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import t from 'tap';
import { root } from '../helpers/process.js';

function redocly(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(root, 'node_modules', '.bin', 'redocly'), args, {
      cwd: root,
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
    });
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

t.test('redocly lint openapi/openapi.json: valid, without errors or warnings', async (t) => {
  const { code, output } = await redocly(['lint', 'openapi/openapi.json', '--format=stylish']);
  t.equal(code, 0, 'exit code 0', { output });
  // Stylish problem lines look like `  59:7  error  rule-name  message`.
  t.notMatch(output, /^\s*\d+:\d+\s+error\s/m, 'no errors');
  t.notMatch(output, /^\s*\d+:\d+\s+warning\s/m, 'no warnings');
  t.notMatch(output, /You have \d+ warning/);
  t.match(output, /Your API description is valid/);
});
