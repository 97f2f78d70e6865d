// The headless host as a user runs it: `pacekeeper headless --sandbox` in its own process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { request } from 'undici';
import WebSocket from 'ws';
import { WS_BRIDGE_PROTOCOL } from '../../preload/contract.ts';

test('pacekeeper headless --sandbox serves the dashboard and the bridge, logs JSON, and drains on SIGTERM', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pk-headless-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['bin/pacekeeper.js', 'headless', '--sandbox', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => child.kill('SIGKILL'));
  const stderr: string[] = [];
  createInterface({ input: child.stderr }).on('line', (l) => stderr.push(l));
  const ready = await new Promise<{ dashboard: string; relay: string | null; mode: string; dataDir: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line; stderr:\n${stderr.join('\n')}`)), 60_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}; stderr:\n${stderr.join('\n')}`)));
  });
  assert.equal(ready.mode, 'sandbox');
  assert.equal(ready.dataDir, dataDir);
  assert.match(ready.relay ?? '', /^ws:\/\/127\.0\.0\.1:\d+$/);
  const url = new URL(ready.dashboard);
  assert.equal(url.hostname, '127.0.0.1');
  const token = url.hash.replace(/^#token=/, '');
  assert.ok(token.length >= 22);

  const page = await request(new URL('/', url.origin));
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
  await page.body.text();

  const ws = new WebSocket(`ws://${url.host}/bridge`, [WS_BRIDGE_PROTOCOL, token], { origin: url.origin });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const answer = new Promise<{ result: { ok: boolean; value: { platform: { mode: string }; campaigns: unknown[] } } }>((resolve) => {
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data));
      if (frame.type === 'result' && frame.id === 1) resolve(frame);
    });
  });
  ws.send(JSON.stringify({ id: 1, method: 'state:get' }));
  const { result } = await answer;
  assert.equal(result.ok, true);
  assert.equal(result.value.platform.mode, 'sandbox');
  assert.ok(result.value.campaigns.length >= 1);
  ws.close();

  // The loop runs against the simulator and logs each decision as one JSON line.
  const decision = async () => {
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const line = stderr.map((l) => JSON.parse(l) as { msg?: string; campaignId?: string; type?: string }).find((l) => l.msg === 'tuning decision');
      if (line) return line;
    }
    throw new Error(`no tuning decision logged; stderr:\n${stderr.join('\n')}`);
  };
  const first = await decision();
  assert.ok(first.campaignId && (first.type === 'applied' || first.type === 'unchanged'), JSON.stringify(first));

  // Logs are JSON lines and never carry the access token.
  assert.ok(stderr.length > 0);
  for (const line of stderr) assert.doesNotThrow(() => JSON.parse(line), line);
  assert.ok(!stderr.join('\n').includes(token));

  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 15_000))]);
  assert.equal(code, 0);
  assert.ok(stderr.some((l) => JSON.parse(l).msg === 'stopped'));
});

test('pacekeeper headless rejects bad options with usage and exit code 2', async () => {
  const child = spawn(process.execPath, ['bin/pacekeeper.js', 'headless', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const code = await new Promise((r) => child.once('exit', r));
  assert.equal(code, 2);
  assert.match(err, /--port needs a port number/);
  assert.match(err, /usage: pacekeeper headless/);
});
