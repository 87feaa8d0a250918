#!/usr/bin/env node
'use strict';
// Interleaved side-by-side timing of ONNX Runtime and q8's int8-run on the models prepare.sh made.
// Run it through side_by_side.sh (which checks the prerequisites and the environment); see README.md.
//
// Per model and thread count: both ORT sessions (FP32 model.onnx, INT8 ort/qdq.onnx) are loaded once in
// server processes (ort_run.js --server); then R rounds of [ORT FP32, ours FP32, ORT INT8, ours INT8],
// each entry K timed iterations after 1 warm-up (ORT: "run K 1" to its server; ours: one
// `int8-run -m X.xml -i input.npy -nthreads N -niter K` process, which warms up once and prints the
// median). A round's value is the median of its K iterations; the result is the median over rounds, and
// the ratio is the median over rounds of the per-round ratio ORT/ours (> 1: ours is faster).
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');
const { spawn, execFileSync } = require('child_process');
const { median } = require('./npy');

const here = __dirname;
const repo = path.resolve(here, '..', '..');

function usage(msg) {
  if (msg) process.stderr.write(`side_by_side: ${msg}\n`);
  process.stderr.write(
    'Usage: side_by_side.sh [--models "resnet50 resnet18 mobilenet_v2 ssd1200"] [--threads "1 2"] [--rounds R]\n' +
    '                       [--iters K | --target-sec S] [--work DIR] [--bin DIR] [--json FILE]\n' +
    '                       [--no-ours | --no-ort] [--ours-args "..."]\n');
  process.exit(1);
}

function parseArgs(argv) {
  const o = {
    models: ['resnet50', 'resnet18', 'mobilenet_v2', 'ssd1200'],
    threads: [1, 2],
    rounds: 7,
    iters: 0,
    targetSec: 1.5,
    work: '/work/bench-ort',
    bin: process.env.Q8_BIN || path.join(repo, 'build', 'bin'),
    json: '',
    ours: true,
    ort: true,
    oursArgs: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    const words = (s) => s.split(/[\s,]+/).filter((w) => w.length);
    if (a === '--models') o.models = words(val());
    else if (a === '--threads') o.threads = words(val()).map(Number);
    else if (a === '--rounds') o.rounds = parseInt(val(), 10);
    else if (a === '--iters') o.iters = parseInt(val(), 10);
    else if (a === '--target-sec') o.targetSec = parseFloat(val());
    else if (a === '--work') o.work = val();
    else if (a === '--bin') o.bin = val();
    else if (a === '--json') o.json = val();
    else if (a === '--no-ours') o.ours = false;
    else if (a === '--no-ort') o.ort = false;
    else if (a === '--ours-args') o.oursArgs = words(val());
    else if (a === '-h' || a === '--help') usage();
    else usage(`unknown option ${a}`);
  }
  if (!(o.rounds >= 1) || !(o.iters >= 0) || !(o.targetSec > 0) || o.threads.some((t) => !(t >= 1))) {
    usage('bad --rounds/--iters/--target-sec/--threads');
  }
  if (!o.json) o.json = path.join(o.work, 'side_by_side.json');
  return o;
}

// ---------------------------------------------------------------- ORT server client
class OrtServer {
  constructor(model, threads, input) {
    this.model = model;
    this.proc = spawn(process.execPath, [path.join(here, 'ort_run.js'), model, '--server', '--threads', String(threads),
      '--input', input, '--warmup', '3'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.lines = [];
    this.waiters = [];
    this.dead = null;
    readline.createInterface({ input: this.proc.stdout }).on('line', (l) => {
      if (this.waiters.length) this.waiters.shift().resolve(l);
      else this.lines.push(l);
    });
    this.proc.on('exit', (code) => {
      this.dead = `ORT server for ${model} exited (${code}): ${this.stderr.trim().split('\n').pop()}`;
      for (const w of this.waiters.splice(0)) w.reject(new Error(this.dead));
    });
  }

  next() {
    if (this.lines.length) return Promise.resolve(this.lines.shift());
    if (this.dead) return Promise.reject(new Error(this.dead));
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  async ready() {
    const r = JSON.parse(await this.next());
    if (!r.ready) throw new Error(`ORT server for ${this.model}: ${JSON.stringify(r)}`);
    return r;
  }

  async run(k) {
    this.proc.stdin.write(`run ${k} 1\n`);
    const r = JSON.parse(await this.next());
    if (r.error) throw new Error(`ORT ${this.model}: ${r.error}`);
    return r;
  }

  async close() {
    if (this.dead) return;
    const done = new Promise((res) => this.proc.once('exit', res));
    this.proc.stdin.write('quit\n');
    this.proc.stdin.end();
    await done;
  }
}

// ---------------------------------------------------------------- ours: one int8-run process per round
function runOurs(o, xml, input, threads, k) {
  const args = ['-m', xml, '-i', input, '-nthreads', String(threads), '-niter', String(k), ...o.oursArgs];
  return new Promise((resolve, reject) => {
    const p = spawn(path.join(o.bin, 'int8-run'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('error', reject);
    p.on('exit', (code) => {
      const m = /Median latency:\s*([0-9.eE+-]+)\s*ms/.exec(out);
      if (code !== 0 || !m) {
        const msg = (err.trim() || out.trim()).split('\n').slice(-3).join(' | ');
        reject(new Error(`int8-run ${args.join(' ')} -> exit ${code}${m ? '' : ', no "Median latency:" line'}: ${msg}`));
      } else {
        resolve({ median_ms: parseFloat(m[1]), out });
      }
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (v, d = 2) => (typeof v === 'number' && isFinite(v) ? v.toFixed(d) : 'n/a');

function environment(o) {
  const env = {
    date: new Date().toISOString(),
    host: os.hostname(),
    cpu: (os.cpus()[0] || {}).model,
    ncpu: os.cpus().length,
    node: process.version,
    onnxruntime_node: require('onnxruntime-node/package.json').version,
    loadavg_start: os.loadavg().map((x) => Math.round(x * 100) / 100),
    OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY || null,
  };
  try {
    env.q8_commit = execFileSync('git', ['-C', repo, 'rev-parse', '--short', 'HEAD']).toString().trim();
    const dirty = execFileSync('git', ['-C', repo, 'status', '--porcelain', '--untracked-files=no']).toString().trim();
    if (dirty) env.q8_commit += '+dirty';
  } catch (e) { /* not a git checkout */ }
  env.int8_run = path.join(o.bin, 'int8-run');
  return env;
}

async function benchOne(o, model, threads) {
  const d = path.join(o.work, model);
  const input = path.join(d, 'input.npy');
  const files = {
    ort_fp32: path.join(d, 'model.onnx'),
    ort_int8: path.join(d, 'ort', 'qdq.onnx'),
    ours_fp32: path.join(d, 'fp32', `${model}.xml`),
    ours_int8: path.join(d, 'int8', `${model}.xml`),
  };
  const configs = ['ort_fp32', 'ours_fp32', 'ort_int8', 'ours_int8'].filter((c) => {
    if (c.startsWith('ort') && !o.ort) return false;
    if (c.startsWith('ours') && !o.ours) return false;
    if (!fs.existsSync(files[c])) {
      process.stderr.write(`side_by_side: ${model}: ${files[c]} missing (run prepare.sh); ${c} skipped\n`);
      return false;
    }
    return true;
  });
  if (!fs.existsSync(input)) throw new Error(`${input} missing: run prepare.sh --models ${model}`);
  const servers = {};
  try {
    for (const c of configs.filter((x) => x.startsWith('ort'))) {
      servers[c] = new OrtServer(files[c], threads, input);
      await servers[c].ready();
    }
    // Iterations per round: about --target-sec of the slowest config (FP32), unless --iters.
    let k = o.iters;
    if (!k) {
      let t;
      if (servers.ort_fp32) t = (await servers.ort_fp32.run(3)).median_ms;
      else if (configs.includes('ours_fp32')) t = (await runOurs(o, files.ours_fp32, input, threads, 3)).median_ms;
      else t = 10;
      k = Math.max(3, Math.min(2000, Math.round((o.targetSec * 1000) / t)));
    }
    const rounds = Object.fromEntries(configs.map((c) => [c, []]));
    const failed = {};
    for (let r = 0; r < o.rounds; r++) {
      for (const c of configs) {
        if (failed[c]) continue;
        await sleep(50); // let the previous runner's threads go idle
        try {
          const res = c.startsWith('ort') ? await servers[c].run(k) : await runOurs(o, files[c], input, threads, k);
          rounds[c].push(res.median_ms);
        } catch (e) {
          failed[c] = e.message;
          process.stderr.write(`side_by_side: ${model} ${threads}T ${c} failed, skipped from now on: ${e.message}\n`);
        }
      }
      process.stderr.write(`  ${model} ${threads}T round ${r + 1}/${o.rounds}: ` +
        configs.map((c) => `${c} ${fmt(rounds[c][r])}`).join(', ') + '\n');
    }
    const med = (c) => (rounds[c] && rounds[c].length ? median(rounds[c]) : NaN);
    const ratio = (a, b) => {
      const n = Math.min((rounds[a] || []).length, (rounds[b] || []).length);
      if (!n) return NaN;
      return median(Array.from({ length: n }, (_, i) => rounds[a][i] / rounds[b][i]));
    };
    return {
      model, threads, iters: k, rounds: o.rounds,
      ort_fp32_ms: med('ort_fp32'), ours_fp32_ms: med('ours_fp32'), fp32_ratio: ratio('ort_fp32', 'ours_fp32'),
      ort_int8_ms: med('ort_int8'), ours_int8_ms: med('ours_int8'), int8_ratio: ratio('ort_int8', 'ours_int8'),
      ours_int8_speedup: ratio('ours_fp32', 'ours_int8'), ort_int8_speedup: ratio('ort_fp32', 'ort_int8'),
      per_round_ms: rounds, failed,
    };
  } finally {
    for (const s of Object.values(servers)) await s.close().catch(() => {});
  }
}

function table(results) {
  const head = ['model', 'thr', 'K', 'ORT fp32', 'ours fp32', 'ratio', 'ORT int8', 'ours int8', 'ratio',
    'ours i8/fp32', 'ORT i8/fp32'];
  const rows = results.map((r) => [r.model, String(r.threads), String(r.iters), fmt(r.ort_fp32_ms), fmt(r.ours_fp32_ms),
    fmt(r.fp32_ratio, 3), fmt(r.ort_int8_ms), fmt(r.ours_int8_ms), fmt(r.int8_ratio, 3),
    fmt(r.ours_int8_speedup), fmt(r.ort_int8_speedup)]);
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n') +
    '\n(ms = median over rounds of each round\'s median; ratio = ORT/ours, median of per-round ratios, >1: ours faster)\n';
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const env = environment(o);
  process.stderr.write(`side_by_side: ${o.models.join(' ')} x threads ${o.threads.join(' ')}, ${o.rounds} rounds; ` +
    `load average ${env.loadavg_start.join(' ')} (compare only on a quiet machine)\n`);
  const results = [];
  for (const m of o.models) {
    for (const t of o.threads) {
      try {
        results.push(await benchOne(o, m, t));
      } catch (e) {
        process.stderr.write(`side_by_side: ${m} ${t}T: ${e.message}\n`);
        results.push({ model: m, threads: t, error: e.message });
      }
    }
  }
  env.loadavg_end = os.loadavg().map((x) => Math.round(x * 100) / 100);
  const ok = results.filter((r) => !r.error);
  process.stdout.write('\n' + table(ok));
  fs.mkdirSync(path.dirname(path.resolve(o.json)), { recursive: true });
  fs.writeFileSync(o.json, JSON.stringify({ environment: env, options: { ...o }, results }, null, 1) + '\n');
  process.stdout.write(`results: ${o.json}\n`);
  if (!ok.length) process.exit(2);
}

main().catch((e) => {
  process.stderr.write(`side_by_side: ${e.message || e}\n`);
  process.exit(2);
});
