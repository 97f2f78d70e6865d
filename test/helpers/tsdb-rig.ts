// Real time-series databases for the telemetry tests: InfluxDB 1.x (`influxd`) and VictoriaMetrics,
// each started on a free loopback port with its data in a temp folder, and stopped, restarted
// (same port, same data: the outage test) and removed by the test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, createWriteStream, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { findExecutable } from './system-tools.ts';

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

abstract class TsdbProcess {
  readonly dir: string;
  port = 0;
  #proc: ChildProcess | undefined;
  #exited: Promise<void> | undefined;

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.#proc !== undefined;
  }

  protected abstract command(): { bin: string; args: string[] };
  protected abstract readyPath: string;
  protected abstract readyStatus: number;

  /** Starts the database (on a new free port the first time, the same port after a stop). */
  async start(): Promise<void> {
    if (this.#proc) return;
    const firstStart = this.port === 0;
    for (let attempt = 1; ; attempt++) {
      if (firstStart) this.port = await freePort();
      try {
        await this.#spawnAndWait();
        return;
      } catch (e) {
        if (!firstStart || attempt >= 3) throw e;
      }
    }
  }

  async #spawnAndWait(): Promise<void> {
    const { bin, args } = this.command();
    const logPath = join(this.dir, 'server.log');
    const log = createWriteStream(logPath, { flags: 'a' });
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.pipe(log);
    proc.stderr?.pipe(log);
    live.add(proc);
    this.#proc = proc;
    this.#exited = new Promise((resolve) => proc.once('exit', () => {
      live.delete(proc);
      if (this.#proc === proc) this.#proc = undefined;
      log.end();
      resolve();
    }));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.#proc) break;
      try {
        const res = await fetch(`${this.url}${this.readyPath}`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.status === this.readyStatus) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    await this.stop();
    const tail = readFileSync(logPath, 'utf8').slice(-2_000);
    throw new Error(`${bin} did not become ready on port ${this.port}:\n${tail}`);
  }

  /** SIGTERM, then SIGKILL after a bound. */
  async stop(): Promise<void> {
    const proc = this.#proc;
    if (!proc) return;
    proc.kill('SIGTERM');
    const killer = setTimeout(() => proc.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await this.#exited;
    clearTimeout(killer);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the database and removes its data. */
  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface InfluxdOptions {
  /** Enable HTTP auth with this admin user (created on first start). */
  auth?: { username: string; password: string };
  /** Databases to create. */
  databases?: string[];
}

export type InfluxSeries = { name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> };

/** InfluxDB 1.x from the Debian `influxdb` package, queried over its 1.x HTTP API. */
export class InfluxdRig extends TsdbProcess {
  readonly #opts: InfluxdOptions;
  protected readyPath = '/ping';
  protected readyStatus = 204;

  private constructor(opts: InfluxdOptions) {
    super('pk-influxd-');
    this.#opts = opts;
  }

  static async start(opts: InfluxdOptions = {}): Promise<InfluxdRig> {
    const r = new InfluxdRig(opts);
    try {
      await r.start();
      if (opts.auth) await r.query(`CREATE USER "${opts.auth.username}" WITH PASSWORD '${opts.auth.password.replace(/'/g, "\\'")}' WITH ALL PRIVILEGES`, { auth: false });
      for (const db of opts.databases ?? []) await r.query(`CREATE DATABASE "${db}"`);
      return r;
    } catch (e) {
      await r.close();
      throw e;
    }
  }

  protected command(): { bin: string; args: string[] } {
    const conf = join(this.dir, 'influxdb.conf');
    writeFileSync(conf, [
      'reporting-disabled = true',
      'bind-address = "127.0.0.1:0"',
      '[meta]', `  dir = "${join(this.dir, 'meta')}"`,
      '[data]', `  dir = "${join(this.dir, 'data')}"`, `  wal-dir = "${join(this.dir, 'wal')}"`, '  query-log-enabled = false',
      '[monitor]', '  store-enabled = false',
      '[subscriber]', '  enabled = false',
      '[continuous_queries]', '  enabled = false',
      '[http]', `  bind-address = "127.0.0.1:${this.port}"`, '  log-enabled = false', `  auth-enabled = ${this.#opts.auth ? 'true' : 'false'}`,
      '[logging]', '  level = "warn"', '  suppress-logo = true',
      '',
    ].join('\n'));
    return { bin: findExecutable('influxd') ?? 'influxd', args: ['run', '-config', conf] };
  }

  /** Runs InfluxQL; throws on an HTTP or statement error. */
  async query(q: string, opts: { db?: string; auth?: boolean } = {}): Promise<InfluxSeries[]> {
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    const a = this.#opts.auth;
    if (a && opts.auth !== false) headers.authorization = `Basic ${Buffer.from(`${a.username}:${a.password}`).toString('base64')}`;
    const params = new URLSearchParams({ q, epoch: 'ns' });
    if (opts.db) params.set('db', opts.db);
    const res = await fetch(`${this.url}/query`, { method: 'POST', headers, body: params, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`influxd /query ${res.status}: ${text}`);
    const j = JSON.parse(text, exactIntegers) as { results: { error?: string; series?: InfluxSeries[] }[] };
    const r0 = j.results[0];
    if (r0?.error) throw new Error(`influxd: ${r0.error}`);
    return r0?.series ?? [];
  }

  /** All rows of a measurement as objects keyed by column (`time` in nanoseconds). */
  async rows(db: string, measurement: string): Promise<Record<string, unknown>[]> {
    const series = await this.query(`SELECT * FROM "${measurement.replace(/"/g, '\\"')}"`, { db });
    return series.flatMap((s) => s.values.map((v) => Object.fromEntries(s.columns.map((c, i) => [c, v[i]]))));
  }
}

/** JSON.parse reviver: integers beyond 2^53 (nanosecond times, int64 fields) become exact bigints. */
function exactIntegers(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && /^-?\d+$/.test(context.source)) return BigInt(context.source);
  return value;
}

export interface VmSeries {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

/** VictoriaMetrics from the Debian `victoria-metrics` package (single node). */
export class VictoriaMetricsRig extends TsdbProcess {
  protected readyPath = '/health';
  protected readyStatus = 200;

  private constructor() {
    super('pk-vm-');
  }

  static async start(): Promise<VictoriaMetricsRig> {
    const r = new VictoriaMetricsRig();
    try {
      await r.start();
      return r;
    } catch (e) {
      await r.close();
      throw e;
    }
  }

  protected command(): { bin: string; args: string[] } {
    return {
      bin: findExecutable('victoria-metrics') ?? 'victoria-metrics',
      args: [
        `-storageDataPath=${join(this.dir, 'data')}`,
        `-httpListenAddr=127.0.0.1:${this.port}`,
        '-retentionPeriod=100y',
        // Keep one sample per series per millisecond, as InfluxDB keeps one per timestamp: a resent
        // point then replaces itself instead of adding a duplicate (docs/telemetry.md).
        '-dedup.minScrapeInterval=1ms',
        '-loggerLevel=WARN',
        '-search.disableCache',
      ],
    };
  }

  /**
   * Like `export`, but polls until `expectedSamples` are visible (or, without it, until the count
   * stops changing). VictoriaMetrics acknowledges a write before newly created series are
   * searchable, and under load that can take a moment even after a forced flush. Returns the last
   * answer after `timeoutMs`, so a wrong count still fails the caller's assertion.
   */
  async exportSettled(match: string, expectedSamples?: number, timeoutMs = 15_000): Promise<VmSeries[]> {
    const deadline = Date.now() + timeoutMs;
    let last = await this.export(match);
    let lastCount = -1;
    for (;;) {
      const count = last.reduce((n, s) => n + s.values.length, 0);
      if (expectedSamples !== undefined ? count >= expectedSamples : count === lastCount) return last;
      if (Date.now() >= deadline) return last;
      lastCount = count;
      await new Promise((r) => setTimeout(r, 250));
      last = await this.export(match);
    }
  }

  /** Raw samples of every series matching `match` (a series selector), after flushing recent writes. */
  async export(match: string): Promise<VmSeries[]> {
    await (await fetch(`${this.url}/internal/force_flush`, { signal: AbortSignal.timeout(20_000) })).arrayBuffer();
    const body = new URLSearchParams({ 'match[]': match, start: '0' });
    const res = await fetch(`${this.url}/api/v1/export`, { method: 'POST', body, signal: AbortSignal.timeout(20_000) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`victoria-metrics export ${res.status}: ${text}`);
    return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as VmSeries);
  }
}
