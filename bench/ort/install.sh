#!/bin/bash
# Installs ONNX Runtime for node (npm onnxruntime-node) into bench/ort/node_modules, idempotently,
# with --ignore-scripts: the package's postinstall script (which would download CUDA/TensorRT
# binaries) is skipped; the npm tarball itself ships libonnxruntime.so.1 and the N-API binding for
# linux x64 under node_modules/onnxruntime-node/bin/napi-v*/linux/x64/.
# Then checks that node can load it and run a session on a tiny generated model.
#
#   bench/ort/install.sh [--force]      # --force reinstalls
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

die() { echo "install.sh: $*" >&2; exit 1; }
command -v node >/dev/null || die "node not found (Debian: apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm not found (Debian: apt-get install npm)"

if [[ "${1:-}" == "--force" ]]; then rm -rf node_modules; fi

check() {
  node -e "
    const ort = require('onnxruntime-node');
    const fs = require('fs'), path = require('path');
    const root = path.dirname(require.resolve('onnxruntime-node/package.json'));
    const ver = require(path.join(root, 'package.json')).version;
    let so = 'missing';
    for (const d of fs.readdirSync(path.join(root, 'bin'))) {
      const p = path.join(root, 'bin', d, 'linux', process.arch, 'libonnxruntime.so.1');
      if (fs.existsSync(p)) so = p;
    }
    if (so === 'missing') { console.error('no libonnxruntime.so.1 for linux/' + process.arch); process.exit(1); }
    // A one-node ONNX model (Relu on float[1,4]), hand-encoded protobuf, opset 13.
    const model = Buffer.from('08073a3b0a0c0a0178120179220452656c751201635a130a0178120e0a0c080112080a0208010a020804' +
      '62130a0179120e0a0c080112080a0208010a02080442040a00100d', 'hex');
    ort.InferenceSession.create(model, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 }).then(async (s) => {
      const x = new ort.Tensor('float32', Float32Array.from([-1, 2, -3, 4]), [1, 4]);
      const y = (await s.run({ x })).y.data;
      if (Array.from(y).join(',') !== '0,2,0,4') { console.error('wrong Relu result ' + Array.from(y)); process.exit(1); }
      console.log('onnxruntime-node ' + ver + ' OK (' + so + ')');
    }).catch((e) => { console.error('session failed: ' + e.message); process.exit(1); });
  "
}

if [[ -d node_modules/onnxruntime-node ]] && check 2>/dev/null; then
  exit 0
fi
echo "install.sh: npm install --ignore-scripts onnxruntime-node in $here" >&2
npm install --ignore-scripts --no-audit --no-fund >&2   # versions from package.json (pinned)
check || die "onnxruntime-node installed but does not load; see the message above"
