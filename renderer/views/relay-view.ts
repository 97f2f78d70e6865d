// Relay health (sessions, upstream channels and topics, queue depth, drops, latency) and, next to
// it, telemetry health (target, backlog, last success or error).
import type { RelayHealth, TelemetryHealth } from '../../preload/contract.ts';
import { fmtCount, fmtMs, fmtTime, GLYPH } from '../dom/format.ts';
import { h } from '../dom/h.ts';
import { facts } from './hop-table.ts';
import { viewSection, type View, type ViewContext } from './view.ts';

export class RelayView implements View {
  readonly id = 'relay' as const;
  readonly element: HTMLElement;
  readonly #ctx: ViewContext;
  readonly #relay = facts({
    state: 'State',
    sessions: 'Local sessions',
    channels: 'Upstream channels',
    topics: 'Topics',
    queue: 'Queue depth (p99)',
    drops: 'Dropped messages',
    slow: 'Slow clients closed',
    latency: 'Delivery latency',
  });
  readonly #telemetry = facts({ state: 'State', target: 'Target', lastSuccess: 'Last write', backlog: 'Backlog', dropped: 'Dropped points', lastError: 'Last error' });

  constructor(ctx: ViewContext) {
    this.#ctx = ctx;
    const section = viewSection('relay');
    section.append(
      h('div', { class: 'card' }, h('h3', { text: 'Notification relay' }), this.#relay.element),
      h('div', { class: 'card' }, h('h3', { text: 'Telemetry (InfluxDB)' }), this.#telemetry.element),
    );
    this.element = section;
  }

  update(relay: RelayHealth, telemetry: TelemetryHealth): void {
    const r = this.#relay;
    r.set('state', relay.enabled ? `${GLYPH.ok} Running${relay.port !== null ? ` on 127.0.0.1:${relay.port}` : ''}` : 'Off');
    r.set('sessions', fmtCount(relay.sessions));
    r.set('channels', fmtCount(relay.upstreamChannels));
    r.set('topics', fmtCount(relay.topics));
    r.set('queue', fmtCount(relay.queueDepthP99));
    r.set('drops', relay.drops > 0 ? `${GLYPH.warning} ${fmtCount(relay.drops)}` : '0');
    r.set('slow', fmtCount(relay.slowConsumerCloses));
    r.set('latency', `p50 ${fmtMs(relay.latencyP50Ms)} · p99 ${fmtMs(relay.latencyP99Ms)}`);
    const t = this.#telemetry;
    t.set('state', telemetry.enabled ? `${GLYPH.ok} On` : 'Off');
    t.set('target', telemetry.target ?? '—');
    t.set('lastSuccess', fmtTime(telemetry.lastSuccess, this.#ctx.now()));
    t.set('backlog', `${fmtCount(telemetry.backlog)} points`);
    t.set('dropped', fmtCount(telemetry.dropped));
    t.set('lastError', telemetry.lastError ? `${GLYPH.error} ${telemetry.lastError}` : 'None');
  }
}
