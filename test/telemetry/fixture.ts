// Shared setup for the telemetry tests: a real net layer and an InfluxWriter with a temp spool.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNetLayer, type NetConfigInput, type NetLayer } from '../../main/net/index.ts';
import type { TelemetryConfigInput } from '../../main/telemetry/config.ts';
import { InfluxWriter, type InfluxWriterOptions } from '../../main/telemetry/writer.ts';
import { createMemoryLogger, type Logger } from '../../main/util/log.ts';
import { Redactor } from '../../main/util/redact.ts';

export interface TestContextLike {
  after(fn: () => void | Promise<void>): void;
}

export function tempDir(t: TestContextLike, prefix = 'pk-telemetry-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function testNet(t: TestContextLike, config: NetConfigInput = { proxy: { mode: 'direct' } }, log?: Logger): Promise<NetLayer> {
  const net = await createNetLayer({ config, secrets: { get: async () => undefined }, ...(log ? { logger: log } : {}) });
  t.after(() => net.close());
  return net;
}

export interface TestWriter {
  writer: InfluxWriter;
  net: NetLayer;
  spoolDir: string;
  log: Logger & { lines: string[] };
  redactor: Redactor;
  /** Reopens the writer on the same spool (a restart). */
  reopen(): Promise<InfluxWriter>;
}

export interface TestWriterOptions extends Partial<Omit<InfluxWriterOptions, 'config'>> {
  config: TelemetryConfigInput;
  secret?: string;
  netConfig?: NetConfigInput;
}

/** A writer with fast retries (tests wait for recovery within seconds, not minutes). */
export async function openTestWriter(t: TestContextLike, o: TestWriterOptions): Promise<TestWriter> {
  const log = createMemoryLogger();
  const redactor = new Redactor();
  const net = o.net ? (o.net as NetLayer) : await testNet(t, o.netConfig, log);
  const ownDir = o.spoolDir === undefined;
  const spoolDir = o.spoolDir ?? mkdtempSync(join(tmpdir(), 'pk-telemetry-'));
  const { secret, netConfig: _n, ...rest } = o;
  const opts: InfluxWriterOptions = {
    retryBaseMs: 50, retryMaxMs: 400, fsyncIntervalMs: 50, requestDeadlineMs: 10_000,
    ...rest,
    config: { enabled: true, flushIntervalMs: 50, ...o.config },
    spoolDir, net, log, redactor,
    secrets: o.secrets ?? { get: async () => secret },
  };
  let writer = await InfluxWriter.open(opts);
  // One hook, in order: the writer commits its cursor on close, so the folder goes last.
  t.after(async () => {
    await writer.close();
    if (ownDir) rmSync(spoolDir, { recursive: true, force: true });
  });
  return {
    get writer() {
      return writer;
    },
    net, spoolDir, log, redactor,
    reopen: async () => {
      await writer.close();
      writer = await InfluxWriter.open(opts);
      return writer;
    },
  };
}

/** Polls `check` every 25 ms until it returns a value other than undefined/false; fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/** Asserts that none of `secrets` (nor their base64 or URL encodings) occurs in `texts`. */
export function assertNoSecret(texts: string[], secrets: string[]): void {
  for (const s of secrets) {
    const forms = [s, Buffer.from(s).toString('base64'), encodeURIComponent(s)];
    for (const text of texts) {
      for (const f of forms) if (text.includes(f)) throw new Error(`secret leaked (${f === s ? 'plain' : 'encoded'}) in: ${text.slice(0, 200)}`);
    }
  }
}
