// Computes golden values for the Go MobileNetV2 from the ORIGINAL nsfwjs model files,
// run by tfjs on its pure-JavaScript CPU backend. Run from this directory:
//
//   npm ci && node golden.js
//
// and it rewrites activations.json and resize.json next to this file. The Go tests read
// only those two files, so they run offline. Inputs come from integer formulas that
// the Go tests replicate exactly (see inputPattern and resizeSource).
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

const modelDir = path.join(__dirname, 'node_modules', 'nsfwjs', 'dist', 'models', 'mobilenet_v2');
// The same files the converter read from the tarball (see ../../NOTICE.md).
const expectedSHA256 = {
  'model.min.js': 'c32f104fd562b08cdff5ed69dfe1209643afa47e792fb12751d2949aa61a397a',
  'group1-shard1of1.min.js': 'ef2e0a63f7d2c4960b37b024b669313f65d3c45cd59e9042636c55b39de53517',
};
const taps = ['block_3_expand_relu', 'block_6_expand_relu', 'block_13_expand_relu'];
const sampled = ['Conv1_relu', ...taps];

function checkedRequire(file) {
  const p = path.join(modelDir, file);
  const sum = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
  if (sum !== expectedSHA256[file]) {
    throw new Error(`${file}: sha256 ${sum}, want ${expectedSHA256[file]}`);
  }
  return require(p);
}

// Input pixel (y, x, channel c) of a case, in [0, 1]. Integer arithmetic only, so Go
// computes the same values; n/255 rounds to the same float32 in both.
function inputPattern(kind, h, w, y, x, c) {
  let n;
  if (kind === 'texture') {
    n = (x * (7 + c) + y * (13 + 2 * c) + ((x * y + 3 * c) % 29) * 11) % 256;
  } else { // 'smooth': gradients with a few hard edges
    n = (Math.floor((x * 255) / (w - 1)) * (c + 1) + Math.floor((y * 200) / (h - 1)) + (((x >> 3) + (y >> 3)) % 2) * 40 * c) % 256;
  }
  return n / 255;
}

const cases = [
  {name: 'texture_32x32', kind: 'texture', h: 32, w: 32},
  {name: 'smooth_48x64', kind: 'smooth', h: 48, w: 64},
  {name: 'texture_33x47', kind: 'texture', h: 33, w: 47},
  {name: 'smooth_224x224', kind: 'smooth', h: 224, w: 224},
];

function makeInput(cs) {
  const data = new Float32Array(cs.h * cs.w * 3);
  for (let y = 0; y < cs.h; y++) {
    for (let x = 0; x < cs.w; x++) {
      for (let c = 0; c < 3; c++) data[(y * cs.w + x) * 3 + c] = inputPattern(cs.kind, cs.h, cs.w, y, x, c);
    }
  }
  return tf.tensor4d(data, [1, cs.h, cs.w, 3]);
}

// Per-channel population mean and standard deviation over all positions, in float64.
function meanStd(data, c) {
  const n = data.length / c;
  const mean = new Float64Array(c);
  const sd = new Float64Array(c);
  for (let i = 0; i < data.length; i++) mean[i % c] += data[i];
  for (let k = 0; k < c; k++) mean[k] /= n;
  for (let i = 0; i < data.length; i++) {
    const d = data[i] - mean[i % c];
    sd[i % c] += d * d;
  }
  for (let k = 0; k < c; k++) sd[k] = Math.sqrt(sd[k] / n);
  return [Array.from(mean), Array.from(sd)];
}

// Fixed positions: the four corners, then a spread of interior points.
function samplePositions(h, w, c) {
  const pos = [[0, 0, 0], [0, w - 1, c - 1], [h - 1, 0, c >> 1], [h - 1, w - 1, c - 1]];
  for (let i = 0; i < 20; i++) pos.push([(i * 7 + 1) % h, (i * 13 + 2) % w, (i * 37 + 5) % c]);
  return pos;
}

const f32 = (v) => Number(Math.fround(v).toPrecision(9));
const f64 = (v) => Number(v.toPrecision(12));

async function main() {
  await tf.setBackend('cpu');
  const model = checkedRequire('model.min.js');
  const shardB64 = checkedRequire('group1-shard1of1.min.js');
  const buf = Buffer.from(shardB64, 'base64');
  const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length);
  const weightSpecs = model.weightsManifest[0].weights;

  // The full model, exactly as shipped (fixed 224x224 input).
  const full = await tf.loadLayersModel(tf.io.fromMemory({modelTopology: model.modelTopology, weightSpecs, weightData}));
  const fullTaps = tf.model({inputs: full.inputs, outputs: sampled.map((n) => full.getLayer(n).output)});

  // The same layers up to block_13_expand_relu with a free input size: the shipped
  // topology pins 224x224 and its classifier head needs it, the backbone does not.
  const topo = JSON.parse(JSON.stringify(model.modelTopology));
  const cfg = topo.model_config.config;
  const lastIndex = cfg.layers.findIndex((l) => l.name === taps[taps.length - 1]);
  cfg.layers = cfg.layers.slice(0, lastIndex + 1);
  cfg.layers[0].config.batch_input_shape = [null, null, null, 3];
  cfg.output_layers = sampled.map((n) => [n, 0, 0]);
  const trunk = await tf.loadLayersModel(tf.io.fromMemory({modelTopology: topo, weightSpecs, weightData}), {strict: false});

  const out = {
    generator: 'golden.js',
    tfjs: tf.version.tfjs,
    backend: tf.getBackend(),
    std: 'population (divide by the number of positions)',
    cases: [],
  };
  for (const cs of cases) {
    const input = makeInput(cs);
    const acts = trunk.predict(input);
    if (cs.h === 224 && cs.w === 224) {
      // Truncating the topology must not change anything.
      const ref = fullTaps.predict(input);
      for (let i = 0; i < acts.length; i++) {
        const d = tf.max(tf.abs(tf.sub(acts[i], ref[i]))).dataSync()[0];
        if (d !== 0) throw new Error(`${sampled[i]}: truncated model differs from the full one by ${d}`);
      }
    }
    const rec = {name: cs.name, kind: cs.kind, h: cs.h, w: cs.w, taps: [], layers: {}};
    for (let i = 0; i < sampled.length; i++) {
      const [, h, w, c] = acts[i].shape;
      const data = acts[i].dataSync();
      if (taps.includes(sampled[i])) {
        const [mean, sd] = meanStd(data, c);
        rec.taps.push(...mean.map(f64), ...sd.map(f64));
      }
      rec.layers[sampled[i]] = {
        shape: [h, w, c],
        samples: samplePositions(h, w, c).map(([y, x, k]) => [y, x, k, f32(data[(y * w + x) * c + k])]),
      };
    }
    if (rec.taps.length !== 1824) throw new Error(`${cs.name}: ${rec.taps.length} tap values`);
    out.cases.push(rec);
    console.log(`${cs.name}: shapes ${sampled.map((n) => rec.layers[n].shape.join('x')).join(', ')}`);
  }
  fs.writeFileSync(path.join(__dirname, 'activations.json'), JSON.stringify(out) + '\n');
  fs.writeFileSync(path.join(__dirname, 'resize.json'), JSON.stringify(resizeGolden()) + '\n');
}

// Planar source value in 0..255 of channel c at (x, y): exact in float32.
function resizeSource(x, y, c) {
  return ((x * 37 + y * 91 + c * 53) % 255) + ((x + 2 * y + c) % 4) * 0.25;
}

// tf.image.resizeBilinear with its defaults (alignCorners=false,
// halfPixelCenters=false), then /255: what ResizeToHWC must reproduce.
function resizeGolden() {
  const specs = [
    {w: 13, h: 11, outW: 29, outH: 17},
    {w: 61, h: 47, outW: 23, outH: 19},
    {w: 16, h: 12, outW: 16, outH: 12},
    {w: 50, h: 40, outW: 224, outH: 224, samplesOnly: true},
  ];
  const res = {generator: 'golden.js', tfjs: tf.version.tfjs, cases: []};
  for (const s of specs) {
    const src = new Float32Array(s.h * s.w * 3);
    for (let y = 0; y < s.h; y++) {
      for (let x = 0; x < s.w; x++) {
        for (let c = 0; c < 3; c++) src[(y * s.w + x) * 3 + c] = resizeSource(x, y, c);
      }
    }
    const img = tf.tensor3d(src, [s.h, s.w, 3]);
    const data = tf.image.resizeBilinear(img, [s.outH, s.outW]).div(255).dataSync();
    const rec = {w: s.w, h: s.h, outW: s.outW, outH: s.outH};
    if (s.samplesOnly) {
      rec.samples = [];
      for (let i = 0; i < 64; i++) {
        const y = (i * 29 + 3) % s.outH;
        const x = (i * 53 + 7) % s.outW;
        const c = i % 3;
        rec.samples.push([y, x, c, f32(data[(y * s.outW + x) * 3 + c])]);
      }
    } else {
      rec.hwc = Array.from(data, f32);
    }
    res.cases.push(rec);
  }
  return res;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
