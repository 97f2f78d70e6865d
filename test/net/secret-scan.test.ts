// Runs the net and genesys suites again with output capture on, then scans everything they
// produced — log lines, errors, health snapshots, doctor reports and JSON, CLI output, and the test
// runner's own output — for every secret the suites configured (proxy passwords, the client
// secret, access tokens) in plain, URL-encoded and base64 form. Any hit fails.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { globSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CAPTURE_ENV, secretForms } from './support/secret-capture.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Pure: which secret forms appear in which outputs. */
export function findLeaks(outputs: Map<string, string>, secrets: Iterable<string>): string[] {
  const leaks: string[] = [];
  for (const s of secrets) {
    for (const form of secretForms(s)) {
      for (const [name, text] of outputs) {
        const at = text.indexOf(form);
        if (at >= 0) leaks.push(`${name}: …${text.slice(Math.max(0, at - 60), at)}«SECRET»${text.slice(at + form.length, at + form.length + 40)}…`);
      }
    }
  }
  return leaks;
}

test('the leak finder sees plain, URL-encoded and base64 forms', () => {
  const secret = 's3cr:t p@ss%20ü€';
  const outputs = new Map([
    ['a', 'nothing here'],
    ['b', `url=${encodeURIComponent(secret)}`],
    ['c', `Basic ${Buffer.from(secret).toString('base64')}`],
  ]);
  assert.deepEqual(findLeaks(outputs, [secret]).map((l) => l.split(':')[0]), ['b', 'c']);
  assert.deepEqual(findLeaks(new Map([['a', 'clean']]), [secret]), []);
});

test('no configured secret appears in any output of the net and genesys suites', { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pk-secret-scan-'));
  try {
    const files = [...globSync('test/net/**/*.test.ts', { cwd: ROOT }), ...globSync('test/genesys/**/*.test.ts', { cwd: ROOT })]
      .filter((f) => !f.endsWith('secret-scan.test.ts'))
      .sort();
    // NODE_TEST_CONTEXT would make the inner runner report to this one instead of running its files.
    const { NODE_TEST_CONTEXT: _ctx, ...env } = process.env;
    const child = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const p = spawn(process.execPath, ['--experimental-strip-types', '--disable-warning=ExperimentalWarning', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
        cwd: ROOT, env: { ...env, [CAPTURE_ENV]: dir, PACEKEEPER_TEST: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => p.kill('SIGKILL'), 540_000);
      p.on('error', reject);
      p.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
    const failures = child.out.includes('✖ failing tests') ? child.out.slice(child.out.indexOf('✖ failing tests'), child.out.indexOf('✖ failing tests') + 6000) : child.out.slice(-3000);
    assert.equal(child.code, 0, `the suites under capture must pass for the scan to mean anything:\n${failures}`);

    const names = readdirSync(dir);
    const outputs = new Map<string, string>([['test runner output', child.out]]);
    const secrets = new Set<string>();
    for (const n of names) {
      const text = readFileSync(join(dir, n), 'utf8');
      if (n.endsWith('.out')) outputs.set(n, text);
      if (n.endsWith('.secrets')) for (const line of text.split('\n').filter(Boolean)) secrets.add(JSON.parse(line) as string);
    }
    // The scan can fail only if the capture really happened.
    assert.ok(outputs.size - 1 >= 6, `captured outputs from ${outputs.size - 1} files`);
    assert.ok(secrets.size >= 5, `registered ${secrets.size} secrets`);
    const allText = [...outputs.values()].join('\n');
    assert.match(allText, /"code":"ProxyAuthRequired"/, 'errors were captured');
    assert.match(allText, /"checks":\[/, 'doctor reports were captured');
    assert.match(allText, /"tunnelsOpened":/, 'health snapshots were captured');
    const leaks = findLeaks(outputs, secrets);
    assert.deepEqual(leaks, [], `secrets leaked:\n${leaks.slice(0, 10).join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
