// The committed icons are real, decodable images, match what scripts/make-icons.ts renders, and
// obey each platform's rules (macOS Template images are black + alpha).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { encodeIco, encodePng, iconSet, rasterize, TRAY_COLOURS, TRAY_LEVELS, trayLayers } from '../../scripts/make-icons.ts';

interface Png {
  width: number;
  height: number;
  rgba: Uint8Array;
  dpi?: number;
}

/** A strict decoder for what we write: 8-bit RGBA, no interlace, filter 0; every CRC checked. */
function decodePng(buf: Buffer): Png {
  assert.deepEqual([...buf.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  let off = 8;
  let width = 0;
  let height = 0;
  let dpi: number | undefined;
  const idat: Buffer[] = [];
  let ended = false;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    assert.equal(buf.readUInt32BE(off + 8 + len), crc32(buf.subarray(off + 4, off + 8 + len)) >>> 0, `${type} CRC`);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      assert.deepEqual([...data.subarray(8)], [8, 6, 0, 0, 0], 'RGBA8, no interlace');
    } else if (type === 'pHYs') {
      assert.equal(data[8], 1, 'unit is metres');
      dpi = Math.round(data.readUInt32BE(0) * 0.0254);
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') ended = true;
    off += 12 + len;
  }
  assert.ok(ended, 'IEND present');
  const raw = inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, height * (width * 4 + 1));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    assert.equal(raw[y * (width * 4 + 1)], 0, 'filter type 0');
    rgba.set(raw.subarray(y * (width * 4 + 1) + 1, (y + 1) * (width * 4 + 1)), y * width * 4);
  }
  return { width, height, rgba, ...(dpi ? { dpi } : {}) };
}

function decodeIco(buf: Buffer): { size: number; png: Png }[] {
  assert.equal(buf.readUInt16LE(0), 0);
  assert.equal(buf.readUInt16LE(2), 1, 'type icon');
  const n = buf.readUInt16LE(4);
  return Array.from({ length: n }, (_, i) => {
    const e = 6 + 16 * i;
    const size = buf[e] || 256;
    assert.equal(buf[e + 1] || 256, size, 'square');
    assert.equal(buf.readUInt16LE(e + 6), 32, '32 bpp');
    const png = decodePng(buf.subarray(buf.readUInt32LE(e + 12), buf.readUInt32LE(e + 12) + buf.readUInt32LE(e + 8)));
    assert.equal(png.width, size);
    return { size, png };
  });
}

const read = (rel: string) => readFileSync(join('assets', rel));

test('the committed assets match a fresh render, pixel for pixel', () => {
  for (const file of iconSet()) {
    const bytes = read(file.path);
    const images = file.path.endsWith('.ico') ? decodeIco(bytes).map((i) => i.png) : [decodePng(bytes)];
    assert.equal(images.length, file.images.length, file.path);
    images.forEach((img, i) => {
      const expected = file.images[i]!;
      assert.equal(img.width, expected.size, file.path);
      assert.ok(Buffer.from(img.rgba).equals(Buffer.from(expected.rgba)), `${file.path} @${expected.size} differs: run scripts/make-icons.ts`);
    });
  }
});

test('macOS Template images are black with alpha, 16 px @72 dpi and 32 px @144 dpi', () => {
  for (const level of TRAY_LEVELS) {
    const x1 = decodePng(read(`tray/tray-${level}Template.png`));
    const x2 = decodePng(read(`tray/tray-${level}Template@2x.png`));
    assert.deepEqual([x1.width, x1.dpi, x2.width, x2.dpi], [16, 72, 32, 144], level);
    for (const img of [x1, x2]) {
      let opaque = 0;
      for (let i = 0; i < img.rgba.length; i += 4) {
        assert.deepEqual([img.rgba[i], img.rgba[i + 1], img.rgba[i + 2]], [0, 0, 0], `${level} has colour`);
        if (img.rgba[i + 3]! > 200) opaque++;
      }
      assert.ok(opaque > img.width * img.width * 0.2, `${level} is mostly empty`);
    }
  }
});

test('the four states differ in shape, not only in colour', () => {
  const masks = TRAY_LEVELS.map((level) => Buffer.from(decodePng(read(`tray/tray-${level}Template@2x.png`)).rgba.filter((_, i) => i % 4 === 3)));
  for (let a = 0; a < masks.length; a++) {
    for (let b = a + 1; b < masks.length; b++) {
      let diff = 0;
      for (let i = 0; i < masks[a]!.length; i++) if (Math.abs(masks[a]![i]! - masks[b]![i]!) > 128) diff++;
      assert.ok(diff > 40, `${TRAY_LEVELS[a]} vs ${TRAY_LEVELS[b]}: only ${diff} pixels differ`);
    }
  }
});

test('Windows/Linux tray icons use the state colour', () => {
  for (const level of TRAY_LEVELS) {
    const img = decodePng(read(`tray/tray-${level}@2x.png`));
    assert.equal(img.width, 48);
    const [r, g, b] = TRAY_COLOURS[level];
    let matching = 0;
    for (let i = 0; i < img.rgba.length; i += 4) if (img.rgba[i + 3] === 255 && img.rgba[i] === r && img.rgba[i + 1] === g && img.rgba[i + 2] === b) matching++;
    assert.ok(matching > 500, `${level}: ${matching} pixels in its colour`);
    const ico = decodeIco(read(`tray/tray-${level}.ico`));
    assert.deepEqual(ico.map((i) => i.size), [16, 20, 24, 32, 40, 48, 64]);
  }
});

test('the app icon is 1024 px with a 256 px entry in the .ico', () => {
  assert.equal(decodePng(read('icon.png')).width, 1024);
  const ico = decodeIco(read('icon.ico'));
  assert.ok(ico.some((i) => i.size === 256));
  assert.equal(read('icon.ico')[6 + 16 * ico.findIndex((i) => i.size === 256)], 0, '256 is written as 0');
});

test('the encoders round-trip through the decoders', () => {
  const rgba = rasterize(20, trayLayers('warning', false));
  const png = decodePng(encodePng(20, rgba, 96));
  assert.deepEqual([png.width, png.height, png.dpi], [20, 20, 96]);
  assert.ok(Buffer.from(png.rgba).equals(Buffer.from(rgba)));
  const ico = decodeIco(encodeIco([{ size: 20, png: encodePng(20, rgba) }, { size: 256, png: encodePng(256, rasterize(256, trayLayers('ok', false))) }]));
  assert.deepEqual(ico.map((i) => i.size), [20, 256]);
});

test('rasterize anti-aliases edges and leaves transparent pixels colourless', () => {
  const rgba = rasterize(32, trayLayers('ok', false));
  const alphas = new Set<number>();
  for (let i = 0; i < rgba.length; i += 4) {
    alphas.add(rgba[i + 3]!);
    if (rgba[i + 3] === 0) assert.deepEqual([rgba[i], rgba[i + 1], rgba[i + 2]], [0, 0, 0]);
  }
  assert.ok(alphas.has(0) && alphas.has(255));
  assert.ok([...alphas].some((a) => a > 0 && a < 255), 'partial coverage at edges');
});
