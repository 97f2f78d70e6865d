// Generates the tray and app icons in assets/ from vector shapes: no image tools needed, and the
// output is reproducible (test/electron/icons.test.ts re-renders and compares pixels).
//   node --experimental-strip-types scripts/make-icons.ts [outDir=assets]
// Tray states differ by shape as well as colour, because macOS Template images are monochrome:
// ok ✓ disc, warning ! triangle, error × disc, paused ‖ disc.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import { TRAY_LEVELS, type TrayLevel } from '../main/electron/policy/tray-status.ts';

// ---- shapes (unit square, y down) ------------------------------------------------------------

type Shape =
  | { t: 'disc'; x: number; y: number; r: number }
  | { t: 'capsule'; x1: number; y1: number; x2: number; y2: number; w: number }
  | { t: 'rect'; x0: number; y0: number; x1: number; y1: number; r?: number }
  | { t: 'poly'; pts: readonly (readonly [number, number])[] }
  /** A ring between r0 and r1 from angle a0 to a1 (degrees, counter-clockwise from +x, y up). */
  | { t: 'arc'; x: number; y: number; r0: number; r1: number; a0: number; a1: number };

export interface Layer {
  rgba: readonly [number, number, number, number];
  fill: readonly Shape[];
  cut?: readonly Shape[];
}

function inside(s: Shape, px: number, py: number): boolean {
  switch (s.t) {
    case 'disc':
      return (px - s.x) ** 2 + (py - s.y) ** 2 <= s.r * s.r;
    case 'capsule': {
      const dx = s.x2 - s.x1;
      const dy = s.y2 - s.y1;
      const k = Math.max(0, Math.min(1, ((px - s.x1) * dx + (py - s.y1) * dy) / (dx * dx + dy * dy || 1)));
      return (px - s.x1 - k * dx) ** 2 + (py - s.y1 - k * dy) ** 2 <= s.w * s.w;
    }
    case 'rect': {
      if (px < s.x0 || px > s.x1 || py < s.y0 || py > s.y1) return false;
      const r = s.r ?? 0;
      const cx = Math.min(Math.max(px, s.x0 + r), s.x1 - r);
      const cy = Math.min(Math.max(py, s.y0 + r), s.y1 - r);
      return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
    }
    case 'poly': {
      let odd = false;
      for (let i = 0, j = s.pts.length - 1; i < s.pts.length; j = i++) {
        const [xi, yi] = s.pts[i]!;
        const [xj, yj] = s.pts[j]!;
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) odd = !odd;
      }
      return odd;
    }
    case 'arc': {
      const d2 = (px - s.x) ** 2 + (py - s.y) ** 2;
      if (d2 < s.r0 * s.r0 || d2 > s.r1 * s.r1) return false;
      const a = ((Math.atan2(s.y - py, px - s.x) * 180) / Math.PI + 360) % 360;
      return a >= s.a0 && a <= s.a1;
    }
  }
}

/** Straight-alpha RGBA pixels; each layer is anti-aliased by supersampling and composited "over". */
export function rasterize(size: number, layers: readonly Layer[]): Uint8Array {
  const samples = size >= 256 ? 3 : 8;
  const px = new Float64Array(size * size * 4); // r, g, b (0..255), a (0..1)
  for (const layer of layers) {
    const [lr, lg, lb, la] = layer.rgba;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        let hits = 0;
        for (let sy = 0; sy < samples; sy++) {
          for (let sx = 0; sx < samples; sx++) {
            const u = (x + (sx + 0.5) / samples) / size;
            const v = (y + (sy + 0.5) / samples) / size;
            if (layer.fill.some((s) => inside(s, u, v)) && !(layer.cut ?? []).some((s) => inside(s, u, v))) hits++;
          }
        }
        if (hits === 0) continue;
        const a = (hits / (samples * samples)) * (la / 255);
        const i = (y * size + x) * 4;
        const da = px[i + 3]!;
        const oa = a + da * (1 - a);
        px[i] = (lr * a + px[i]! * da * (1 - a)) / oa;
        px[i + 1] = (lg * a + px[i + 1]! * da * (1 - a)) / oa;
        px[i + 2] = (lb * a + px[i + 2]! * da * (1 - a)) / oa;
        px[i + 3] = oa;
      }
    }
  }
  const out = new Uint8Array(size * size * 4);
  for (let i = 0; i < out.length; i += 4) {
    const a = Math.round(px[i + 3]! * 255);
    // Fully transparent pixels carry no colour, so every encoder sees the same bytes.
    out[i] = a ? Math.round(px[i]!) : 0;
    out[i + 1] = a ? Math.round(px[i + 1]!) : 0;
    out[i + 2] = a ? Math.round(px[i + 2]!) : 0;
    out[i + 3] = a;
  }
  return out;
}

// ---- artwork ---------------------------------------------------------------------------------

// One icon per level the tray can show (main/electron/policy/tray-status.ts).
export { TRAY_LEVELS };
export type IconLevel = TrayLevel;

const DISC: Shape = { t: 'disc', x: 0.5, y: 0.5, r: 0.45 };
const GLYPHS: Record<IconLevel, { fill: Shape[]; cut: Shape[] }> = {
  ok: {
    fill: [DISC],
    cut: [
      { t: 'capsule', x1: 0.28, y1: 0.52, x2: 0.44, y2: 0.68, w: 0.07 },
      { t: 'capsule', x1: 0.44, y1: 0.68, x2: 0.73, y2: 0.36, w: 0.07 },
    ],
  },
  warning: {
    fill: [{ t: 'poly', pts: [[0.5, 0.04], [0.97, 0.92], [0.03, 0.92]] }],
    cut: [
      { t: 'capsule', x1: 0.5, y1: 0.38, x2: 0.5, y2: 0.6, w: 0.08 },
      { t: 'disc', x: 0.5, y: 0.77, r: 0.08 },
    ],
  },
  error: {
    fill: [DISC],
    cut: [
      { t: 'capsule', x1: 0.33, y1: 0.33, x2: 0.67, y2: 0.67, w: 0.075 },
      { t: 'capsule', x1: 0.67, y1: 0.33, x2: 0.33, y2: 0.67, w: 0.075 },
    ],
  },
  paused: {
    fill: [DISC],
    cut: [
      { t: 'rect', x0: 0.33, y0: 0.29, x1: 0.45, y1: 0.71 },
      { t: 'rect', x0: 0.55, y0: 0.29, x1: 0.67, y1: 0.71 },
    ],
  },
};

/** Windows/Linux colours: green, amber, red, grey. */
export const TRAY_COLOURS: Record<IconLevel, readonly [number, number, number, number]> = {
  ok: [46, 157, 79, 255],
  warning: [232, 163, 23, 255],
  error: [214, 69, 69, 255],
  paused: [138, 143, 152, 255],
};

export function trayLayers(level: IconLevel, template: boolean): Layer[] {
  // Template images are black + alpha only; macOS recolours them for light/dark menu bars.
  return [{ rgba: template ? [0, 0, 0, 255] : TRAY_COLOURS[level], ...GLYPHS[level] }];
}

/** The app icon: a pacing gauge (arc, target band, needle) on a navy rounded square. */
export function appIconLayers(): Layer[] {
  const cx = 0.5;
  const cy = 0.6;
  const needle = (70 * Math.PI) / 180;
  return [
    { rgba: [30, 58, 95, 255], fill: [{ t: 'rect', x0: 0.06, y0: 0.06, x1: 0.94, y1: 0.94, r: 0.2 }] },
    { rgba: [255, 255, 255, 255], fill: [{ t: 'arc', x: cx, y: cy, r0: 0.26, r1: 0.33, a0: 15, a1: 165 }] },
    { rgba: [61, 220, 132, 255], fill: [{ t: 'arc', x: cx, y: cy, r0: 0.26, r1: 0.33, a0: 55, a1: 95 }] },
    { rgba: [245, 185, 66, 255], fill: [{ t: 'capsule', x1: cx, y1: cy, x2: cx + 0.3 * Math.cos(needle), y2: cy - 0.3 * Math.sin(needle), w: 0.03 }] },
    { rgba: [255, 255, 255, 255], fill: [{ t: 'disc', x: cx, y: cy, r: 0.065 }] },
  ];
}

// ---- encoders --------------------------------------------------------------------------------

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** 8-bit RGBA PNG, filter 0 on every row; `dpi` adds a pHYs chunk (macOS reads @2x as 144 dpi). */
export function encodePng(size: number, rgba: Uint8Array, dpi?: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    const phys = Buffer.alloc(9);
    const ppm = Math.round(dpi / 0.0254);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1;
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** An .ico holding PNG images (supported by Windows since Vista); 256 is written as 0 in the directory. */
export function encodeIco(images: readonly { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

// ---- the icon set ----------------------------------------------------------------------------

export interface IconFile {
  /** Relative to assets/. */
  path: string;
  /** PNG: one image; ICO: one per size. */
  images: { size: number; rgba: Uint8Array }[];
  dpi?: number;
}

const ICO_TRAY_SIZES = [16, 20, 24, 32, 40, 48, 64];
const ICO_APP_SIZES = [16, 24, 32, 48, 64, 128, 256];

export function iconSet(): IconFile[] {
  const files: IconFile[] = [];
  const png = (path: string, size: number, layers: Layer[], dpi?: number) =>
    files.push({ path, images: [{ size, rgba: rasterize(size, layers) }], ...(dpi ? { dpi } : {}) });
  for (const level of TRAY_LEVELS) {
    png(`tray/tray-${level}.png`, 24, trayLayers(level, false));
    png(`tray/tray-${level}@2x.png`, 48, trayLayers(level, false));
    png(`tray/tray-${level}Template.png`, 16, trayLayers(level, true), 72);
    png(`tray/tray-${level}Template@2x.png`, 32, trayLayers(level, true), 144);
    files.push({ path: `tray/tray-${level}.ico`, images: ICO_TRAY_SIZES.map((size) => ({ size, rgba: rasterize(size, trayLayers(level, false)) })) });
  }
  png('icon.png', 1024, appIconLayers());
  files.push({ path: 'icon.ico', images: ICO_APP_SIZES.map((size) => ({ size, rgba: rasterize(size, appIconLayers()) })) });
  return files;
}

export function encodeIconFile(file: IconFile): Buffer {
  if (file.path.endsWith('.ico')) return encodeIco(file.images.map(({ size, rgba }) => ({ size, png: encodePng(size, rgba) })));
  const [image] = file.images;
  if (!image) throw new Error(`${file.path}: no image`);
  return encodePng(image.size, image.rgba, file.dpi);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = resolve(process.argv[2] ?? 'assets');
  for (const file of iconSet()) {
    const target = join(outDir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, encodeIconFile(file));
    console.log(target);
  }
}
