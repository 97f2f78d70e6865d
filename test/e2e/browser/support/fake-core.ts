// FakeCore: a small CoreFacade that serves contract-valid data through the real bridge dispatcher
// (main/core/bridge-dispatch.ts) and the real settings store, over an in-test platform
// (fake-platform.ts) and loop (fake-loop.ts). It lets the renderer and the headless transport be
// tested without the engines; stack.ts can swap it for the real core in one line.
import type { CoreState, DoctorReport, EventLogEntry, EventName, EventPayload, HistoryPoint, SecretName, SettingsView, Warning } from '../../../../preload/contract.ts';
import { SECRET_NAMES } from '../../../../preload/contract.ts';
import { BridgeFailure, createDispatcher, type BridgeHandlers } from '../../../../main/core/bridge-dispatch.ts';
import type { CoreFacade } from '../../../../main/core/core-facade.ts';
import { GENESYS_REGION_KEYS } from '../../../../main/settings/genesys-regions.ts';
import { openSettingsStore, type SettingsPatch, type SettingsStore } from '../../../../main/settings/settings-store.ts';
import { systemClock, type Clock } from '../../../../main/util/clock.ts';
import { silentLogger, type Logger } from '../../../../main/util/log.ts';
import { FakePlatform, fakeCampaigns, seededRandom } from './fake-platform.ts';
import { campaignView, historyPoint, newLoopState, outcome, recommend, stepSignals, tunable, writePacing, type LogInput, type LoopState } from './fake-loop.ts';

export interface FakeCoreOptions {
  /** Where the real settings store keeps settings.json (a temp dir). */
  settingsDir: string;
  campaigns?: number;
  /** Hours of 30-s history each campaign starts with. Default 24. */
  historyHours?: number;
  seed?: number;
  clock?: Clock;
  logger?: Logger;
  warnings?: Warning[];
}

export const KEYCHAIN_WARNING: Warning = {
  code: 'KEYCHAIN_UNAVAILABLE',
  message: 'No OS keychain: secrets are kept in memory for this session only.',
  fix: 'Install and unlock a Secret Service keychain (gnome-keyring), then restart Pacekeeper.',
};

const CYCLE_MS = 30_000;

export class FakeCore implements CoreFacade {
  readonly dispatch: CoreFacade['dispatch'];
  readonly platform: FakePlatform;
  readonly settings: SettingsStore;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #loops = new Map<string, LoopState>();
  readonly #history = new Map<string, HistoryPoint[]>();
  readonly #events: EventLogEntry[] = [];
  readonly #secrets = new Map<SecretName, string>();
  readonly #listeners = new Map<EventName, Set<(p: never) => void>>();
  readonly #warnings: Warning[];
  #nextEventId = 1;

  constructor(o: FakeCoreOptions) {
    this.#clock = o.clock ?? systemClock;
    this.#random = seededRandom(o.seed ?? 7);
    this.#warnings = o.warnings ?? [KEYCHAIN_WARNING];
    this.platform = new FakePlatform(fakeCampaigns(o.campaigns ?? 4, this.#random));
    this.settings = openSettingsStore({ cwd: o.settingsDir });
    const now = this.#clock.now();
    const points = Math.round(((o.historyHours ?? 24) * 3_600_000) / CYCLE_MS);
    for (const c of this.platform.list()) {
      const s = newLoopState(c, this.#random);
      this.#loops.set(c.id, s);
      // A day of history that ends at the current value, so chart and card agree: the applied
      // values are walked backwards from it, the signals forwards.
      const applied: number[] = new Array(points);
      applied[points - 1] = c.pacing;
      for (let i = points - 2; i >= 0; i--) {
        applied[i] = Math.round(Math.min(s.max, Math.max(s.min, (applied[i + 1] as number) + (this.#random() - 0.5) * 0.04)) * 100) / 100;
      }
      const hist: HistoryPoint[] = [];
      for (let i = 0; i < points; i++) {
        stepSignals(s, this.#random);
        const value = applied[i] as number;
        hist.push(historyPoint(now - (points - i) * CYCLE_MS, { ...c, pacing: value }, { ...s, recommended: recommend(s, value) }));
      }
      s.recommended = recommend(s, c.pacing);
      this.#history.set(c.id, hist);
    }
    this.dispatch = createDispatcher(this.#handlers(), o.logger ?? silentLogger);
  }

  state(): CoreState {
    return {
      at: new Date(this.#clock.now()).toISOString(),
      platform: { mode: 'sandbox', region: 'us_east_1', apiBaseUrl: 'http://127.0.0.1:1' },
      campaigns: this.platform.list().map((c) => campaignView(c, this.#loop(c.id))),
      proxy: {
        route: 'http://proxy.corp.example:3128',
        source: 'setting',
        tunnelsOpened: 12,
        active: 1,
        idle: 2,
        handshakeMs: 41,
        lastError: { hop: 'proxy', code: 'PROXY_AUTH_REQUIRED', message: 'The proxy asked for credentials (407).', fix: 'Enter the proxy user name and password in Settings ▸ Proxy.', at: new Date(this.#clock.now() - 600_000).toISOString() },
        hops: [
          { hop: 'dns', ok: true, detail: 'proxy.corp.example → 10.0.0.8', ms: 3 },
          { hop: 'proxy', ok: true, detail: 'CONNECT api.mypurecloud.com:443 → 200', ms: 12 },
          { hop: 'tls', ok: true, detail: 'TLS 1.3, issuer Corp Root CA', ms: 29 },
        ],
      },
      relay: { enabled: true, port: 48123, sessions: 2, upstreamChannels: 1, topics: 14, queueDepthP99: 3, drops: 0, slowConsumerCloses: 0, latencyP50Ms: 4, latencyP99Ms: 18 },
      telemetry: { enabled: false, target: null, lastSuccess: null, backlog: 0, dropped: 0, lastError: null },
      warnings: this.#warnings,
    };
  }

  on<K extends EventName>(name: K, listener: (payload: EventPayload<K>) => void): () => void {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    const l = listener as (p: never) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  navigate(payload: EventPayload<'navigate'>): void {
    this.emitRaw('navigate', payload);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** Sends any payload as an event: tests use it to feed the page bad data. */
  emitRaw(name: EventName, payload: unknown): void {
    for (const l of [...(this.#listeners.get(name) ?? [])]) (l as (p: unknown) => void)(payload);
  }

  /** One 30-s tuning cycle for every campaign, then the history points and a state event. */
  async cycle(): Promise<void> {
    const now = this.#clock.now();
    const at = new Date(now).toISOString();
    for (const c of this.platform.list()) {
      const s = this.#loop(c.id);
      if (tunable(c)) {
        stepSignals(s, this.#random);
        if (s.hold && s.hold.until <= now) {
          s.hold = null;
          s.mode = 'auto';
          this.#log({ kind: 'override-ended', severity: 'info', campaignId: c.id, campaignName: c.name, message: 'The override hold expired; tuning resumed.' });
        }
        s.recommended = recommend(s, c.pacing);
        if (s.mode === 'auto' && s.recommended !== c.pacing) this.#write(c.name, s, s.recommended, at);
        else if (s.mode === 'dry-run') s.lastDecision = { at, outcome: 'recommended', oldValue: c.pacing, newValue: s.recommended, version: c.version, message: 'Dry run: recommendation recorded, not written.' };
      }
      const fresh = this.platform.read(c.id) ?? c;
      const p = historyPoint(now, fresh, s);
      this.#history.get(c.id)?.push(p);
      this.emitRaw('history', { campaignId: c.id, point: p });
    }
    this.emitRaw('state', this.state());
  }

  #loop(id: string): LoopState {
    const s = this.#loops.get(id);
    if (!s) throw new BridgeFailure({ code: 'not-found', message: `No campaign ${id}.` });
    return s;
  }

  #write(name: string, s: LoopState, value: number, at: string) {
    const r = writePacing(this.platform, s, name, value, at);
    for (const l of r.logs) this.#log(l);
    s.lastDecision = r.decision;
    if (r.decision.outcome === 'applied') this.#log({ kind: 'applied', severity: 'info', campaignId: s.id, campaignName: name, message: r.decision.message });
    return r.decision;
  }

  #log(e: LogInput): void {
    const entry: EventLogEntry = { ...e, id: this.#nextEventId++, at: new Date(this.#clock.now()).toISOString() };
    this.#events.push(entry);
    this.emitRaw('log', entry);
  }

  #settingsView(): SettingsView {
    const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, this.#secrets.has(n) ? 'set' : 'not-set'])) as SettingsView['secrets'];
    return { settings: this.settings.get() as Record<string, unknown>, secrets, secretBackend: 'memory (test)', warnings: [], regions: [...GENESYS_REGION_KEYS] };
  }

  #handlers(): BridgeHandlers {
    const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
    return {
      'state:get': () => ok(this.state()),
      'history:get': ({ campaignId, sinceMs }) => {
        this.#loop(campaignId);
        const points = (this.#history.get(campaignId) ?? []).filter((p) => p.t >= (sinceMs ?? 0));
        return ok({ campaignId, points });
      },
      'events:get': (req) => ok(this.#events.slice(-(req?.limit ?? 200)).reverse()),
      'campaign:command': async (cmd) => {
        // Like the real core: every command is followed by a state push.
        setImmediate(() => this.emitRaw('state', this.state()));
        const c = this.platform.read(cmd.campaignId);
        const s = this.#loop(cmd.campaignId);
        if (!c) throw new BridgeFailure({ code: 'not-found', message: `No campaign ${cmd.campaignId}.` });
        const at = new Date(this.#clock.now()).toISOString();
        const base = { campaignId: c.id, campaignName: c.name };
        switch (cmd.action) {
          case 'pause':
          case 'resume':
            s.mode = cmd.action === 'pause' ? 'paused' : 'auto';
            s.hold = null;
            this.#log({ ...base, kind: 'mode-changed', severity: 'info', message: cmd.action === 'pause' ? 'Tuning paused by an operator.' : 'Tuning resumed by an operator.' });
            return ok(outcome(s, cmd.action === 'pause' ? 'Tuning paused: the loop will not write this campaign.' : 'Tuning resumed.'));
          case 'dry-run':
            s.mode = cmd.enabled ? 'dry-run' : 'auto';
            this.#log({ ...base, kind: 'mode-changed', severity: 'info', message: cmd.enabled ? 'Dry run on.' : 'Dry run off.' });
            return ok(outcome(s, cmd.enabled ? 'Dry run on: recommendations are recorded, not written.' : 'Dry run off.'));
          case 'override': {
            s.mode = 'override';
            s.hold = { value: cmd.value, until: this.#clock.now() + cmd.holdMinutes * 60_000 };
            this.#log({ ...base, kind: 'override-started', severity: 'info', message: `Pacing value held at ${cmd.value.toFixed(2)} for ${cmd.holdMinutes} min.` });
            const d = this.#write(c.name, s, cmd.value, at);
            return ok(outcome(s, `Held for ${cmd.holdMinutes} minutes.`, d));
          }
          case 'release':
            if (s.mode !== 'override') throw new BridgeFailure({ code: 'unavailable', message: 'No override to release.' });
            s.mode = 'auto';
            s.hold = null;
            this.#log({ ...base, kind: 'override-ended', severity: 'info', message: 'Override released by an operator.' });
            return ok(outcome(s, 'Override released; tuning resumed.'));
          case 'apply-now': {
            if (!tunable(c) || s.recommended === null) throw new BridgeFailure({ code: 'unavailable', message: 'No recommendation for this campaign.', fix: 'Only running predictive or power campaigns get one.' });
            const d = this.#write(c.name, s, s.recommended, at);
            return ok(outcome(s, 'Recommendation applied now.', d));
          }
        }
      },
      'settings:get': () => ok(this.#settingsView()),
      'settings:update': async ({ patch, secrets }) => {
        const r = this.settings.update(patch as SettingsPatch);
        if (!r.ok) throw new BridgeFailure({ code: 'validation', message: r.error.message, fields: r.error.issues.map((i) => ({ path: i.path, message: i.message })) });
        for (const [name, value] of Object.entries(secrets ?? {}) as [SecretName, string | null][]) {
          if (value === null) this.#secrets.delete(name);
          else this.#secrets.set(name, value);
        }
        this.#log({ kind: 'settings-saved', severity: 'info', campaignId: null, campaignName: null, message: 'Settings saved; affected services rebuilt.' });
        return ok(this.#settingsView());
      },
      'doctor:run': () => {
        const report: DoctorReport = {
          ok: false,
          at: new Date(this.#clock.now()).toISOString(),
          hops: [
            { hop: 'dns', ok: true, detail: 'api.mypurecloud.com resolved through the proxy', ms: 2 },
            { hop: 'proxy', ok: true, detail: 'CONNECT → 200 Connection established', ms: 14 },
            { hop: 'tls', ok: true, detail: 'Certificate chain verified (Corp Root CA)', ms: 31 },
            { hop: 'oauth', ok: false, detail: 'POST /oauth/token → 401 invalid_client', fix: 'Check the OAuth client id and secret in Settings ▸ Genesys Cloud.', ms: 88 },
          ],
        };
        return ok(report);
      },
    };
  }
}
