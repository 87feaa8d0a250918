#!/usr/bin/env node
'use strict';
// Time an ONNX model with ONNX Runtime (npm onnxruntime-node, CPU EP).
//
//   node ort_run.js MODEL.onnx [--threads N] [--iters K] [--warmup W] [--input file.npy] [--seed S]
//                   [--opt-level all|extended|basic|disabled] [--optimized-model OUT.onnx] [--server]
//
// One-shot mode: W warmup runs, then K timed runs; prints one JSON line
//   {"median_ms":..,"p90_ms":..,"min_ms":..,"max_ms":..,"iters":K,"load_ms":..}
// --server: loads the session once, prints {"ready":true,...}, then reads commands on stdin, one a line:
//   run K [W]   W warmup runs (default 1) then K timed runs; prints the JSON stats line
//   quit        exits
// Session: graphOptimizationLevel 'all' (unless --opt-level), executionMode 'sequential',
// intraOpNumThreads N, interOpNumThreads 1. Inputs: --input feeds the first input from a float32 .npy;
// other inputs (or all without --input) get seeded N(0,1) values (symbolic dimensions become 1).
const path = require('path');
const readline = require('readline');
const { readNpy, makeRng, stats } = require('./npy');

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    process.stderr.write(`ort_run: cannot load onnxruntime-node (${e.message.split('\n')[0]}); ` +
      `run ${path.join(__dirname, 'install.sh')} first\n`);
    process.exit(2);
  }
}

function parseArgs(argv) {
  const opt = { threads: 1, iters: 50, warmup: 5, seed: 1, optLevel: 'all', server: false };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--threads') opt.threads = parseInt(val(), 10);
    else if (a === '--iters') opt.iters = parseInt(val(), 10);
    else if (a === '--warmup') opt.warmup = parseInt(val(), 10);
    else if (a === '--input') opt.input = val();
    else if (a === '--seed') opt.seed = parseInt(val(), 10);
    else if (a === '--opt-level') opt.optLevel = val();
    else if (a === '--optimized-model') opt.optimizedModel = val();
    else if (a === '--server') opt.server = true;
    else if (a === '-h' || a === '--help') usage();
    else if (a.startsWith('-')) usage(`unknown option ${a}`);
    else rest.push(a);
  }
  if (rest.length !== 1) usage('exactly one MODEL.onnx is needed');
  opt.model = rest[0];
  if (!(opt.threads >= 1) || !(opt.iters >= 1) || !(opt.warmup >= 0)) usage('bad --threads/--iters/--warmup');
  if (!['all', 'extended', 'basic', 'disabled'].includes(opt.optLevel)) usage('bad --opt-level');
  return opt;
}

function usage(msg) {
  if (msg) process.stderr.write(`ort_run: ${msg}\n`);
  process.stderr.write('Usage: node ort_run.js MODEL.onnx [--threads N] [--iters K] [--warmup W] ' +
    '[--input file.npy] [--seed S] [--opt-level all|extended|basic|disabled] [--optimized-model OUT.onnx] [--server]\n');
  process.exit(1);
}

async function createSession(ort, opt) {
  const so = {
    graphOptimizationLevel: opt.optLevel,
    executionMode: 'sequential',
    intraOpNumThreads: opt.threads,
    interOpNumThreads: 1,
    executionProviders: ['cpu'],
  };
  if (opt.optimizedModel) so.optimizedModelFilePath = opt.optimizedModel;
  return ort.InferenceSession.create(opt.model, so);
}

function makeFeeds(ort, session, opt) {
  const feeds = {};
  const rng = makeRng(opt.seed);
  session.inputNames.forEach((name, idx) => {
    const meta = session.inputMetadata ? session.inputMetadata[idx] : undefined;
    if (idx === 0 && opt.input) {
      const { shape, data } = readNpy(opt.input);
      feeds[name] = new ort.Tensor('float32', data, shape);
      return;
    }
    if (!meta || !meta.isTensor || meta.type !== 'float32') {
      throw new Error(`input ${name}: only float32 tensor inputs can be generated (got ${meta && meta.type})`);
    }
    const shape = meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = rng.normal();
    feeds[name] = new ort.Tensor('float32', data, shape);
  });
  return feeds;
}

async function timeRuns(session, feeds, iters, warmup) {
  for (let i = 0; i < warmup; i++) await session.run(feeds);
  const times = new Array(iters);
  for (let i = 0; i < iters; i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    times[i] = Number(process.hrtime.bigint() - t0) / 1e6;
  }
  return stats(times);
}

const round3 = (o) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1000) / 1000 : v]));

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const t0 = process.hrtime.bigint();
  const session = await createSession(ort, opt);
  const feeds = makeFeeds(ort, session, opt);
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!opt.server) {
    const s = await timeRuns(session, feeds, opt.iters, opt.warmup);
    process.stdout.write(JSON.stringify(round3({ ...s, load_ms: loadMs, threads: opt.threads })) + '\n');
    await session.release();
    return;
  }
  // Server mode: warm up once, then answer "run K [W]" lines.
  await timeRuns(session, feeds, 1, opt.warmup);
  process.stdout.write(JSON.stringify(round3({ ready: true, load_ms: loadMs, threads: opt.threads, model: opt.model })) + '\n');
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    const words = line.trim().split(/\s+/).filter((w) => w.length);
    if (!words.length) continue;
    if (words[0] === 'quit') break;
    if (words[0] === 'run') {
      const k = parseInt(words[1] || '10', 10);
      const w = parseInt(words[2] || '1', 10);
      try {
        const s = await timeRuns(session, feeds, k, w);
        process.stdout.write(JSON.stringify(round3(s)) + '\n');
      } catch (e) {
        process.stdout.write(JSON.stringify({ error: String(e.message || e) }) + '\n');
      }
    } else {
      process.stdout.write(JSON.stringify({ error: `unknown command ${words[0]}` }) + '\n');
    }
  }
  await session.release();
}

main().catch((e) => {
  process.stderr.write(`ort_run: ${e.message || e}\n`);
  process.exit(2);
});
