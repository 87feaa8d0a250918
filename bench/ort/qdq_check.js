#!/usr/bin/env node
'use strict';
// Top-1 of a Fashion-MNIST classifier (e.g. the QDQ model `onnx-modify export-qdq` writes from pot's
// INT8 IR of tests/fixtures/fmnist/fmnist_cnn.onnx) under ONNX Runtime, on the idx test files
// themselves (raw pixels 0..255 as float32 [1,1,28,28], as int8-run eval feeds them).
//
//   node qdq_check.js MODEL.onnx [--data DIR] [--limit N] [--threads N] [--optimized-model OUT.onnx] [--json]
//
// DIR (default /usr/share/datasets/fashion-mnist) holds t10k-images-idx3-ubyte(.gz) and
// t10k-labels-idx1-ubyte(.gz). --optimized-model writes ORT's optimized graph and prints its op
// histogram (QLinearConv / QLinearMatMul count the layers ORT really runs in INT8).
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

function usage(msg) {
  if (msg) process.stderr.write(`qdq_check: ${msg}\n`);
  process.stderr.write('Usage: node qdq_check.js MODEL.onnx [--data DIR] [--limit N] [--threads N] ' +
    '[--optimized-model OUT.onnx] [--json]\n');
  process.exit(1);
}

function parseArgs(argv) {
  const opt = { data: '/usr/share/datasets/fashion-mnist', limit: Infinity, threads: 1, json: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => (i + 1 < argv.length ? argv[++i] : usage(`${a} needs a value`));
    if (a === '--data') opt.data = val();
    else if (a === '--limit') opt.limit = parseInt(val(), 10);
    else if (a === '--threads') opt.threads = parseInt(val(), 10);
    else if (a === '--optimized-model') opt.optimizedModel = val();
    else if (a === '--json') opt.json = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else rest.push(a);
  }
  if (rest.length !== 1) usage('exactly one MODEL.onnx is needed');
  if (!(opt.limit >= 1) || !(opt.threads >= 1)) usage('bad --limit/--threads');
  opt.model = rest[0];
  return opt;
}

// An idx file, gzipped or not: {dims, data (Uint8Array)}.
function readIdx(base) {
  let file = base;
  if (!fs.existsSync(file)) file = base + '.gz';
  if (!fs.existsSync(file)) {
    process.stderr.write(`qdq_check: ${base}(.gz) not found\n`);
    process.exit(2);
  }
  let buf = fs.readFileSync(file);
  if (file.endsWith('.gz')) buf = zlib.gunzipSync(buf);
  if (buf[0] !== 0 || buf[1] !== 0 || buf[2] !== 8) {
    process.stderr.write(`qdq_check: ${file} is not an idx u8 file\n`);
    process.exit(2);
  }
  const rank = buf[3];
  const dims = [];
  for (let i = 0; i < rank; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + 4 + 4 * rank) };
}

// The op_type of every node of an ONNX model (ModelProto.graph = 7, GraphProto.node = 1,
// NodeProto.op_type = 4), read with a minimal protobuf walker: no protobuf package needed.
function opHistogram(bytes) {
  function varint(b, p) {
    let v = 0, m = 1;
    for (;;) {
      const c = b[p.i++];
      v += (c & 0x7f) * m;
      if (c < 0x80) return v;
      m *= 128;
    }
  }
  function fields(b, cb) {
    const p = { i: 0 };
    while (p.i < b.length) {
      const key = varint(b, p), field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) varint(b, p);
      else if (wire === 1) p.i += 8;
      else if (wire === 5) p.i += 4;
      else if (wire === 2) {
        const len = varint(b, p);
        cb(field, b.subarray(p.i, p.i + len));
        p.i += len;
      } else throw new Error(`unsupported wire type ${wire}`);
    }
  }
  const hist = {};
  fields(bytes, (f, graph) => {
    if (f !== 7) return;
    fields(graph, (g, node) => {
      if (g !== 1) return;
      fields(node, (n, s) => {
        if (n === 4) {
          const op = Buffer.from(s).toString();
          hist[op] = (hist[op] || 0) + 1;
        }
      });
    });
  });
  return Object.fromEntries(Object.entries(hist).sort());
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  let ort;
  try {
    ort = require('onnxruntime-node');
  } catch (e) {
    process.stderr.write(`qdq_check: cannot load onnxruntime-node; run ${path.join(__dirname, 'install.sh')} first\n`);
    process.exit(2);
  }
  const images = readIdx(path.join(opt.data, 't10k-images-idx3-ubyte'));
  const labels = readIdx(path.join(opt.data, 't10k-labels-idx1-ubyte'));
  const [count, h, w] = images.dims;
  const n = Math.min(count, opt.limit);
  const so = { graphOptimizationLevel: 'all', executionMode: 'sequential', intraOpNumThreads: opt.threads,
    interOpNumThreads: 1, executionProviders: ['cpu'] };
  if (opt.optimizedModel) so.optimizedModelFilePath = opt.optimizedModel;
  const session = await ort.InferenceSession.create(opt.model, so);
  const input = session.inputNames[0], output = session.outputNames[0];
  let correct = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const x = new Float32Array(h * w);
    for (let j = 0; j < h * w; j++) x[j] = images.data[i * h * w + j];
    const y = (await session.run({ [input]: new ort.Tensor('float32', x, [1, 1, h, w]) }))[output].data;
    let best = 0;
    for (let k = 1; k < y.length; k++) if (y[k] > y[best]) best = k;
    if (best === labels.data[i]) correct++;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const result = { model: opt.model, images: n, top1: Number((100 * correct / n).toFixed(2)),
    ms_per_image: Number((ms / n).toFixed(3)) };
  if (opt.optimizedModel) result.optimized_ops = opHistogram(fs.readFileSync(opt.optimizedModel));
  if (opt.json) {
    console.log(JSON.stringify(result));
  } else {
    console.log(`images: ${n}\ntop1: ${result.top1.toFixed(2)}\nms/image: ${result.ms_per_image}`);
    if (result.optimized_ops)
      console.log('optimized graph ops: ' + Object.entries(result.optimized_ops).map(([k, v]) => `${k} ${v}`).join(', '));
  }
}

main().catch((e) => {
  process.stderr.write(`qdq_check: ${e.message.split('\n')[0]}\n`);
  process.exit(2);
});
