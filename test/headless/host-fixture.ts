// A headless host over the in-test FakeCore, serving a tiny hand-made renderer directory, plus a
// raw WebSocket client that can send any Host, Origin and subprotocols (a browser cannot forge
// those, so the refusal matrix is tested from Node; test/e2e/browser covers the browser's side).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import WebSocket from 'ws';
import { WS_BRIDGE_PROTOCOL } from '../../preload/contract.ts';
import { startHeadlessHost, type HeadlessHost, type HeadlessHostOptions } from '../../main/headless/index.ts';
import { createMemoryLogger } from '../../main/util/log.ts';
import { FakeCore } from '../e2e/browser/support/fake-core.ts';

export interface HostFixture {
  host: HeadlessHost;
  core: FakeCore;
  token: string;
  dir: string;
  rendererDir: string;
  logs: string[];
}

export async function startHost(t: TestContext, opts: Partial<Omit<HeadlessHostOptions, 'core' | 'rendererDir'>> = {}): Promise<HostFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'pk-headless-'));
  const rendererDir = join(dir, 'renderer');
  mkdirSync(join(rendererDir, 'nested'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title><script type="module" src="app.js"></script>');
  writeFileSync(join(rendererDir, 'app.js'), 'export {};\n');
  writeFileSync(join(rendererDir, 'styles.css'), 'body{}\n');
  writeFileSync(join(rendererDir, 'nested', 'deep.css'), 'p{}\n');
  writeFileSync(join(rendererDir, '.hidden.js'), 'secret\n');
  writeFileSync(join(dir, 'outside.txt'), 'outside the renderer dir\n');
  const logger = createMemoryLogger();
  const core = new FakeCore({ settingsDir: join(dir, 'settings'), campaigns: 3, historyHours: 1 });
  const host = await startHeadlessHost({ core, rendererDir, logger, ...opts });
  t.after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { host, core, token: new URL(host.url).hash.replace('#token=', ''), dir, rendererDir, logs: logger.lines };
}

export interface ConnectOptions {
  path?: string;
  /** Host header; default 127.0.0.1:PORT. */
  host?: string;
  /** Origin header; default the host's own origin; null sends none. */
  origin?: string | null;
  /** Subprotocols; default [bridge protocol, token]. */
  protocols?: string[];
  maxPayload?: number;
}

export type Connected = { ok: true; ws: WebSocket; protocol: string };
export type Refused = { ok: false; status: number };

export function connect(fx: HostFixture, o: ConnectOptions = {}): Promise<Connected | Refused> {
  const port = fx.host.port;
  const headers: Record<string, string> = { host: o.host ?? `127.0.0.1:${port}` };
  const origin = o.origin === undefined ? `http://127.0.0.1:${port}` : o.origin;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${o.path ?? '/bridge'}`, o.protocols ?? [WS_BRIDGE_PROTOCOL, fx.token], {
      headers,
      ...(origin !== null ? { origin } : {}),
      handshakeTimeout: 5_000,
      maxPayload: o.maxPayload ?? 64 * 1024 * 1024,
    });
    ws.once('open', () => resolve({ ok: true, ws, protocol: ws.protocol }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ ok: false, status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once('error', (e) => reject(e));
  });
}

/** Sends a frame and resolves with the result frame carrying the same id (bounded wait). */
export function request(ws: WebSocket, frame: unknown, id: number, timeoutMs = 5_000): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer for id ${id}`)), timeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      const f = JSON.parse(String(data)) as { type: string; id?: number; result?: never };
      if (f.type === 'result' && f.id === id) {
        clearTimeout(timer);
        ws.off('message', onMessage);
        resolve(f.result as never);
      }
    };
    ws.on('message', onMessage);
    ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  });
}

export function closed(ws: WebSocket, timeoutMs = 5_000): Promise<number> {
  return new Promise((resolve, reject) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve(-1);
    const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}
