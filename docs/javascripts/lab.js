/*
 * ganbook's GAN lab: a 2-D GAN trained live in the browser with TensorFlow.js.
 *
 * Loaded on every page (mkdocs extra_javascript). On a page without #ganbook-lab it only defines
 * window.ganbookLab; on a page with one it loads TensorFlow.js from the site itself
 * (assets/tfjs/tf.min.js, next to this script's folder, never another host), builds the lab in
 * the element, and stops it when Material's instant navigation swaps the page away.
 *
 * Every loss of ganbook.losses is written once, on tensors (LOSSES), and serves both the training
 * and the numeric API window.ganbookLab.losses that the browser tests compare with Python.
 * Gradients come from TensorFlow.js's autograd, second order included (tf.grad inside
 * tf.variableGrads) for the gradient penalty and R1.
 */
(function () {
  "use strict";

  var SCRIPT_SRC = (document.currentScript && document.currentScript.src) || "";
  var LOSS_NAMES = ["minimax", "non-saturating", "least-squares", "wasserstein", "wgan-gp",
    "hinge", "relativistic"];
  var DATA_NAMES = ["ring", "grid", "two", "line", "drawn"];
  var OPTIMISERS = ["adam", "rmsprop", "sgd"];
  var LAYER_NAMES = ["map", "real", "fake", "arrows", "mesh"];
  var DEFAULT_LOSS = "non-saturating";
  var GP_WEIGHT = 10; // λ of WGAN-GP (Gulrajani et al. 2017)
  var EVAL_POINTS = 500; // generated and real points behind the distance curves
  var EVAL_DIRECTIONS = 50; // random directions of the sliced W1
  var MAP_CELLS = 48; // D's map is evaluated on MAP_CELLS² points
  var MESH_SIDE = 11; // the latent grid drawn as a warped mesh
  var ARROWS = 64; // fakes that carry a gradient arrow
  var RECORD_EVERY = 10; // rounds between curve points while playing or training
  var FRAME_BUDGET_MS = 25; // training time per animation frame, so that the page stays smooth
  var DRAW_EVERY_MS = 120; // the view is redrawn at most this often while training fast
  var SLOW_ROUNDS_PER_SECOND = 3;
  var HISTORY_CAP = 600; // curve points kept; beyond it every other point is dropped

  // ---- the losses, on tensors: means over the batch, real and fake batches of any sizes -------
  // −log σ(t) = softplus(−t) and −log(1 − σ(t)) = softplus(t): no log of a rounded probability.
  // (tf.logSigmoid would be the obvious op, but its gradient fails in TensorFlow.js 4.22.)

  function minimaxD(r, f) { return tf.softplus(tf.neg(r)).mean().add(tf.softplus(f).mean()); }
  function wassersteinD(r, f) { return f.mean().sub(r.mean()); }
  function negMeanFake(r, f) { return f.mean().neg(); }
  function relativeLogits(r, f) { return [r.sub(f.mean()), f.sub(r.mean())]; } // Δ_r, Δ_f

  var DCGAN = { opt: "adam", lr: 2e-4, betas: [0.5, 0.999] }; // Radford et al. (2016)
  var LOSSES = {
    minimax: { output: "logit", paper: DCGAN, nCritic: 1, d: minimaxD,
      g: function (r, f) { return tf.softplus(f).mean().neg(); } }, // E log(1 − σ(d_f))
    "non-saturating": { output: "logit", paper: DCGAN, nCritic: 1, d: minimaxD,
      g: function (r, f) { return tf.softplus(tf.neg(f)).mean(); } }, // −E log σ(d_f)
    "least-squares": { output: "score", paper: DCGAN, nCritic: 1, // labels a = 0, b = c = 1
      d: function (r, f) { return r.sub(1).square().mean().mul(0.5).add(f.square().mean().mul(0.5)); },
      g: function (r, f) { return f.sub(1).square().mean().mul(0.5); } },
    wasserstein: { output: "score", paper: { opt: "rmsprop", lr: 5e-5 }, nCritic: 5, clip: true,
      d: wassersteinD, g: negMeanFake },
    "wgan-gp": { output: "score", paper: { opt: "adam", lr: 1e-4, betas: [0.5, 0.9] }, nCritic: 5,
      gp: true, d: wassersteinD, g: negMeanFake },
    hinge: { output: "score", paper: DCGAN, nCritic: 1, g: negMeanFake,
      d: function (r, f) { return tf.relu(tf.sub(1, r)).mean().add(tf.relu(tf.add(1, f)).mean()); } },
    relativistic: { output: "logit", paper: DCGAN, nCritic: 1, usesReal: true,
      d: function (r, f) {
        var delta = relativeLogits(r, f); // −E log σ(Δ_r) − E log(1 − σ(Δ_f))
        return tf.softplus(tf.neg(delta[0])).mean().add(tf.softplus(delta[1]).mean());
      },
      g: function (r, f) {
        var delta = relativeLogits(r, f); // −E log σ(Δ_f) − E log(1 − σ(Δ_r))
        return tf.softplus(delta[0]).mean().add(tf.softplus(tf.neg(delta[1])).mean());
      } },
  };

  // ---- settings: parsing (URL, UI, set()), defaults, URL round trip ---------------------------

  function choice(values) {
    return { parse: function (v) { return values.indexOf(String(v)) >= 0 ? String(v) : undefined; },
      format: String };
  }
  function number(min, max, integer) {
    return {
      parse: function (v) {
        var x = typeof v === "number" ? v : (String(v).trim() === "" ? NaN : Number(v));
        var ok = isFinite(x) && x >= min && x <= max && (!integer || Math.floor(x) === x);
        return ok ? x : undefined;
      },
      format: String,
    };
  }
  var FIELDS = {
    data: choice(DATA_NAMES),
    loss: choice(LOSS_NAMES),
    r1: { parse: function (v) { var i = [true, "1", "true", false, "0", "false"].indexOf(v);
      return i < 0 ? undefined : i < 3; }, format: function (v) { return v ? "1" : "0"; } },
    gamma: number(1e-6, 1e4),
    clip: number(1e-5, 10),
    dopt: choice(OPTIMISERS), dlr: number(1e-8, 1),
    gopt: choice(OPTIMISERS), glr: number(1e-8, 1),
    ncritic: number(1, 50, true),
    width: number(2, 256, true),
    depth: number(1, 6, true),
    batch: number(1, 1024, true),
    seed: number(0, 2147483647, true),
    layers: {
      parse: function (v) {
        var list = Array.isArray(v) ? v.map(String) : String(v).split(",").filter(Boolean);
        var ok = list.every(function (n) { return LAYER_NAMES.indexOf(n) >= 0; });
        return ok ? LAYER_NAMES.filter(function (n) { return list.indexOf(n) >= 0; }) : undefined;
      },
      format: function (v) { return v.join(","); },
    },
  };
  var LOSS_KEYS = ["dopt", "dlr", "gopt", "glr", "ncritic"]; // set anew when the loss changes

  function defaultSettings(loss) {
    var pair = LOSSES[loss];
    return { data: "ring", loss: loss, r1: false, gamma: 1, clip: 0.01,
      dopt: pair.paper.opt, dlr: pair.paper.lr, gopt: pair.paper.opt, glr: pair.paper.lr,
      ncritic: pair.nCritic, width: 32, depth: 2, batch: 128, seed: 0, layers: LAYER_NAMES.slice() };
  }

  // Applies `partial` to `base` as the UI would: a new loss first brings its paper's optimisers,
  // then the other keys override them. Invalid values keep the base's and are reported.
  function applySettings(base, partial) {
    var next = Object.assign({}, base, { layers: base.layers.slice() }), notes = [];
    function reject(key) { notes.push(key + "=" + partial[key]); }
    if ("loss" in partial) {
      var loss = FIELDS.loss.parse(partial.loss);
      if (loss === undefined) reject("loss");
      else if (loss !== base.loss) {
        var paper = defaultSettings(loss);
        LOSS_KEYS.forEach(function (k) { next[k] = paper[k]; });
        next.loss = loss;
      }
    }
    Object.keys(partial).forEach(function (key) {
      if (key === "loss") return;
      var value = FIELDS[key] ? FIELDS[key].parse(partial[key]) : undefined;
      if (value === undefined) reject(key);
      else next[key] = value;
    });
    return { settings: next, notes: notes };
  }

  function settingsFromQuery(search) {
    var query = new URLSearchParams(search), partial = {};
    Object.keys(FIELDS).forEach(function (k) { if (query.has(k)) partial[k] = query.get(k); });
    return applySettings(defaultSettings(DEFAULT_LOSS), partial);
  }

  // Only what differs from the defaults goes into the address; other parameters are kept.
  function queryFor(settings, search) {
    var query = new URLSearchParams(search), defaults = defaultSettings(settings.loss);
    defaults.loss = DEFAULT_LOSS;
    Object.keys(FIELDS).forEach(function (k) {
      var value = FIELDS[k].format(settings[k]);
      if (value === FIELDS[k].format(defaults[k])) query.delete(k);
      else query.set(k, value);
    });
    var text = query.toString().replace(/%2C/g, ",");
    return text ? "?" + text : "";
  }

  // ---- seeded randomness and the data sets ----------------------------------------------------

  function mulberry32(seed) {
    var a = seed >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) >>> 0;
      var t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function gaussian(rand) { // Box–Muller; 1 − u keeps the logarithm finite
    return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  }

  function ringCentres() {
    var c = [];
    for (var k = 0; k < 8; k++) {
      c.push([2 * Math.cos(k * Math.PI / 4) / 1.414, 2 * Math.sin(k * Math.PI / 4) / 1.414]);
    }
    return c;
  }
  function gridCentres() {
    var c = [];
    for (var i = -2; i <= 2; i++) for (var j = -2; j <= 2; j++) c.push([2 * i / 2.828, 2 * j / 2.828]);
    return c;
  }
  // Centres and std are in the final coordinates (after the division of ring and grid).
  var DATASETS = {
    ring: { centres: ringCentres(), std: 0.02 / 1.414, modes: true },
    grid: { centres: gridCentres(), std: 0.05 / 2.828, modes: true },
    two: { centres: [[-0.75, 0], [0.75, 0]], std: 0.1 },
    line: { std: 0.02, point: function (rand) { var t = rand(); return [-1 + 2 * t, -0.5 + t]; } },
    drawn: { std: 0.02 }, // centres: the reader's points
  };

  function samplePoints(name, n, rand, drawn) {
    var set = DATASETS[name], centres = set.centres || drawn, out = new Float32Array(2 * n);
    for (var i = 0; i < n; i++) {
      var c = set.point ? set.point(rand) : centres[Math.floor(rand() * centres.length)];
      out[2 * i] = c[0] + set.std * gaussian(rand);
      out[2 * i + 1] = c[1] + set.std * gaussian(rand);
    }
    return out;
  }
  function latentPoints(n, rand) {
    var z = new Float32Array(2 * n);
    for (var i = 0; i < 2 * n; i++) z[i] = gaussian(rand);
    return z;
  }
  function gridPoints(side, lo, hi) { // side × side points from (lo, hi) row by row, top row first
    var out = new Float32Array(2 * side * side), k = 0;
    for (var i = 0; i < side; i++) {
      for (var j = 0; j < side; j++) {
        out[k++] = lo + (hi - lo) * j / (side - 1);
        out[k++] = hi - (hi - lo) * i / (side - 1);
      }
    }
    return out;
  }

  // ---- distances to the data --------------------------------------------------------------

  // Mean over unit directions of the 1-D W1 between the sorted projections (equal sizes).
  function slicedW1(a, b, angles) {
    var n = a.length / 2, pa = new Float64Array(n), pb = new Float64Array(n), total = 0;
    angles.forEach(function (theta) {
      var c = Math.cos(theta), s = Math.sin(theta), sum = 0;
      for (var i = 0; i < n; i++) {
        pa[i] = a[2 * i] * c + a[2 * i + 1] * s;
        pb[i] = b[2 * i] * c + b[2 * i + 1] * s;
      }
      pa.sort();
      pb.sort();
      for (var j = 0; j < n; j++) sum += Math.abs(pa[j] - pb[j]);
      total += sum / n;
    });
    return total / angles.length;
  }

  // A mode counts when a quarter of its fair share of the points lies within 3 std of its
  // centre, each point going to its nearest centre.
  function modesCovered(points, centres, std) {
    var counts = centres.map(function () { return 0; }), n = points.length / 2;
    for (var i = 0; i < n; i++) {
      var best = 0, bestD = Infinity;
      centres.forEach(function (c, k) {
        var d = Math.hypot(points[2 * i] - c[0], points[2 * i + 1] - c[1]);
        if (d < bestD) { bestD = d; best = k; }
      });
      if (bestD <= 3 * std) counts[best]++;
    }
    var need = 0.25 * n / centres.length;
    return counts.filter(function (c) { return c >= need; }).length;
  }

  // ---- networks and penalties ---------------------------------------------------------------

  // ReLU MLP, PyTorch's nn.Linear initialisation U(±1/√fan_in), seeded per tensor.
  function createMlp(sizes, seed) {
    var params = [];
    for (var i = 0; i + 1 < sizes.length; i++) {
      var bound = 1 / Math.sqrt(sizes[i]);
      params.push(seededVariable([sizes[i], sizes[i + 1]], bound, seed + 2 * i));
      params.push(seededVariable([sizes[i + 1]], bound, seed + 2 * i + 1));
    }
    return params;
  }
  function seededVariable(shape, bound, seed) {
    var init = tf.randomUniform(shape, -bound, bound, "float32", seed), v = tf.variable(init);
    init.dispose(); // the variable keeps its own reference to the values
    return v;
  }
  function readBack(tensor) { // the values, and the tensor freed
    var values = tensor.dataSync();
    tensor.dispose();
    return values;
  }
  function forward(params, x) {
    var h = x;
    for (var i = 0; i < params.length; i += 2) {
      h = h.matMul(params[i]).add(params[i + 1]);
      if (i + 2 < params.length) h = tf.relu(h);
    }
    return h;
  }

  // ∇ₓD(x) row by row: summing over the batch keeps each row's gradient its own, since D treats
  // rows independently. Inside tf.variableGrads this is differentiated once more.
  function inputGradients(D, x) {
    return tf.grad(function (v) { return forward(D, v).sum(); })(x);
  }
  // E(‖∇D(x̂)‖ − 1)² at x̂ = x + α(x̃ − x); the 1e-12 keeps √ differentiable where ∇D = 0.
  function gradientPenalty(D, real, fake, alpha) {
    var xHat = real.add(fake.sub(real).mul(alpha));
    return inputGradients(D, xHat).square().sum(1).add(1e-12).sqrt().sub(1).square().mean();
  }
  function r1Penalty(D, real) { return inputGradients(D, real).square().sum(1).mean(); } // E‖∇D(x)‖²
  function globalNorm(grads) {
    return tf.addN(Object.keys(grads).map(function (k) { return grads[k].square().sum(); })).sqrt();
  }
  // PyTorch's constants (Adam's and RMSprop's ε = 1e-8, RMSprop's α = 0.99), as ganbook trains.
  function makeOptimiser(name, lr, betas) {
    if (name === "adam") return tf.train.adam(lr, betas[0], betas[1], 1e-8);
    if (name === "rmsprop") return tf.train.rmsprop(lr, 0.99, 0, 1e-8);
    return tf.train.sgd(lr);
  }
  // The paper's betas go with the paper's optimiser only (as TrainConfig), else Adam's own.
  function betasFor(pair, opt) { return opt === pair.paper.opt && pair.paper.betas || [0.9, 0.999]; }

  // ---- the trainer: networks, optimisers, random streams; replaced on every reset --------------

  function createTrainer(s, drawn) {
    var pair = LOSSES[s.loss], B = s.batch, hidden = [];
    for (var i = 0; i < s.depth; i++) hidden.push(s.width);
    var D = createMlp([2].concat(hidden, [1]), s.seed * 1000);
    var G = createMlp([2].concat(hidden, [2]), s.seed * 1000 + 500);
    var dOpt = makeOptimiser(s.dopt, s.dlr, betasFor(pair, s.dopt));
    var gOpt = makeOptimiser(s.gopt, s.glr, betasFor(pair, s.gopt));
    var rand = mulberry32(s.seed); // data, latents and α of every training step
    var mapGrid = tf.tensor2d(gridPoints(MAP_CELLS, -2 + 2 / MAP_CELLS, 2 - 2 / MAP_CELLS), [MAP_CELLS * MAP_CELLS, 2]);
    var meshZ = tf.tensor2d(gridPoints(MESH_SIDE, -2, 2), [MESH_SIDE * MESH_SIDE, 2]);
    var t = { dSteps: 0, gSteps: 0, dStats: null, gStats: null, evalSet: null };

    function realBatch(n, r) { return tf.tensor2d(samplePoints(s.data, n, r, drawn), [n, 2]); }
    function latentBatch(n, r) { return tf.tensor2d(latentPoints(n, r), [n, 2]); }
    function display(out) { return pair.output === "logit" ? tf.sigmoid(out) : out; }

    // One discriminator pass on fresh batches, an update if `apply`. Returns the tensor
    // [loss without penalties, mean output on real, on fake, ‖∇φ(loss + penalties)‖].
    function dPass(r, apply) {
      return tf.tidy(function () {
        var real = realBatch(B, r), fake = forward(G, latentBatch(B, r));
        var alpha = pair.gp ? tf.tensor2d(Float32Array.from({ length: B }, r), [B, 1]) : null;
        var plain, outs;
        var res = tf.variableGrads(function () {
          var dr = forward(D, real), df = forward(D, fake), loss = pair.d(dr, df);
          plain = tf.keep(loss.reshape([1]));
          outs = tf.keep(tf.stack([display(dr).mean(), display(df).mean()]));
          if (pair.gp) loss = loss.add(gradientPenalty(D, real, fake, alpha).mul(GP_WEIGHT));
          if (s.r1) loss = loss.add(r1Penalty(D, real).mul(s.gamma / 2));
          return loss;
        }, D);
        if (apply) dOpt.applyGradients(res.grads);
        if (apply && pair.clip) D.forEach(function (v) { v.assign(tf.clipByValue(v, -s.clip, s.clip)); });
        var stats = tf.concat([plain, outs, globalNorm(res.grads).reshape([1])]);
        plain.dispose();
        outs.dispose();
        return stats;
      });
    }
    // One generator pass, an update if `apply`: returns [loss, ‖∇θ loss‖].
    function gPass(r, apply) {
      return tf.tidy(function () {
        var z = latentBatch(B, r), real = pair.usesReal ? realBatch(B, r) : null;
        var res = tf.variableGrads(function () {
          return pair.g(real && forward(D, real), forward(D, forward(G, z)));
        }, G);
        if (apply) gOpt.applyGradients(res.grads);
        return tf.stack([res.value, globalNorm(res.grads)]);
      });
    }
    function keepStats(key, value) { if (t[key]) t[key].dispose(); t[key] = value; }

    // The fixed points behind the curves and the view, from their own stream so that measuring
    // never changes the training's random numbers.
    t.refreshEval = function () {
      if (t.evalSet) t.evalSet.z.dispose();
      var r = mulberry32((s.seed ^ 0x5bd1e995) >>> 0), has = s.data !== "drawn" || drawn.length > 0;
      var angles = [];
      for (var k = 0; k < EVAL_DIRECTIONS; k++) angles.push(Math.PI * r());
      t.evalSet = { z: latentBatch(EVAL_POINTS, r), angles: angles,
        real: has ? samplePoints(s.data, EVAL_POINTS, r, drawn) : null };
    };
    // Stats at the initial weights, without an update, so that the curves start at round 0.
    t.probe = function () {
      var r = mulberry32((s.seed ^ 0x2545f491) >>> 0);
      keepStats("dStats", dPass(r, false));
      keepStats("gStats", gPass(r, false));
    };
    t.stepD = function () { keepStats("dStats", dPass(rand, true)); t.dSteps++; };
    t.stepG = function () { keepStats("gStats", gPass(rand, true)); t.gSteps++; };
    t.fakes = function () { return readBack(tf.tidy(function () { return forward(G, t.evalSet.z); })); };
    t.critic = function (points) {
      return Array.from(readBack(tf.tidy(function () {
        return forward(D, tf.tensor2d(points.flat(), [points.length, 2])).reshape([-1]);
      })));
    };
    // The same penalty functions as the training, on given points (for checking them).
    t.penalties = function (real, fake, alphas) {
      var v = readBack(tf.tidy(function () {
        var xr = tf.tensor2d(real.flat(), [real.length, 2]), xf = tf.tensor2d(fake.flat(), [fake.length, 2]);
        return tf.stack([gradientPenalty(D, xr, xf, tf.tensor2d(alphas, [alphas.length, 1])), r1Penalty(D, xr)]);
      }));
      return { gp: v[0], r1: v[1] };
    };
    // Everything the view draws, read back from the accelerator in one go.
    t.view = function (withArrows) {
      var data = readBack(tf.tidy(function () {
        var fakes = forward(G, t.evalSet.z), parts = [display(forward(D, mapGrid)), fakes, forward(G, meshZ)];
        if (withArrows) {
          var realOut = pair.usesReal ? forward(D, tf.tensor2d(t.evalSet.real, [EVAL_POINTS, 2])) : null;
          var push = tf.grad(function (x) { return pair.g(realOut, forward(D, x)); }); // ∂L_G/∂x_f
          parts.push(push(fakes.slice([0, 0], [ARROWS, 2])).neg());
        }
        return tf.concat(parts.map(function (p) { return p.reshape([-1]); }));
      }));
      var m = MAP_CELLS * MAP_CELLS, f = m + 2 * EVAL_POINTS, h = f + 2 * MESH_SIDE * MESH_SIDE;
      return { map: data.subarray(0, m), fakes: data.subarray(m, f), mesh: data.subarray(f, h),
        arrows: withArrows ? data.subarray(h) : null };
    };
    t.dispose = function () {
      D.concat(G, [mapGrid, meshZ, t.evalSet.z]).forEach(function (v) { v.dispose(); });
      [t.dStats, t.gStats].forEach(function (v) { if (v) v.dispose(); });
      dOpt.dispose();
      gOpt.dispose();
    };
    t.refreshEval();
    return t;
  }

  // ---- drawing helpers --------------------------------------------------------------------

  var rgbCache = {};
  function rgbOf(colour) { // a canvas turns any CSS colour (hsla, var-resolved…) into RGBA
    if (!rgbCache[colour]) {
      var c = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
      c.fillStyle = colour;
      c.fillRect(0, 0, 1, 1);
      rgbCache[colour] = c.getImageData(0, 0, 1, 1).data;
    }
    return rgbCache[colour];
  }
  function readColours(root) {
    var style = getComputedStyle(root);
    function v(name, fallback) { return style.getPropertyValue(name).trim() || fallback; }
    return { real: v("--gbl-real", "#00897b"), fake: v("--gbl-fake", "#e65100"),
      fg: v("--gbl-fg", "#222"), muted: v("--gbl-muted", "#666"), bg: v("--gbl-bg", "#fff"),
      grid: v("--gbl-grid", "rgba(0,0,0,0.08)") };
  }
  // Sizes the canvas bitmap to its CSS box and the device's pixel ratio; drawing is in CSS px.
  function fitCanvas(canvas) {
    var dpr = window.devicePixelRatio || 1, w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    var ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    return { ctx: ctx, w: w, h: h };
  }
  function niceTicks(lo, hi, count) {
    var raw = (hi - lo) / count, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * mag; }).find(function (s) { return s >= raw; });
    var ticks = [];
    for (var v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(v);
    return { ticks: ticks, step: step };
  }
  function formatNumber(v, step) {
    if (v === null || !isFinite(v)) return "–";
    var abs = Math.abs(step || v);
    if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return v.toExponential(1);
    var digits = step ? Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) : (abs < 1 ? 3 : 2);
    return (Math.abs(v) < step * 1e-6 ? 0 : v).toFixed(Math.min(digits, 6));
  }

  // A line chart with y ticks on the left and round ticks below; `range` may fix either end of
  // the y axis (0 for a norm or a distance).
  function drawChart(canvas, xs, series, colours, range) {
    var c = fitCanvas(canvas), ctx = c.ctx, L = 44, R = 8, T = 6, B = 18;
    ctx.clearRect(0, 0, c.w, c.h);
    ctx.font = "10px system-ui, sans-serif";
    var ys = [];
    series.forEach(function (s) { s.values.forEach(function (v) { if (v !== null && isFinite(v)) ys.push(v); }); });
    if (!ys.length || c.w < L + R + 10) return;
    var lo = Math.min(Math.min.apply(null, ys), range.min === undefined ? Infinity : range.min);
    var hi = Math.max(Math.max.apply(null, ys), range.max === undefined ? -Infinity : range.max);
    if (hi - lo < 1e-9 * Math.max(1, Math.abs(hi))) { // a flat line: give it room
      if (range.max === undefined) hi += 0.5 + 0.1 * Math.abs(hi);
      if (range.min === undefined) lo -= 0.5 + 0.1 * Math.abs(lo);
    }
    var pad = (hi - lo) * 0.05;
    if (range.min === undefined) lo -= pad;
    if (range.max === undefined) hi += pad;
    var yt = niceTicks(lo, hi, 4);
    var x0 = xs[0], x1 = Math.max(xs[xs.length - 1], x0 + 1), xt = niceTicks(x0, x1, 4);
    function px(x) { return L + (x - x0) / (x1 - x0) * (c.w - L - R); }
    function py(y) { return T + (hi - y) / (hi - lo) * (c.h - T - B); }
    ctx.strokeStyle = colours.grid;
    ctx.fillStyle = colours.muted;
    ctx.lineWidth = 1;
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    yt.ticks.forEach(function (y) {
      ctx.beginPath(); ctx.moveTo(L, py(y)); ctx.lineTo(c.w - R, py(y)); ctx.stroke();
      ctx.fillText(formatNumber(y, yt.step), L - 4, py(y));
    });
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    xt.ticks.filter(function (x) { return x === Math.round(x); }).forEach(function (x) {
      var half = ctx.measureText(String(x)).width / 2; // the last label stays inside the canvas
      ctx.fillText(String(x), Math.min(px(x), c.w - half - 1), c.h - B + 4);
    });
    ctx.strokeStyle = colours.muted;
    ctx.beginPath(); ctx.moveTo(L, T); ctx.lineTo(L, c.h - B); ctx.lineTo(c.w - R, c.h - B); ctx.stroke();
    ctx.lineWidth = 1.6;
    series.forEach(function (s) {
      ctx.strokeStyle = colours[s.colour];
      ctx.beginPath();
      var pen = false;
      s.values.forEach(function (v, i) {
        if (v === null || !isFinite(v)) { pen = false; return; }
        if (pen) ctx.lineTo(px(xs[i]), py(v)); else ctx.moveTo(px(xs[i]), py(v));
        pen = true;
      });
      ctx.stroke();
    });
  }

  // ---- the page: controls, canvases, legends ------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  var DATA_LABELS = { ring: "ring of 8", grid: "grid of 25", two: "two Gaussians", line: "line",
    drawn: "your points" };
  var LAYER_LABELS = { map: "D's map", real: "real samples", fake: "fake samples",
    arrows: "gradient arrows", mesh: "latent grid image" };
  // [key, label, kind, options]; kind "select" takes the choices, "number" an input's step.
  var CONTROL_GROUPS = [
    ["Problem", [["data", "Data set", "select", DATA_NAMES], ["loss", "Loss", "select", LOSS_NAMES],
      ["seed", "Seed", "number", "1"]]],
    ["Penalties", [["r1", "R1 penalty", "checkbox"], ["gamma", "R1 weight γ", "number", "any"],
      ["clip", "Clip c (WGAN)", "number", "any"]]],
    ["Optimisers", [["dopt", "D optimiser", "select", OPTIMISERS], ["dlr", "D learning rate", "number", "any"],
      ["gopt", "G optimiser", "select", OPTIMISERS], ["glr", "G learning rate", "number", "any"],
      ["ncritic", "D steps per round", "number", "1"]]],
    ["Networks", [["width", "Hidden units", "number", "1"], ["depth", "Hidden layers", "number", "1"],
      ["batch", "Batch size", "number", "1"]]],
  ];
  // Series are [metric of metrics(), legend, colour]; the charts' x axis is the round.
  var CHARTS = [
    { key: "loss", title: "Losses", series: [["dLoss", "D", "real"], ["gLoss", "G", "fake"]] },
    { key: "out", title: "Mean σ(D(·))", series: [["dReal", "on real", "real"], ["dFake", "on fake", "fake"]] },
    { key: "norm", title: "Parameter gradient norms", series: [["dGradNorm", "D", "real"], ["gGradNorm", "G", "fake"]], min: 0 },
    { key: "w1", title: "Sliced W1 to the data", series: [["slicedW1", "fakes vs real", "fg"]], min: 0 },
    { key: "modes", title: "Modes covered", series: [["modesCovered", "modes", "fg"]], min: 0 },
  ];
  var mountCount = 0;

  function buildControl(ui, id, spec) {
    var key = spec[0], input;
    if (spec[2] === "select") {
      input = el("select", { id: id + key, "data-key": key },
        spec[3].map(function (v) { return el("option", { value: v, text: key === "data" ? DATA_LABELS[v] : v }); }));
    } else if (spec[2] === "checkbox") {
      input = el("input", { id: id + key, "data-key": key, type: "checkbox" });
    } else {
      input = el("input", { id: id + key, "data-key": key, type: "number", step: spec[3], min: "0",
        inputmode: spec[3] === "1" ? "numeric" : "decimal" });
    }
    ui.inputs[key] = input;
    var label = el("label", { for: id + key, text: spec[1] });
    return el("div", { class: "gbl-field gbl-" + spec[2] }, spec[2] === "checkbox" ? [input, label] : [label, input]);
  }

  function buildUi(root) {
    var id = "gbl" + (++mountCount) + "-", ui = { inputs: {}, layers: {}, charts: {} };
    function button(name, text, extra) {
      ui[name] = el("button", Object.assign({ type: "button", class: "gbl-button", text: text }, extra || {}));
      return ui[name];
    }
    ui.canvas = el("canvas", { class: "gbl-view", role: "img", "aria-label": "Training view" });
    ui.hint = el("p", { class: "gbl-hint", text: "Click or drag on this square to draw data points." });
    ui.mapLegend = el("span", { class: "gbl-map-legend" });
    ui.slow = el("input", { id: id + "slow", type: "checkbox" });
    ui.status = el("p", { class: "gbl-status" });
    var run = el("fieldset", { class: "gbl-run" }, [el("legend", { text: "Training" }),
      el("div", { class: "gbl-buttons" }, [
        button("play", "Play", { "aria-pressed": "false", class: "gbl-button gbl-play" }),
        button("dStep", "D step", { title: "One discriminator update (d)" }),
        button("gStep", "G step", { title: "One generator update (g)" }),
        button("roundButton", "Round", { title: "n_critic D steps, then one G step (r)" }),
        button("resetButton", "Reset", { title: "New weights from the seed (0)" })]),
      el("div", { class: "gbl-field gbl-checkbox" }, [ui.slow, el("label", { for: id + "slow", text: "Slow motion" })]),
      ui.status]);
    var layers = el("fieldset", { class: "gbl-layers" }, [el("legend", { text: "Layers" })].concat(
      LAYER_NAMES.map(function (name) {
        ui.layers[name] = el("input", { id: id + "layer-" + name, type: "checkbox", "data-layer": name });
        return el("div", { class: "gbl-field gbl-checkbox" }, [ui.layers[name],
          el("label", { for: id + "layer-" + name, text: LAYER_LABELS[name] })]);
      })));
    var stage = el("div", { class: "gbl-stage" }, [run,
      el("div", { class: "gbl-canvas-box" }, [ui.canvas, ui.hint]),
      el("p", { class: "gbl-legend" }, [el("span", { class: "gbl-key gbl-key-real", text: "real" }),
        el("span", { class: "gbl-key gbl-key-fake", text: "fake (generated)" }), ui.mapLegend]),
      layers]);
    var groups = CONTROL_GROUPS.map(function (g) {
      return el("fieldset", { class: "gbl-" + g[0].toLowerCase() }, [el("legend", { text: g[0] })].concat(g[1].map(function (spec) {
        return buildControl(ui, id, spec);
      })));
    });
    groups[0].appendChild(button("clear", "Clear points"));
    ui.form = el("form", { class: "gbl-top", "aria-label": "GAN lab" }, [stage,
      el("div", { class: "gbl-settings" }, groups)]);
    ui.note = el("p", { class: "gbl-note", role: "status", "aria-live": "polite" });
    var curves = el("div", { class: "gbl-curves" }, CHARTS.map(function (chart) {
      var canvas = el("canvas", { class: "gbl-chart", role: "img", "aria-label": chart.title });
      var caption = el("figcaption", {}, [el("span", { class: "gbl-chart-title", text: chart.title })].concat(
        chart.series.map(function (s) { return el("span", { class: "gbl-key gbl-key-" + s[2], text: s[1] }); })));
      ui.charts[chart.key] = { canvas: canvas, caption: caption, figure: el("figure", { class: "gbl-figure" }, [caption, canvas]) };
      return ui.charts[chart.key].figure;
    }));
    root.replaceChildren(ui.form, ui.note, curves);
    return ui;
  }

  // ---- one lab on one element -----------------------------------------------------------------

  function createLab(root, backend) {
    var parsed = settingsFromQuery(location.search), s = parsed.settings;
    var ui = buildUi(root), drawn = [], trainer = null, curves = null;
    var playing = false, timer = null, frame = null, destroyed = false;
    var lastDraw = 0, lastRecorded = -1, pointer = null, rate = { t: 0, g: 0, value: null };
    var mapCanvas = el("canvas", { width: MAP_CELLS, height: MAP_CELLS }); // D's map, one pixel a cell
    if (!root.hasAttribute("tabindex")) root.setAttribute("tabindex", "-1"); // for the shortcuts

    function say(text) { ui.note.textContent = text; }
    function sayNotes(notes) { say(notes.length ? "Not valid, so not used: " + notes.join(", ") + "." : ""); }
    function hasData() { return s.data !== "drawn" || drawn.length > 0; }
    function canTrain() {
      if (!hasData()) say("Draw some points on the canvas first: there is no data to learn.");
      return hasData();
    }

    function newCurves() {
      var h = { x: [] };
      CHARTS.forEach(function (c) { c.series.forEach(function (sr) { h[sr[0]] = []; }); });
      return h;
    }
    // Reads the latest numbers back (one synchronisation with the accelerator).
    function metrics() {
      var d = trainer.dStats ? trainer.dStats.dataSync() : [], g = trainer.gStats ? trainer.gStats.dataSync() : [];
      var set = DATASETS[s.data], ev = trainer.evalSet, fakes = ev.real ? trainer.fakes() : null;
      function at(a, i) { return a.length > i ? a[i] : null; }
      return { rounds: trainer.gSteps, dSteps: trainer.dSteps, dLoss: at(d, 0), gLoss: at(g, 0),
        dReal: at(d, 1), dFake: at(d, 2), dGradNorm: at(d, 3), gGradNorm: at(g, 1),
        slicedW1: fakes ? slicedW1(fakes, ev.real, ev.angles) : null,
        modesCovered: fakes && set.modes ? modesCovered(fakes, set.centres, set.std) : null,
        backend: backend };
    }
    function record() {
      var m = metrics(), h = curves;
      Object.keys(h).forEach(function (k) { h[k].push(k === "x" ? m.rounds : m[k]); });
      if (h.x.length > HISTORY_CAP) {
        Object.keys(h).forEach(function (k) { h[k] = h[k].filter(function (v, i) { return i % 2 === 0; }); });
      }
      lastRecorded = m.rounds;
      updateStatus(m);
      return m;
    }
    function updateStatus(m) {
      var now = performance.now();
      if (now - rate.t > 1000) {
        rate.value = playing && rate.t ? (m.rounds - rate.g) / ((now - rate.t) / 1000) : null;
        rate.t = now;
        rate.g = m.rounds;
      }
      ui.status.textContent = "Backend: " + backend + " · round " + m.rounds +
        (rate.value !== null ? " · " + rate.value.toFixed(0) + " G steps/s" : "");
      ui.canvas.setAttribute("aria-label", "Training view of the square from −2 to 2: " + DATA_LABELS[s.data] +
        " data, " + s.loss + " loss, round " + m.rounds + (m.slicedW1 !== null ? ", sliced W1 " + formatNumber(m.slicedW1) : "") +
        (m.modesCovered !== null ? ", " + m.modesCovered + " of " + DATASETS[s.data].centres.length + " modes covered" : "") + ".");
      CHARTS.forEach(function (c) {
        ui.charts[c.key].canvas.setAttribute("aria-label", chartTitle(c) + " over rounds; now " + c.series.map(function (sr) {
          return sr[1] + " " + formatNumber(curves[sr[0]][curves[sr[0]].length - 1]);
        }).join(", ") + ".");
      });
    }

    function chartTitle(chart) { // score losses have no probability to show
      return chart.key === "out" && LOSSES[s.loss].output === "score" ? "Mean raw score D(·)" : chart.title;
    }

    // ---- drawing
    function draw() {
      if (destroyed) return;
      lastDraw = performance.now();
      var colours = readColours(root), view = trainer.view(s.layers.indexOf("arrows") >= 0 && hasData());
      drawView(colours, view);
      CHARTS.forEach(function (c) {
        drawChart(ui.charts[c.key].canvas, curves.x, c.series.map(function (sr) {
          return { values: curves[sr[0]], colour: sr[2] };
        }), colours, { min: c.min, max: c.key === "modes" && DATASETS[s.data].modes ? DATASETS[s.data].centres.length : undefined });
      });
    }
    function drawView(colours, view) {
      var c = fitCanvas(ui.canvas), ctx = c.ctx, on = {};
      s.layers.forEach(function (l) { on[l] = true; });
      function px(x) { return (x + 2) / 4 * c.w; }
      function py(y) { return (2 - y) / 4 * c.h; }
      ctx.fillStyle = colours.bg;
      ctx.fillRect(0, 0, c.w, c.h);
      if (on.map) drawMap(ctx, c, view.map, colours);
      ctx.strokeStyle = colours.grid;
      ctx.lineWidth = 1;
      for (var g = -1; g <= 1; g++) {
        ctx.beginPath(); ctx.moveTo(px(g), 0); ctx.lineTo(px(g), c.h); ctx.moveTo(0, py(g)); ctx.lineTo(c.w, py(g)); ctx.stroke();
      }
      if (on.mesh) drawMesh(ctx, view.mesh, px, py, colours);
      if (on.real && trainer.evalSet.real) drawPoints(ctx, trainer.evalSet.real, px, py, colours.real, colours.bg, "circle");
      if (on.fake) drawPoints(ctx, view.fakes, px, py, colours.fake, colours.bg, "square");
      if (on.arrows && view.arrows) drawArrows(ctx, view.fakes, view.arrows, px, py, colours.fg);
      ui.hint.hidden = hasData();
    }
    // σ(D) or the raw score on the grid, as a tint: towards the real colour where D says real
    // (σ > ½, or a score above the middle of its range), the fake colour where it says fake.
    function drawMap(ctx, c, values, colours) {
      var logit = LOSSES[s.loss].output === "logit", lo = Infinity, hi = -Infinity;
      values.forEach(function (v) { lo = Math.min(lo, v); hi = Math.max(hi, v); });
      var mid = logit ? 0.5 : (lo + hi) / 2, half = logit ? 0.5 : Math.max((hi - lo) / 2, 1e-12);
      var real = rgbOf(colours.real), fake = rgbOf(colours.fake);
      var img = mapCanvas.getContext("2d").createImageData(MAP_CELLS, MAP_CELLS);
      for (var i = 0; i < values.length; i++) {
        var t = Math.max(-1, Math.min(1, (values[i] - mid) / half)), rgb = t > 0 ? real : fake;
        // √|t| for σ: D's early, small departures from ½ stay visible (a score is already spread
        // over its whole range)
        var strength = logit ? Math.sqrt(Math.abs(t)) : Math.abs(t);
        img.data.set([rgb[0], rgb[1], rgb[2], Math.round(255 * 0.6 * strength)], 4 * i);
      }
      mapCanvas.getContext("2d").putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(mapCanvas, 0, 0, c.w, c.h);
      ui.mapLegend.textContent = logit ? "map: σ(D(x)), fake 0 … ½ … 1 real"
        : "map: critic score D(x), " + formatNumber(lo) + " (fake) … " + formatNumber(hi) + " (real)";
    }
    function drawPoints(ctx, pts, px, py, colour, outline, shape) {
      ctx.fillStyle = colour;
      ctx.strokeStyle = outline; // keeps points apart from a map of the same hue
      ctx.lineWidth = 0.8;
      ctx.beginPath();
      for (var i = 0; i < pts.length; i += 2) {
        var x = px(pts[i]), y = py(pts[i + 1]);
        if (shape === "circle") { ctx.moveTo(x + 2.2, y); ctx.arc(x, y, 2.2, 0, 2 * Math.PI); } else ctx.rect(x - 1.9, y - 1.9, 3.8, 3.8);
      }
      ctx.stroke(); // outlines first, so that inside a cluster the fill wins
      ctx.fill();
    }
    function drawMesh(ctx, mesh, px, py, colours) {
      ctx.strokeStyle = colours.fake;
      ctx.globalAlpha = 0.45;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (var i = 0; i < MESH_SIDE; i++) {
        for (var j = 0; j < MESH_SIDE; j++) {
          var k = 2 * (i * MESH_SIDE + j);
          if (j > 0) { ctx.moveTo(px(mesh[k - 2]), py(mesh[k - 1])); ctx.lineTo(px(mesh[k]), py(mesh[k + 1])); }
          if (i > 0) { var u = k - 2 * MESH_SIDE; ctx.moveTo(px(mesh[u]), py(mesh[u + 1])); ctx.lineTo(px(mesh[k]), py(mesh[k + 1])); }
        }
      }
      ctx.stroke();
      ctx.globalAlpha = 1;
    }
    // −∂L_G/∂x on the first fakes; lengths relative to the longest, which is drawn 0.35 long.
    function drawArrows(ctx, fakes, arrows, px, py, colour) {
      var longest = 0;
      for (var i = 0; i < arrows.length; i += 2) longest = Math.max(longest, Math.hypot(arrows[i], arrows[i + 1]));
      if (!(longest > 0)) return;
      var k = 0.35 / longest;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.2;
      ctx.beginPath();
      for (var j = 0; j < arrows.length; j += 2) {
        var x0 = px(fakes[j]), y0 = py(fakes[j + 1]), x1 = px(fakes[j] + k * arrows[j]), y1 = py(fakes[j + 1] + k * arrows[j + 1]);
        var len = Math.hypot(x1 - x0, y1 - y0), head = Math.min(4, len / 2), a = Math.atan2(y1 - y0, x1 - x0);
        if (len < 0.5) continue;
        ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
        ctx.moveTo(x1 - head * Math.cos(a - 0.5), y1 - head * Math.sin(a - 0.5)); ctx.lineTo(x1, y1);
        ctx.lineTo(x1 - head * Math.cos(a + 0.5), y1 - head * Math.sin(a + 0.5));
      }
      ctx.stroke();
    }

    // ---- training
    function quietRound() {
      if (!hasData()) return false;
      for (var i = 0; i < s.ncritic; i++) trainer.stepD();
      trainer.stepG();
      return true;
    }
    function manual(step) {
      return function () {
        if (!canTrain()) return false;
        step();
        record();
        draw();
        return true;
      };
    }
    var stepD = manual(function () { trainer.stepD(); });
    var stepG = manual(function () { trainer.stepG(); });
    var round = manual(quietRound);

    function tick() {
      timer = frame = null;
      if (!playing || destroyed) return;
      if (!canTrain()) { pause(); return; }
      if (ui.slow.checked) {
        round();
        timer = setTimeout(tick, 1000 / SLOW_ROUNDS_PER_SECOND);
        return;
      }
      var start = performance.now();
      while (performance.now() - start < FRAME_BUDGET_MS) {
        quietRound();
        if (trainer.gSteps - lastRecorded >= RECORD_EVERY) record();
      }
      if (performance.now() - lastDraw > DRAW_EVERY_MS) draw();
      frame = requestAnimationFrame(tick);
    }
    function stopTimers() {
      if (timer !== null) clearTimeout(timer);
      if (frame !== null) cancelAnimationFrame(frame);
      timer = frame = null;
    }
    function play() {
      if (playing || destroyed || !canTrain()) return;
      playing = true;
      rate.t = 0;
      syncPlay();
      tick();
    }
    function pause() {
      playing = false;
      stopTimers();
      syncPlay();
    }
    function syncPlay() {
      ui.play.textContent = playing ? "Pause" : "Play";
      ui.play.setAttribute("aria-pressed", String(playing));
    }
    function nextTask() { return new Promise(function (resolve) { setTimeout(resolve, 0); }); }

    // As fast as possible, yielding to the browser (and redrawing) every DRAW_EVERY_MS.
    async function train(rounds) {
      pause();
      if (!canTrain()) return metrics();
      for (var i = 0; i < rounds && !destroyed; i++) {
        quietRound();
        if (trainer.gSteps - lastRecorded >= RECORD_EVERY) record();
        if (performance.now() - lastDraw > DRAW_EVERY_MS) {
          draw();
          await nextTask();
        }
      }
      if (destroyed) return null;
      var m = record();
      draw();
      return m;
    }
    async function speed(rounds) {
      pause();
      trainer.fakes(); // wait for queued work before the clock starts
      var start = performance.now(), g0 = trainer.gSteps;
      await train(rounds);
      return (trainer.gSteps - g0) / ((performance.now() - start) / 1000);
    }

    function reset() {
      if (trainer) trainer.dispose();
      trainer = createTrainer(s, drawn);
      if (hasData()) trainer.probe();
      curves = newCurves();
      record();
      draw();
    }

    // ---- settings ↔ UI ↔ address
    function syncUi() {
      Object.keys(ui.inputs).forEach(function (key) {
        var input = ui.inputs[key];
        if (input.type === "checkbox") input.checked = s[key];
        else input.value = FIELDS[key].format(s[key]);
      });
      LAYER_NAMES.forEach(function (n) { ui.layers[n].checked = s.layers.indexOf(n) >= 0; });
      ui.inputs.gamma.disabled = !s.r1;
      ui.inputs.clip.disabled = !LOSSES[s.loss].clip;
      ui.clear.hidden = s.data !== "drawn";
      root.classList.toggle("gbl-drawing", s.data === "drawn");
      ui.charts.modes.figure.hidden = !DATASETS[s.data].modes;
      ui.charts.out.caption.firstChild.textContent = chartTitle(CHARTS[1]);
    }
    function writeUrl() {
      var search = queryFor(s, location.search);
      if (search !== location.search) history.replaceState(history.state, "", location.pathname + search + location.hash);
    }
    function set(partial) {
      var r = applySettings(s, partial || {});
      s = r.settings;
      sayNotes(r.notes);
      writeUrl();
      syncUi();
      reset();
      return settings();
    }
    function settings() { return Object.assign({}, s, { layers: s.layers.slice() }); }

    function onChange(event) {
      var target = event.target, key = target.getAttribute("data-key");
      if (target.hasAttribute("data-layer")) {
        s.layers = LAYER_NAMES.filter(function (n) { return ui.layers[n].checked; });
        writeUrl();
        draw();
      } else if (key) {
        var partial = {};
        partial[key] = target.type === "checkbox" ? target.checked : target.value;
        set(partial);
      }
    }
    function onKey(event) {
      var t = event.target, tag = t.tagName, typing = tag === "SELECT" || tag === "TEXTAREA" ||
        (tag === "INPUT" && t.type !== "checkbox");
      if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
      var interactive = tag === "BUTTON" || tag === "INPUT"; // Space already activates these
      var actions = { d: stepD, g: stepG, r: round, 0: reset };
      if (event.key === " " && !interactive) { if (playing) pause(); else play(); }
      else if (actions[event.key]) actions[event.key]();
      else return;
      event.preventDefault();
    }
    // Drawing data: a click adds a point, a drag adds one every 0.04 data units.
    function onPointer(event) {
      if (s.data !== "drawn") return;
      if (event.type === "pointerdown") { pointer = event.pointerId; ui.canvas.setPointerCapture(pointer); }
      else if (pointer !== event.pointerId) return;
      if (event.type === "pointerup" || event.type === "pointercancel") { pointer = null; return; }
      var box = ui.canvas.getBoundingClientRect();
      var p = [(event.clientX - box.left) / box.width * 4 - 2, 2 - (event.clientY - box.top) / box.height * 4];
      var last = drawn[drawn.length - 1];
      if (event.type === "pointermove" && last && Math.hypot(p[0] - last[0], p[1] - last[1]) < 0.04) return;
      addPoints([p]);
      event.preventDefault();
    }
    function addPoints(points) {
      points.forEach(function (p) {
        if (drawn.length < 5000 && isFinite(p[0]) && isFinite(p[1])) drawn.push([Number(p[0]), Number(p[1])]);
      });
      trainer.refreshEval();
      if (!trainer.dStats && hasData()) trainer.probe();
      say("");
      if (!playing) draw();
    }
    function clearPoints() {
      drawn.length = 0;
      pause();
      reset();
    }

    ui.form.addEventListener("change", onChange);
    ui.form.addEventListener("submit", function (event) { event.preventDefault(); }); // Enter: a change, no reload
    ui.play.addEventListener("click", function () { if (playing) pause(); else play(); });
    ui.dStep.addEventListener("click", function () { stepD(); });
    ui.gStep.addEventListener("click", function () { stepG(); });
    ui.roundButton.addEventListener("click", function () { round(); });
    ui.resetButton.addEventListener("click", reset);
    ui.clear.addEventListener("click", clearPoints);
    root.addEventListener("keydown", onKey);
    ["pointerdown", "pointermove", "pointerup", "pointercancel"].forEach(function (type) {
      ui.canvas.addEventListener(type, onPointer);
    });
    // Redraw when the box changes size or the reader switches light/dark.
    var redraw = function () { if (!playing && !destroyed) requestAnimationFrame(draw); };
    var resize = new ResizeObserver(redraw), scheme = new MutationObserver(redraw);
    resize.observe(ui.canvas);
    scheme.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

    sayNotes(parsed.notes);
    writeUrl();
    syncUi();
    reset();

    return {
      root: root,
      settings: settings, set: set, reset: reset, stepD: stepD, stepG: stepG, round: round,
      play: play, pause: pause, isPlaying: function () { return playing; },
      train: train, metrics: metrics, speed: speed, addPoints: addPoints, clearPoints: clearPoints,
      critic: function (points) { return trainer.critic(points); },
      // the evaluation points, G on the fixed evaluation latents and the real sample they are
      // measured against, as flat [x0, y0, x1, y1, …] arrays, for a test's own distances
      samples: function () {
        if (!trainer.evalSet.real) return null;
        return { fake: Array.from(trainer.fakes()), real: Array.from(trainer.evalSet.real) };
      },
      penalties: function (real, fake, alphas) { return trainer.penalties(real, fake, alphas); },
      destroy: function () {
        pause();
        destroyed = true;
        resize.disconnect();
        scheme.disconnect();
        trainer.dispose();
      },
    };
  }

  // ---- loading TensorFlow.js, mounting, the global API -----------------------------------------

  var backendPromise = null;
  function tfScriptUrl() {
    var own = SCRIPT_SRC || (document.querySelector('script[src*="javascripts/lab.js"]') || {}).src || document.baseURI;
    return new URL("../assets/tfjs/tf.min.js", own).href;
  }
  function loadTf() {
    if (!backendPromise) {
      backendPromise = new Promise(function (resolve, reject) {
        if (window.tf) { resolve(); return; }
        var script = document.createElement("script");
        script.src = tfScriptUrl();
        script.onload = function () { resolve(); };
        script.onerror = function () { reject(new Error("could not load TensorFlow.js from " + script.src)); };
        document.head.appendChild(script);
      }).then(function () {
        // WebGL where the browser has it, else the plain JavaScript backend.
        return tf.setBackend("webgl").catch(function () { return false; })
          .then(function (ok) { return ok || tf.setBackend("cpu"); })
          .then(function () { return tf.ready(); })
          .then(function () { return tf.getBackend(); });
      });
    }
    return backendPromise;
  }

  function toValues(name, values) {
    if (!values || !(values.length > 0)) throw new Error(name + " must be a non-empty array of numbers");
    return Float32Array.from(values);
  }
  function numericLoss(name) {
    return function (dReal, dFake) {
      if (!window.tf) throw new Error("TensorFlow.js is not loaded yet");
      var r = toValues("dReal", dReal), f = toValues("dFake", dFake);
      return tf.tidy(function () {
        var real = tf.tensor1d(r), fake = tf.tensor1d(f);
        return { discriminator: LOSSES[name].d(real, fake).dataSync()[0],
          generator: LOSSES[name].g(real, fake).dataSync()[0] };
      });
    };
  }

  var api = { lossNames: LOSS_NAMES.slice(), losses: {}, current: null, ready: null };
  LOSS_NAMES.forEach(function (name) { api.losses[name] = numericLoss(name); });
  window.ganbookLab = api;

  // `ready` is pending until a lab is mounted; after a lab is unmounted a fresh one waits.
  var settleReady = null;
  function newReady() {
    api.ready = new Promise(function (resolve, reject) { settleReady = { resolve: resolve, reject: reject }; });
    api.ready.catch(function () {}); // a failed load is shown on the page; not an unhandled rejection
  }
  newReady();

  var mounting = null; // the element whose lab is being loaded
  function onPage() {
    var root = document.getElementById("ganbook-lab");
    if (api.current && api.current.root === root) return; // same element: already mounted
    if (api.current) {
      api.current.destroy();
      api.current = null;
      newReady();
    }
    if (!root || mounting === root) return;
    mounting = root;
    root.setAttribute("aria-busy", "true");
    loadTf().then(function (backend) {
      if (mounting !== root || !document.contains(root)) return; // the page changed meanwhile
      mounting = null;
      root.removeAttribute("aria-busy");
      api.current = createLab(root, backend);
      settleReady.resolve(api.current);
    }).catch(function (error) {
      mounting = null;
      root.removeAttribute("aria-busy");
      root.replaceChildren(Object.assign(document.createElement("p"), {
        className: "gbl-note", textContent: "The lab could not start: " + error.message }));
      settleReady.reject(error);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(onPage);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", onPage);
  else onPage();
})();
