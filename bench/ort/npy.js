'use strict';
// Minimal .npy (format 1.0/2.0/3.0) reader for little-endian float32 C-order arrays, and helpers
// shared by ort_run.js, calib.js and side_by_side.js.
const fs = require('fs');
const path = require('path');

function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf.toString('latin1', 0, 6) !== '\x93NUMPY') {
    throw new Error(`${file}: not a .npy file`);
  }
  const major = buf[6];
  let headerLen, offset;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    offset = 10;
  } else {
    headerLen = buf.readUInt32LE(8);
    offset = 12;
  }
  const header = buf.toString('latin1', offset, offset + headerLen);
  const dataStart = offset + headerLen;
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!descr || !fortran || !shapeM) throw new Error(`${file}: malformed .npy header`);
  if (descr[1] !== '<f4') throw new Error(`${file}: dtype ${descr[1]} (only float32 '<f4' is supported)`);
  if (fortran[1] === 'True') throw new Error(`${file}: Fortran order is not supported`);
  const shape = shapeM[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length - dataStart < count * 4) throw new Error(`${file}: truncated data`);
  const data = new Float32Array(count);
  // Copy (the Buffer's offset need not be 4-aligned).
  Buffer.from(data.buffer).set(buf.subarray(dataStart, dataStart + count * 4));
  return { shape, data };
}

// Deterministic PRNG (mulberry32) and a Box-Muller normal on top of it.
function makeRng(seed) {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return { uniform, normal };
}

function listNpy(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.npy')).sort().map((f) => path.join(dir, f));
}

function stats(times) {
  const s = [...times].sort((x, y) => x - y);
  const q = (p) => {
    if (!s.length) return NaN;
    const pos = (s.length - 1) * p;
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  return { median_ms: q(0.5), p90_ms: q(0.9), min_ms: s[0], max_ms: s[s.length - 1], iters: s.length };
}

function median(values) {
  return stats(values).median_ms;
}

module.exports = { readNpy, makeRng, listNpy, stats, median };
