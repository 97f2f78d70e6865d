// The bridge's handler table: what each invoke does in core. Transports validate senders and
// payloads (bridge-dispatch.ts); handlers turn domain results into the contract's Result values.
import { DECISION_OUTCOMES, type CommandOutcome, type CoreState, type Decision, type DecisionOutcome, type DoctorReport, type SecretName, type SettingsView } from '../../preload/contract.ts';
import { GENESYS_REGION_KEYS } from '../settings/genesys-regions.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { extractProxyCredentials } from '../settings/url-rules.ts';
import type { SettingsPatch, SettingsStore } from '../settings/settings-store.ts';
import type { CommandResult } from '../tuning/loop-types.ts';
import type { TuningService } from '../tuning/tuning-service.ts';
import { BridgeFailure, type BridgeHandlers } from './bridge-dispatch.ts';
import type { EventLog } from './event-log.ts';
import type { HistoryStore } from './history-store.ts';

export interface HandlerDeps {
  state: () => CoreState;
  history: HistoryStore;
  events: EventLog;
  settings: SettingsStore;
  secrets: SecretStore;
  /** The running tuning service, if any (none while the campaign list is unreachable). */
  tuning: () => TuningService | undefined;
  runDoctor: () => Promise<DoctorReport>;
  now: () => number;
  /** Warnings shown next to the settings form (settings file, keychain). */
  settingsWarnings: () => SettingsView['warnings'];
}

const ok = <T>(value: T) => ({ ok: true as const, value });

export function createBridgeHandlers(d: HandlerDeps): BridgeHandlers {
  const settingsView = async (): Promise<SettingsView> => {
    const status = await d.secrets.status();
    const secrets = {} as SettingsView['secrets'];
    for (const [name, set] of Object.entries(status.secrets)) secrets[name as SecretName] = set ? 'set' : 'not-set';
    return {
      settings: d.settings.get() as unknown as Record<string, unknown>,
      secrets,
      secretBackend: status.backend.description,
      warnings: d.settingsWarnings(),
      regions: [...GENESYS_REGION_KEYS],
    };
  };

  return {
    'state:get': async () => ok(d.state()),
    'history:get': async (r) => ok({ campaignId: r.campaignId, points: d.history.points(r.campaignId, r.sinceMs ?? 0) }),
    'events:get': async (r) => ok(d.events.latest(r?.limit ?? 200)),
    'campaign:command': async (cmd) => {
      const tuning = d.tuning();
      if (!tuning) {
        return { ok: false, error: { code: 'unavailable', message: 'The tuning loop is not running yet.', fix: 'Check the proxy health card and the event log; the loop starts once the campaign list can be read.' } };
      }
      const campaign = tuning.snapshot().campaigns.find((c) => c.campaignId === cmd.campaignId);
      if (!campaign) {
        return { ok: false, error: { code: 'not-found', message: `Campaign ${cmd.campaignId} is not tuned by Pacekeeper.` } };
      }
      const before = campaign.current ?? null;
      let result: CommandResult;
      switch (cmd.action) {
        case 'pause':
          result = await tuning.pause(cmd.campaignId, cmd.reason ?? 'paused from the dashboard');
          break;
        case 'resume':
          result = await tuning.resume(cmd.campaignId, cmd.reason ?? 'resumed from the dashboard');
          break;
        case 'dry-run':
          result = await tuning.setDryRun(cmd.campaignId, cmd.enabled, cmd.enabled ? 'dry-run on from the dashboard' : 'dry-run off from the dashboard');
          break;
        case 'override':
          result = await tuning.override(cmd.campaignId, cmd.value, cmd.holdMinutes, 'override from the dashboard');
          break;
        case 'release':
          result = await tuning.release(cmd.campaignId, 'released from the dashboard');
          break;
        case 'apply-now':
          result = await tuning.applyRecommendationNow(cmd.campaignId, 'applied from the dashboard');
          break;
      }
      return ok(commandOutcome(cmd.campaignId, result, before, d.now()));
    },
    'settings:get': async () => ok(await settingsView()),
    'settings:update': async (u) => {
      const patch = structuredClone(u.patch) as Record<string, unknown>;
      const secrets: Partial<Record<SecretName, string | null>> = { ...(u.secrets ?? {}) };
      moveProxyCredentials(patch, secrets);
      for (const [name, value] of Object.entries(secrets)) {
        if (typeof value === 'string' && value.trim() === '') {
          throw new BridgeFailure({ code: 'validation', message: 'A secret cannot be empty; clear it instead.', fields: [{ path: `secrets.${name}`, message: 'Enter a value, or use Clear to remove it.' }] });
        }
      }
      if (Object.keys(patch).length) {
        const r = d.settings.update(patch as SettingsPatch);
        if (!r.ok) {
          return { ok: false, error: { code: r.error.code === 'SETTINGS_NOT_SAVED' ? 'failed' : 'validation', message: r.error.message, fields: r.error.issues } };
        }
      }
      for (const [name, value] of Object.entries(secrets) as [SecretName, string | null | undefined][]) {
        if (value === undefined) continue;
        try {
          if (value === null) await d.secrets.delete(name);
          else await d.secrets.set(name, value);
        } catch (e) {
          const err = e as { message?: string; fix?: string };
          throw new BridgeFailure({ code: 'validation', message: err.message ?? 'The secret could not be saved.', ...(err.fix ? { fix: err.fix } : {}), fields: [{ path: `secrets.${name}`, message: err.message ?? 'Not saved.' }] });
        }
      }
      d.events.add({ kind: 'settings-saved', severity: 'info', message: 'Settings saved; affected services were rebuilt.' });
      return ok(await settingsView());
    },
    'doctor:run': async () => ok(await d.runDoctor()),
  };
}

/** A proxy URL typed with user:password@ keeps only the URL; the password goes to the keychain. */
function moveProxyCredentials(patch: Record<string, unknown>, secrets: Partial<Record<SecretName, string | null>>): void {
  const proxy = patch.proxy as Record<string, unknown> | undefined;
  if (!proxy || typeof proxy.url !== 'string' || !proxy.url.includes('@')) return;
  let creds;
  try {
    creds = extractProxyCredentials(proxy.url);
  } catch {
    return; // let the settings schema report the URL with its own message
  }
  proxy.url = creds.cleanUrl;
  if (creds.username && proxy.username === undefined) proxy.username = creds.username;
  if (creds.password && secrets['proxy.password'] === undefined) secrets['proxy.password'] = creds.password;
}

function commandOutcome(campaignId: string, r: CommandResult, before: number | null, nowMs: number): CommandOutcome {
  const at = new Date(nowMs).toISOString();
  if (!r.ok) {
    // A command the loop tried and the platform refused reports that outcome (conflict, 429…).
    const outcome = (DECISION_OUTCOMES as readonly string[]).includes(r.code) ? (r.code as DecisionOutcome) : null;
    const decision: Decision | null = outcome ? { at, outcome, oldValue: before, newValue: null, version: null, message: r.error } : null;
    return { campaignId, mode: r.mode, decision, message: `Not done: ${r.error}.` };
  }
  if (r.outcome === 'mode-changed') return { campaignId, mode: r.mode, decision: null, message: `Mode is now ${r.mode}.` };
  const value = r.value ?? null;
  const decision: Decision = {
    at,
    outcome: r.outcome,
    oldValue: before,
    newValue: value,
    version: r.version ?? null,
    message: r.outcome === 'applied' ? `Wrote maxCallsPerAgentDecimal ${value?.toFixed(2) ?? ''}.` : 'Already at this value; nothing written.',
  };
  const what = r.outcome === 'applied' ? `Applied ${value?.toFixed(2) ?? ''}${r.version !== undefined ? ` (version ${r.version})` : ''}.` : 'No change was needed.';
  return { campaignId, mode: r.mode, decision, message: what };
}
