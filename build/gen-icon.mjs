#!/usr/bin/env node
// Draws build/icon.png (1024x1024), the same shapes as build/icon.svg, with no dependencies:
// 4x4 supersampled shapes, then a PNG written with zlib. Run: node build/gen-icon.mjs
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 1024;
const SAMPLES = 4;
const hex = (value) => [1, 3, 5].map((i) => parseInt(value.slice(i, i + 2), 16));
const FROM = hex('#4f46e5');
const TO = hex('#9333ea');
const WHITE = [255, 255, 255];
const AMBER = hex('#fbbf24');
const nodes = [
  [300, 360, WHITE],
  [512, 512, WHITE],
  [724, 664, AMBER],
];

function insideRoundedRect(x, y) {
  const [min, max, radius] = [64, 960, 200];
  if (x < min || y < min || x > max || y > max) return false;
  const cx = Math.min(Math.max(x, min + radius), max - radius);
  const cy = Math.min(Math.max(y, min + radius), max - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

function distanceToSegment(x, y, [ax, ay], [bx, by]) {
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay)));
}

/** Colour and coverage of one sample point. */
function sample(x, y) {
  if (!insideRoundedRect(x, y)) return null;
  for (const [cx, cy, colour] of nodes) if ((x - cx) ** 2 + (y - cy) ** 2 <= 104 ** 2) return colour;
  for (let i = 0; i + 1 < nodes.length; i++) if (distanceToSegment(x, y, nodes[i], nodes[i + 1]) <= 28) return WHITE;
  const t = (x + y) / (2 * SIZE);
  return FROM.map((from, c) => from + (TO[c] - from) * t);
}

function render() {
  const rows = Buffer.alloc(SIZE * (SIZE * 4 + 1));
  for (let y = 0; y < SIZE; y++) {
    rows[y * (SIZE * 4 + 1)] = 0;
    for (let x = 0; x < SIZE; x++) {
      const sum = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const colour = sample(x + (sx + 0.5) / SAMPLES, y + (sy + 0.5) / SAMPLES);
          if (!colour) continue;
          covered += 1;
          for (let c = 0; c < 3; c++) sum[c] += colour[c];
        }
      }
      const at = y * (SIZE * 4 + 1) + 1 + x * 4;
      for (let c = 0; c < 3; c++) rows[at + c] = covered ? Math.round(sum[c] / covered) : 0;
      rows[at + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES));
    }
  }
  return rows;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(render(), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'icon.png'), png);
