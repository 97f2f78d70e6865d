// One campaign's drift chart: applied and recommended pacing values (left axis) and abandon %
// against its target band (right axis) on a 24-h time axis. Built for 2,880 points per series
// with live updates: the data arrays are the HistoryStore's own (no parsing, no copies), the
// decimation plugin (LTTB) keeps 360 points per series, updates use mode 'none' (no animation)
// and are coalesced, one draw per chart, within a per-frame time budget (frame-scheduler.ts).
//
// `incremental: false, decimation: false` is the naive baseline the benchmark compares against:
// parse copies of the arrays and redraw every point on every update.
import {
  Chart,
  Decimation,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  TimeScale,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
} from 'chart.js';
import type { ChartTheme } from './chart-theme.ts';
import { frameScheduler, type FrameScheduler } from './frame-scheduler.ts';
import { DAY_MS, type CampaignSeries, type XY } from './history-buffer.ts';
import { installTimeAdapter } from './time-adapter.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, TimeScale, Tooltip, Decimation);
installTimeAdapter();

export interface DriftBand {
  /** Abandon setpoint and ceiling, in percent. */
  setpointPct: number;
  ceilingPct: number;
  /** Pacing bounds, to keep the pacing axis steady. */
  min: number;
  max: number;
}

export interface DriftChartOptions {
  theme: ChartTheme;
  band: DriftBand;
  windowMs?: number;
  /** Default true. */
  decimation?: boolean;
  /** Default true: shared arrays, no parsing, coalesced 'none' updates. */
  incremental?: boolean;
  scheduler?: FrameScheduler;
  now?: () => number;
}

const DECIMATED_SAMPLES = 360;

interface BandConfig {
  band: DriftBand;
  theme: ChartTheme;
}

/**
 * Draws the abandon target band (setpoint → ceiling) and a dashed ceiling line with its label.
 * One instance per chart, reading the chart's current band through `get`.
 */
function bandPlugin(get: () => BandConfig): Plugin<'line'> {
  return {
    id: 'pacekeeperAbandonBand',
    beforeDatasetsDraw(chart) {
      const cfg = get();
      const y = chart.scales.yAbandon;
      if (!y) return;
      const { left, right, top: areaTop, bottom: areaBottom } = chart.chartArea;
      const clamp = (v: number) => Math.min(areaBottom, Math.max(areaTop, v));
      const top = clamp(y.getPixelForValue(cfg.band.ceilingPct));
      const bottom = clamp(y.getPixelForValue(cfg.band.setpointPct));
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = cfg.theme.band;
      ctx.fillRect(left, top, right - left, bottom - top);
      ctx.strokeStyle = cfg.theme.ceiling;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(left, top);
      ctx.lineTo(right, top);
      ctx.stroke();
      ctx.fillStyle = cfg.theme.ceiling;
      ctx.font = `11px ${cfg.theme.font}`;
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      ctx.fillText(`${cfg.band.ceilingPct}% abandon ceiling`, right - 4, top - 2);
      ctx.restore();
    },
  };
}

export class DriftChart {
  readonly #chart: Chart<'line', XY[]>;
  readonly #series: CampaignSeries;
  readonly #o: Required<Omit<DriftChartOptions, 'theme' | 'band'>>;
  #band: DriftBand;
  #theme: ChartTheme;
  #active = true;
  #dirty = false;

  constructor(canvas: HTMLCanvasElement, series: CampaignSeries, opts: DriftChartOptions) {
    this.#series = series;
    this.#band = opts.band;
    this.#theme = opts.theme;
    this.#o = {
      windowMs: opts.windowMs ?? DAY_MS,
      decimation: opts.decimation ?? true,
      incremental: opts.incremental ?? true,
      scheduler: opts.scheduler ?? frameScheduler,
      now: opts.now ?? (() => Date.now()),
    };
    this.#chart = new Chart(canvas, this.#config());
  }

  /** Newly arrived points: drawn on the next frame (baseline: now, in full). */
  invalidate(): void {
    if (!this.#o.incremental) {
      this.#fullRender();
      return;
    }
    this.#dirty = true;
    if (this.#active) this.#o.scheduler.request(this);
  }

  /** Hidden charts keep their data but skip drawing until shown again. */
  setActive(active: boolean): void {
    this.#active = active;
    if (active && this.#dirty) this.#o.scheduler.request(this);
  }

  setBand(band: DriftBand): void {
    const b = this.#band;
    if (b.setpointPct === band.setpointPct && b.ceilingPct === band.ceilingPct && b.min === band.min && b.max === band.max) return;
    this.#band = band;
    this.#applyScales();
    this.invalidate();
  }

  setTheme(theme: ChartTheme): void {
    this.#theme = theme;
    const [a, r, ab] = this.#chart.data.datasets;
    if (a) a.borderColor = theme.applied;
    if (r) r.borderColor = theme.recommended;
    if (ab) ab.borderColor = theme.abandon;
    this.#applyScales();
    this.invalidate();
  }

  /** Draws now (FrameScheduler calls this once per frame). */
  draw(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    this.#applyWindow();
    this.#chart.update('none');
  }

  destroy(): void {
    this.#o.scheduler.cancel(this);
    this.#chart.destroy();
  }

  #fullRender(): void {
    // Baseline: fresh copies parsed by chart.js, every point drawn, on every single update.
    const [a, r, ab] = this.#chart.data.datasets;
    if (a) a.data = this.#series.applied.map((p) => ({ x: p.x, y: p.y }));
    if (r) r.data = this.#series.recommended.map((p) => ({ x: p.x, y: p.y }));
    if (ab) ab.data = this.#series.abandon.map((p) => ({ x: p.x, y: p.y }));
    this.#applyWindow();
    this.#chart.update();
  }

  #applyWindow(): void {
    const end = Math.max(this.#series.lastT, this.#o.now());
    const x = this.#chart.options.scales?.x;
    if (x) {
      x.min = end - this.#o.windowMs;
      x.max = end;
    }
  }

  #applyScales(): void {
    const s = this.#chart.options.scales;
    if (!s) return;
    const t = this.#theme;
    for (const axis of Object.values(s)) {
      if (!axis) continue;
      if (axis.grid) axis.grid.color = t.grid;
      if (axis.ticks) axis.ticks.color = t.text;
      if (axis.title) axis.title.color = t.text;
    }
    const yP = s.yPacing;
    if (yP) {
      yP.suggestedMin = this.#band.min;
      yP.suggestedMax = this.#band.max;
    }
    const yA = s.yAbandon;
    if (yA) yA.suggestedMax = Math.max(this.#band.ceilingPct * 2, 5);
  }

  #config(): ChartConfiguration<'line', XY[]> {
    const t = this.#theme;
    const inc = this.#o.incremental;
    const data = (arr: XY[]) => (inc ? arr : arr.map((p) => ({ ...p })));
    const end = Math.max(this.#series.lastT, this.#o.now());
    return {
      type: 'line',
      data: {
        datasets: [
          { label: 'Applied pacing value', data: data(this.#series.applied), yAxisID: 'yPacing', borderColor: t.applied, borderWidth: 1 },
          { label: 'Recommended pacing value', data: data(this.#series.recommended), yAxisID: 'yPacing', borderColor: t.recommended, borderWidth: 1, borderDash: [6, 3] },
          { label: 'Abandon % (window)', data: data(this.#series.abandon), yAxisID: 'yAbandon', borderColor: t.abandon, borderWidth: 1, borderDash: [2, 2] },
        ],
      },
      plugins: [bandPlugin(() => ({ band: this.#band, theme: this.#theme }))],
      options: {
        animation: false,
        // Shared, already sorted {x, y} arrays: nothing to parse or normalise.
        parsing: inc ? false : undefined,
        normalized: inc,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: true,
        elements: { point: { radius: 0, hitRadius: 6, hoverRadius: 3 }, line: { tension: 0 } },
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        scales: {
          x: {
            type: 'time',
            min: end - this.#o.windowMs,
            max: end,
            time: { tooltipFormat: 'yyyy-MM-dd HH:mm:ss', displayFormats: { hour: 'HH:mm', minute: 'HH:mm' } },
            ticks: { maxRotation: 0, autoSkip: true, maxTicksLimit: 8, color: t.text },
            grid: { color: t.grid },
          },
          yPacing: {
            type: 'linear',
            position: 'left',
            suggestedMin: this.#band.min,
            suggestedMax: this.#band.max,
            title: { display: true, text: 'Pacing value', color: t.text },
            ticks: { color: t.text },
            grid: { color: t.grid },
          },
          yAbandon: {
            type: 'linear',
            position: 'right',
            min: 0,
            suggestedMax: Math.max(this.#band.ceilingPct * 2, 5),
            title: { display: true, text: 'Abandon %', color: t.text },
            ticks: { color: t.text },
            grid: { drawOnChartArea: false },
          },
        },
        plugins: {
          // LTTB keeps the points that carry the most visual area, so a one-cycle abandon spike
          // survives; 360 samples is one per 4 minutes of a 24-h axis, about one per 1.5 px of a
          // panel, and cuts the per-update cost (elements to lay out and stroke) by ~8×.
          decimation: { enabled: this.#o.decimation, algorithm: 'lttb', samples: DECIMATED_SAMPLES, threshold: DECIMATED_SAMPLES * 2 },
          tooltip: { enabled: true },
          legend: { display: false },
        },
      },
    };
  }
}
