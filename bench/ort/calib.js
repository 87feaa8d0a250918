#!/usr/bin/env node
'use strict';
// Activation ranges for make_qdq.py: runs the augmented model (make_qdq.py augment) with ONNX Runtime
// over a directory of float32 .npy samples and records, per listed tensor, the min/max over all
// samples and the mean over samples of each sample's min/max.
//
//   node calib.js AUG.onnx TENSORS.json CALIB_DIR OUT_RANGES.json [--limit N] [--threads N]
const fs = require('fs');
const path = require('path');
const { readNpy, listNpy } = require('./npy');

function usage(msg) {
  if (msg) process.stderr.write(`calib: ${msg}\n`);
  process.stderr.write('Usage: node calib.js AUG.onnx TENSORS.json CALIB_DIR OUT_RANGES.json [--limit N] [--threads N]\n');
  process.exit(1);
}

async function main() {
  const pos = [];
  let limit = Infinity;
  let threads = 2;
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--limit') limit = parseInt(argv[++i], 10);
    else if (argv[i] === '--threads') threads = parseInt(argv[++i], 10);
    else if (argv[i].startsWith('-')) usage(`unknown option ${argv[i]}`);
    else pos.push(argv[i]);
  }
  if (pos.length !== 4) usage();
  const [modelPath, tensorsPath, dir, outPath] = pos;
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    usage(`cannot load onnxruntime-node; run ${path.join(__dirname, 'install.sh')} first`);
  }
  const tensors = JSON.parse(fs.readFileSync(tensorsPath, 'utf8')).tensors;
  const files = listNpy(dir).slice(0, limit);
  if (!files.length) usage(`no .npy files in ${dir}`);
  // 'basic' keeps every requested graph output intact (no fusions across them).
  const session = await ort.InferenceSession.create(modelPath, {
    graphOptimizationLevel: 'basic', executionMode: 'sequential', intraOpNumThreads: threads, interOpNumThreads: 1,
  });
  const inputName = session.inputNames[0];
  const acc = {};
  for (const t of tensors) acc[t] = { min: Infinity, max: -Infinity, sumMin: 0, sumMax: 0 };
  const t0 = Date.now();
  for (const [k, f] of files.entries()) {
    const { shape, data } = readNpy(f);
    const out = await session.run({ [inputName]: new ort.Tensor('float32', data, shape) }, tensors);
    for (const t of tensors) {
      const d = out[t].data;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < d.length; i++) {
        const v = d[i];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const a = acc[t];
      a.min = Math.min(a.min, lo);
      a.max = Math.max(a.max, hi);
      a.sumMin += lo;
      a.sumMax += hi;
    }
    for (const t of Object.keys(out)) if (out[t].dispose) out[t].dispose();
    if (process.stderr.isTTY) {
      process.stderr.write(`\rcalib: ${k + 1}/${files.length} samples, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const ranges = {};
  for (const t of tensors) {
    const a = acc[t];
    ranges[t] = { min: a.min, max: a.max, mean_min: a.sumMin / files.length, mean_max: a.sumMax / files.length };
  }
  fs.writeFileSync(outPath, JSON.stringify({ samples: files.length, calib_dir: path.resolve(dir), ranges }, null, 1));
  await session.release();
  console.log(`${tensors.length} tensor ranges from ${files.length} samples in ${((Date.now() - t0) / 1000).toFixed(1)} s -> ${outPath}`);
}

main().catch((e) => {
  process.stderr.write(`calib: ${e.message || e}\n`);
  process.exit(2);
});
