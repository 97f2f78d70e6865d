// `pacekeeper sim` as a real process: the one ready line on stdout, JSON logs on stderr, a working
// HTTPS sandbox behind it, and a clean exit on SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { parseSimArgs } from '../../main/cli/sim-command.ts';
import { within } from './sim-helpers.ts';

const BIN = new URL('../../bin/pacekeeper.js', import.meta.url).pathname;

test('pacekeeper sim --https --port 0 prints one JSON line and serves the sandbox until SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'sim', '--https', '--port', '0', '--seed', '3', '--speed', '60'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const lines = createInterface({ input: child.stdout });
    const first = await within(new Promise<string>((resolve) => lines.once('line', resolve)), 20_000, 'ready line');
    const ready = JSON.parse(first) as Record<string, string>;
    assert.deepEqual(Object.keys(ready).sort(), ['caPem', 'clientId', 'clientSecret', 'url']);
    assert.match(ready.url!, /^https:\/\/localhost:\d+$/);
    assert.ok(existsSync(ready.caPem!));
    const agent = new Agent({ connect: { ca: readFileSync(ready.caPem!, 'utf8') } });
    try {
      const basic = Buffer.from(`${ready.clientId}:${ready.clientSecret}`).toString('base64');
      const tok = await request(`${ready.url}/oauth/token`, {
        method: 'POST',
        dispatcher: agent,
        headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      assert.equal(tok.statusCode, 200);
      const { access_token } = (await tok.body.json()) as { access_token: string };
      const list = await request(`${ready.url}/api/v2/outbound/campaigns`, { dispatcher: agent, headers: { authorization: `Bearer ${access_token}` } });
      assert.equal(list.statusCode, 200);
      assert.equal(((await list.body.json()) as { total: number }).total, 5);
      const state = await request(`${ready.url}/__sim/state`, { dispatcher: agent, headers: { authorization: `Basic ${basic}` } });
      assert.equal(state.statusCode, 200);
      await state.body.dump();
    } finally {
      await agent.close();
    }
    child.kill('SIGTERM');
    assert.equal(await within(exited, 10_000, 'exit after SIGTERM'), 0);
    // Nothing else went to stdout; stderr is JSON lines that never contain the secret.
    const logLines = stderr.trim().split('\n').filter(Boolean);
    assert.ok(logLines.length >= 2);
    for (const l of logLines) JSON.parse(l);
    assert.ok(!stderr.includes(ready.clientSecret!), 'the secret is not logged');
    assert.ok(!existsSync(ready.caPem!), 'the temp CA dir is removed on shutdown');
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('--help exits 0 and bad arguments exit 2 with the usage', () => {
  const help = spawnSync(process.execPath, [BIN, 'sim', '--help'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /usage: pacekeeper sim/);
  for (const args of [['--port', 'abc'], ['--speed', '0'], ['--bogus'], ['--port', '70000']]) {
    const bad = spawnSync(process.execPath, [BIN, 'sim', ...args], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(bad.status, 2, args.join(' '));
    assert.match(bad.stderr, /usage: pacekeeper sim/);
    assert.equal(bad.stdout, '');
  }
});

test('argument parsing maps flags to simulator options', () => {
  assert.deepEqual(parseSimArgs(['--port', '8080', '--https', '--seed', '9', '--speed', '2.5', '--host', '127.0.0.2', '--token-lifetime', '600', '--rate-limit', '50']), {
    https: true,
    port: 8080,
    host: '127.0.0.2',
    seed: 9,
    speed: 2.5,
    tokenLifetimeSec: 600,
    rateLimitPerMinute: 50,
  });
  assert.deepEqual(parseSimArgs([]), { https: false });
  assert.equal(parseSimArgs(['-h']), 'help');
  assert.throws(() => parseSimArgs(['--rate-limit', '0']));
  assert.throws(() => parseSimArgs(['--token-lifetime', '1.5']));
  assert.throws(() => parseSimArgs(['extra']));
});
