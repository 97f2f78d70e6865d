// chart.js needs a date adapter for its time scale. Rather than bundle a date library for the few
// operations the drift chart uses, this is a small adapter over the browser's local-time Date:
// parse epoch ms, add/diff/startOf/endOf per unit, and a handful of format patterns.
import { _adapters, type TimeUnit } from 'chart.js';

type Unit = TimeUnit | 'isoWeek';

const FIXED_MS: Partial<Record<TimeUnit, number>> = { millisecond: 1, second: 1_000, minute: 60_000, hour: 3_600_000 };

const FORMATS: Record<TimeUnit | 'datetime', string> = {
  datetime: 'yyyy-MM-dd HH:mm:ss',
  millisecond: 'HH:mm:ss.SSS',
  second: 'HH:mm:ss',
  minute: 'HH:mm',
  hour: 'HH:mm',
  day: 'MMM d',
  week: 'MMM d',
  month: 'MMM yyyy',
  quarter: 'MMM yyyy',
  year: 'yyyy',
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** Formats a timestamp with the tokens yyyy, MMM, MM, d, dd, HH, mm, ss, SSS (local time). */
export function formatTime(ts: number, pattern: string): string {
  const d = new Date(ts);
  return pattern.replace(/yyyy|MMM|MM|dd|d|HH|mm|ss|SSS/g, (tok) => {
    switch (tok) {
      case 'yyyy': return String(d.getFullYear());
      case 'MMM': return MONTHS[d.getMonth()] ?? '';
      case 'MM': return p2(d.getMonth() + 1);
      case 'dd': return p2(d.getDate());
      case 'd': return String(d.getDate());
      case 'HH': return p2(d.getHours());
      case 'mm': return p2(d.getMinutes());
      case 'ss': return p2(d.getSeconds());
      default: return String(d.getMilliseconds()).padStart(3, '0');
    }
  });
}

export function addTime(ts: number, amount: number, unit: TimeUnit): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return ts + amount * fixed;
  const d = new Date(ts);
  // Calendar units go through the Date setters so DST and month lengths come out right.
  switch (unit) {
    case 'day': d.setDate(d.getDate() + amount); break;
    case 'week': d.setDate(d.getDate() + 7 * amount); break;
    case 'month': d.setMonth(d.getMonth() + amount); break;
    case 'quarter': d.setMonth(d.getMonth() + 3 * amount); break;
    default: d.setFullYear(d.getFullYear() + amount);
  }
  return d.getTime();
}

export function diffTime(a: number, b: number, unit: TimeUnit): number {
  const fixed = FIXED_MS[unit];
  if (fixed !== undefined) return (a - b) / fixed;
  if (unit === 'day' || unit === 'week') return (a - b) / (unit === 'day' ? 86_400_000 : 604_800_000);
  const da = new Date(a);
  const db = new Date(b);
  const months = (da.getFullYear() - db.getFullYear()) * 12 + (da.getMonth() - db.getMonth());
  if (unit === 'month') return months;
  return unit === 'quarter' ? months / 3 : months / 12;
}

export function startOfTime(ts: number, unit: Unit, weekday?: number | boolean): number {
  const d = new Date(ts);
  switch (unit) {
    case 'millisecond': return ts;
    case 'second': d.setMilliseconds(0); break;
    case 'minute': d.setSeconds(0, 0); break;
    case 'hour': d.setMinutes(0, 0, 0); break;
    case 'day': d.setHours(0, 0, 0, 0); break;
    case 'week':
    case 'isoWeek': {
      // isoWeek: `weekday` is 1 (Monday) … 7 (Sunday); week: Sunday.
      const first = unit === 'isoWeek' && typeof weekday === 'number' ? weekday % 7 : 0;
      d.setHours(0, 0, 0, 0);
      d.setDate(d.getDate() - ((d.getDay() - first + 7) % 7));
      break;
    }
    case 'month': d.setHours(0, 0, 0, 0); d.setDate(1); break;
    case 'quarter': d.setHours(0, 0, 0, 0); d.setDate(1); d.setMonth(d.getMonth() - (d.getMonth() % 3)); break;
    default: d.setHours(0, 0, 0, 0); d.setMonth(0, 1);
  }
  return d.getTime();
}

export function endOfTime(ts: number, unit: TimeUnit): number {
  return addTime(startOfTime(ts, unit), 1, unit) - 1;
}

function parseTime(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

let installed = false;
/** Registers the adapter with chart.js (once). */
export function installTimeAdapter(): void {
  if (installed) return;
  installed = true;
  _adapters._date.override({
    init() {},
    formats: () => FORMATS,
    parse: (value) => parseTime(value),
    format: (ts, fmt) => formatTime(ts, fmt),
    add: (ts, amount, unit) => addTime(ts, amount, unit),
    diff: (a, b, unit) => diffTime(a, b, unit),
    startOf: (ts, unit, weekday) => startOfTime(ts, unit, weekday),
    endOf: (ts, unit) => endOfTime(ts, unit),
  });
}
