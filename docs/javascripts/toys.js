// Two steppable toys, closed forms only, drawn on <canvas>: the shift toy of Part 1 and the
// Dirac-GAN of Part 2. A page asks for one with
//
//   <div class="gb-toy" data-toy="shift"></div>   or   <div class="gb-toy" data-toy="dirac"></div>
//
// The numerics mirror the Python package function by function and are exposed without any DOM
// as window.ganbookToys.shift and window.ganbookToys.dirac, so that the browser tests can compare
// them with ganbook.theory. The site loads this file on every page, and Material's instant
// navigation swaps pages without reloading it: the toys are mounted on every emission of
// `document$` (once on DOMContentLoaded without Material), and a toy whose element has left the
// page stops its timer and its observer.
(function () {
  "use strict";

  if (window.ganbookToys) return; // loaded twice: the first copy already owns the page

  // ---- numerics shared by both toys ----------------------------------------------------------

  function sigmoid(t) {
    // written both ways so that neither overflows: full relative precision for t << 0 too
    if (t >= 0) return 1 / (1 + Math.exp(-t));
    const e = Math.exp(t);
    return e / (1 + e);
  }

  function logSigmoid(t) {
    // log σ(t) = -softplus(-t), stable for large |t|
    return -(Math.max(-t, 0) + Math.log1p(Math.exp(-Math.abs(t))));
  }

  const NORMAL_REACH = 12; // nodes 12 standard deviations past the mass: what is left is < 1e-32

  function gaussianMean(g, mean, sd) {
    // E g(mean + sd·u), u ~ N(0, 1): the trapezoid rule with normalised Gaussian weights, the
    // rule of the saturation chapter's experiments (an even grid in z). Every g here is a
    // function of a logit, analytic for |Im| < π, that is |Im u| < π/sd, so the rule's error
    // falls like exp(-2π (π/sd) / h): below 1e-16 at h = 0.5/sd. The cap h ≤ 0.25 keeps the
    // Gaussian weights themselves exact to rounding when sd is small. Where g is exponential
    // in the logit (σ far on its tail), the weighted integrand peaks at u = ±sd, not at 0:
    // the nodes reach that far plus NORMAL_REACH.
    const reach = NORMAL_REACH + sd;
    const n = Math.ceil(reach / Math.min(0.25, 0.5 / sd));
    const h = reach / n;
    let total = 0;
    let weights = 0;
    for (let i = -n; i <= n; i++) {
      const u = i * h;
      const w = Math.exp(-0.5 * u * u);
      total += w * g(mean + sd * u);
      weights += w;
    }
    return total / weights;
  }

  function normalDensity(x, mean, sd) {
    const u = (x - mean) / sd;
    return Math.exp(-0.5 * u * u) / (sd * Math.sqrt(2 * Math.PI));
  }

  // ---- the shift toy: data N(mu, sigma²), generator x = z + theta, D(x) = σ(a x + b) -------
  //
  // a is the slope and b the intercept of D's logit: a = phi1 and b = phi0 of ganbook's
  // LogisticDiscriminator and of gaussian_optimal_logistic_parameters (which returns
  // (phi0, phi1), intercept first). Under x ~ N(m, sigma²) the logit a x + b is
  // N(a m + b, (a sigma)²), so every expectation below is one gaussianMean over the logit.

  function logitMean(g, mean, sigma, a, b) {
    return gaussianMean(g, a * mean + b, Math.abs(a) * sigma);
  }

  function optimalDiscriminator(mu, sigma, theta) {
    // logit D*(x) = ((mu - theta) x + (theta² - mu²)/2) / sigma², as in
    // gaussian_optimal_discriminator_logit: D* is exactly logistic here
    const s2 = sigma * sigma;
    return { a: (mu - theta) / s2, b: (theta * theta - mu * mu) / (2 * s2) };
  }

  function value(mu, sigma, theta, a, b) {
    // V = E_data log D + E_gen log(1 - D), with log(1 - σ(l)) = log σ(-l)
    const real = logitMean(logSigmoid, mu, sigma, a, b);
    const fake = logitMean((l) => logSigmoid(-l), theta, sigma, a, b);
    return real + fake;
  }

  function checkLoss(loss) {
    if (loss !== "minimax" && loss !== "non-saturating") {
      throw new Error(`unknown loss ${JSON.stringify(loss)}; use "minimax" or "non-saturating"`);
    }
    return loss;
  }

  function generatorLoss(mu, sigma, theta, a, b, loss) {
    // minimax (saturating) E log(1 - D(G(z))), non-saturating -E log D(G(z)), as in
    // ganbook.losses; mu does not enter, it keeps the signature of value()
    return checkLoss(loss) === "minimax"
      ? logitMean((l) => logSigmoid(-l), theta, sigma, a, b)
      : -logitMean(logSigmoid, theta, sigma, a, b);
  }

  function generatorGradientAt(mu, sigma, theta, a, b, loss) {
    // dL_G/dtheta with D held fixed: d/dl log σ(-l) = -σ(l) and d/dl (-log σ(l)) = -σ(-l),
    // times dl/dtheta = a since x = z + theta
    return checkLoss(loss) === "minimax"
      ? -a * logitMean(sigmoid, theta, sigma, a, b)
      : -a * logitMean((l) => sigmoid(-l), theta, sigma, a, b);
  }

  function generatorGradient(mu, sigma, theta, loss) {
    // at the optimal D of the current theta, held fixed, as generator_gradients_at_fixed_optimum
    // (ganbook.book.part1.saturation.experiments): negative for theta < mu, so that a descent
    // step moves theta towards mu
    const d = optimalDiscriminator(mu, sigma, theta);
    return generatorGradientAt(mu, sigma, theta, d.a, d.b, loss);
  }

  function descendedObjective(mu, sigma, theta, loss) {
    // What the generator descends when D is optimal at every theta: its slope at theta is
    // generatorGradient (Arjovsky and Bottou, 2017). Minimax: V(D*, G) = -log 4 + 2 JS.
    // Non-saturating: KL(p_g || p_data) - 2 JS, where KL = (theta - mu)² / (2 sigma²).
    const d = optimalDiscriminator(mu, sigma, theta);
    const atOptimum = value(mu, sigma, theta, d.a, d.b);
    if (checkLoss(loss) === "minimax") return atOptimum;
    const kl = ((theta - mu) * (theta - mu)) / (2 * sigma * sigma);
    return kl - (atOptimum + Math.log(4));
  }

  const shift = {
    optimalDiscriminator,
    value,
    generatorGradient,
    generatorGradientAt,
    generatorLoss,
    descendedObjective,
  };

  // ---- the Dirac-GAN: data δ0, generator δθ, critic D(x) = ψ x ---------------------------
  //
  // A port of ganbook.theory.dirac and dirac_games: L(θ, ψ) = f(ψθ) + f(0); the generator
  // descends L in θ, the critic ascends L + R(ψ). A game is f', f'', R', R'' and its one
  // hyperparameter, with the Python's names and defaults. The arithmetic follows the Python's
  // operation by operation, so that trajectories agree to rounding.

  const noRegulariser = () => 0;
  const logisticF1 = (t) => 1 / (1 + Math.exp(t)); // f(t) = -log(1 + e^-t): f' = σ(-t)
  const logisticF2 = (t) => -(1 / (1 + Math.exp(-t))) * (1 / (1 + Math.exp(t))); // -σ(t)σ(-t)
  const linearF1 = () => 1; // f(t) = t
  const linearF2 = () => 0;

  const GAMES = {
    gan: { f1: logisticF1, f2: logisticF2, rGrad: noRegulariser, rHess: noRegulariser },
    wgan: {
      f1: linearF1,
      f2: linearF2,
      rGrad: noRegulariser,
      rHess: noRegulariser,
      parameter: "clip",
      fallback: 1,
      positive: true,
      clips: true, // ψ is projected onto [-c, c] after every critic step
    },
    "wgan-gp": {
      f1: linearF1,
      f2: linearF2,
      // R = -lam (|ψ| - 1)²: R' = -2 lam (|ψ| - 1) sign ψ, 0 at ψ = 0; R'' = -2 lam off ψ = 0
      rGrad: (psi, lam) => -2.0 * lam * (Math.abs(psi) - 1.0) * Math.sign(psi),
      rHess: (psi, lam) => -2.0 * lam,
      parameter: "lam",
      fallback: 1,
      kinkAtZero: true, // R' jumps across ψ = 0: no Jacobian there
    },
    r1: {
      f1: logisticF1,
      f2: logisticF2,
      rGrad: (psi, gamma) => -gamma * psi, // R = -(gamma/2) ψ²
      rHess: (psi, gamma) => -gamma,
      parameter: "gamma",
      fallback: 1,
    },
  };

  function resolveGame(game, params) {
    // the game's spec and its hyperparameter (the default when absent); other keys are
    // ignored, so that one options object can carry every game's settings
    const spec = GAMES[game];
    if (!spec) {
      throw new Error(`unknown game ${JSON.stringify(game)}; use one of ${Object.keys(GAMES)}`);
    }
    if (!spec.parameter) return { spec, hyper: 0 };
    const given = params && params[spec.parameter];
    const hyper = given === undefined ? spec.fallback : Number(given);
    if (!Number.isFinite(hyper) || hyper < 0 || (spec.positive && hyper === 0)) {
      const bound = spec.positive ? "positive" : "non-negative";
      throw new Error(`${spec.parameter} must be ${bound}, got ${given}`);
    }
    return { spec, hyper };
  }

  function gameField(spec, hyper, theta, psi) {
    // (-dL/dθ, dL/dψ + R'(ψ)) = (-ψ f'(ψθ), θ f'(ψθ) + R'(ψ)), as game_field
    const slope = spec.f1(psi * theta);
    return [-psi * slope, theta * slope + spec.rGrad(psi, hyper)];
  }

  function field(game, theta, psi, params) {
    const { spec, hyper } = resolveGame(game, params);
    return gameField(spec, hyper, theta, psi);
  }

  function jacobian(game, theta, psi, params) {
    // rows (θ', ψ'), columns d/dθ, d/dψ, as dirac_jacobian; clipping is not part of the field
    const { spec, hyper } = resolveGame(game, params);
    if (psi === 0 && spec.kinkAtZero) {
      throw new Error(`the ${JSON.stringify(game)} vector field is not differentiable at psi = 0`);
    }
    const t = psi * theta;
    const f1 = spec.f1(t);
    const f2 = spec.f2(t);
    return [
      [-(psi * psi) * f2, -f1 - t * f2],
      [f1 + t * f2, theta * theta * f2 + spec.rHess(psi, hyper)],
    ];
  }

  function eigenvalues(m) {
    // of a real 2×2 matrix: tr/2 ± sqrt(((a - d)/2)² + bc), a form in which a double
    // eigenvalue comes out exact; sorted by real part, then imaginary part, descending, as the
    // Python's sorted_eigenvalues
    const half = (m[0][0] + m[1][1]) / 2;
    const gap = (m[0][0] - m[1][1]) / 2;
    const disc = gap * gap + m[0][1] * m[1][0];
    const root = Math.sqrt(Math.abs(disc));
    if (disc < 0) {
      return [
        { re: half, im: root },
        { re: half, im: -root },
      ];
    }
    return [
      { re: half + root, im: 0 },
      { re: half - root, im: 0 },
    ];
  }

  function stepSettings(opts) {
    // lr (default 0.1, > 0) and mode (default "simultaneous"), as simulate_dirac takes them
    const lr = opts.lr === undefined ? 0.1 : Number(opts.lr);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`lr must be positive, got ${opts.lr}`);
    const mode = opts.mode === undefined ? "simultaneous" : opts.mode;
    if (mode !== "simultaneous" && mode !== "alternating") {
      throw new Error(`unknown mode ${JSON.stringify(mode)}; use "simultaneous" or "alternating"`);
    }
    return { lr, mode };
  }

  function updateStep(spec, hyper, theta, psi, lr, mode) {
    // one update of simulate_dirac: the critic steps and is clipped (WGAN only), then the
    // generator steps against the old critic (simultaneous) or the new one (alternating)
    const bound = spec.clips ? hyper : Infinity;
    let [dTheta, dPsi] = gameField(spec, hyper, theta, psi);
    const psiNext = Math.min(Math.max(psi + lr * dPsi, -bound), bound);
    if (mode === "alternating") [dTheta] = gameField(spec, hyper, theta, psiNext);
    return [theta + lr * dTheta, psiNext];
  }

  function step(game, theta, psi, options) {
    // one update from (θ, ψ), the loop body of simulate: [θ', ψ']
    const opts = options || {};
    const { spec, hyper } = resolveGame(game, opts);
    const { lr, mode } = stepSettings(opts);
    return updateStep(spec, hyper, theta, psi, lr, mode);
  }

  function simulate(game, options) {
    // options: start [θ0, ψ0] (default [1, 1]), lr (0.1), steps (1000), mode ("simultaneous")
    // and the game's hyperparameter; returns steps + 1 pairs [θk, ψk], the first the start
    const opts = options || {};
    const { spec, hyper } = resolveGame(game, opts);
    const { lr, mode } = stepSettings(opts);
    const [theta0, psi0] = (opts.start || [1, 1]).map(Number);
    if (!Number.isFinite(theta0) || !Number.isFinite(psi0)) throw new Error("start must be finite");
    const steps = opts.steps === undefined ? 1000 : opts.steps;
    if (!Number.isInteger(steps) || steps < 1) {
      throw new Error(`steps must be at least 1, got ${steps}`);
    }
    const path = [[theta0, psi0]];
    for (let k = 1; k <= steps; k++) {
      const [theta, psi] = path[k - 1];
      path.push(updateStep(spec, hyper, theta, psi, lr, mode));
    }
    return path;
  }

  function stepMap(game, options) {
    // The Jacobian of one update z_k -> z_k+1 at the equilibrium (0, 0), analytic: I + lr J for
    // simultaneous steps; for alternating ones the critic's row first, then the generator
    // answering the new critic (the chapter's map, of determinant 1 + lr R''(0)). The Python
    // measures the same matrix by central differences of simulate_dirac (step_map in
    // ganbook.book.part2.dirac_gan.experiments). Clipping is the identity near (0, 0).
    const opts = options || {};
    const { lr, mode } = stepSettings(opts);
    const [[j11, j12], [j21, j22]] = jacobian(game, 0, 0, opts);
    const critic = [lr * j21, 1 + lr * j22]; // d ψ' / d(θ, ψ)
    if (mode === "simultaneous") return [[1 + lr * j11, lr * j12], critic];
    return [[1 + lr * j11 + lr * j12 * critic[0], lr * j12 * critic[1]], critic];
  }

  const games = Object.keys(GAMES);
  const dirac = { games, field, jacobian, eigenvalues, simulate, step, stepMap };

  // ---- formatting ------------------------------------------------------------------------

  function fmt(x, digits) {
    // significant digits, exponent form for the very small and large, a true minus sign
    if (!Number.isFinite(x)) return String(x);
    const p = digits || 3;
    const size = Math.abs(x);
    let text;
    if (size === 0) text = "0";
    else if (size >= 1e-3 && size < 1e5) text = String(Number(x.toPrecision(p)));
    else text = x.toExponential(p - 1).replace("e+", "e");
    return text.replace(/-/g, "\u2212");
  }

  // ---- DOM helpers -----------------------------------------------------------------------

  let instanceCount = 0; // makes the ids of each toy's controls unique on the page

  function el(tag, attrs, children) {
    // attrs are attributes, except text, the text content
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, val]) => {
      if (key === "text") node.textContent = val;
      else node.setAttribute(key, val);
    });
    (children || []).forEach((child) => node.append(child));
    return node;
  }

  function rangeControl(prefix, [name, labelText, min, max, stepSize], initial) {
    // a visible <label> with the live value beside it, then the slider
    const id = `${prefix}-${name}`;
    const output = el("output", { for: id, class: "gb-toy__value" });
    const input = el("input", { type: "range", id, min, max, step: stepSize, value: initial });
    const labelRow = el("div", { class: "gb-toy__label-row" }, [
      el("label", { for: id, text: labelText }),
      output,
    ]);
    return { wrap: el("div", { class: "gb-toy__control" }, [labelRow, input]), input, output };
  }

  function selectControl(prefix, [name, labelText, choices]) {
    const id = `${prefix}-${name}`;
    const options = choices.map(([val, text]) => el("option", { value: val, text }));
    const input = el("select", { id }, options);
    const label = el("label", { for: id, text: labelText });
    return { wrap: el("div", { class: "gb-toy__control" }, [label, input]), input };
  }

  function checkboxControl(prefix, name, labelText) {
    const id = `${prefix}-${name}`;
    const input = el("input", { type: "checkbox", id });
    const label = el("label", { for: id, text: labelText });
    const wrap = el("div", { class: "gb-toy__control gb-toy__control--check" }, [input, label]);
    return { wrap, input };
  }

  function button(text, onClick) {
    const node = el("button", { type: "button", class: "gb-toy__button", text });
    node.addEventListener("click", onClick);
    return node;
  }

  function readoutList() {
    // a <dl> whose rows are set by key: set(key, term, description)
    const list = el("dl", { class: "gb-toy__readout" });
    const rows = new Map();
    function set(key, term, description) {
      if (!rows.has(key)) {
        const row = [el("dt"), el("dd")];
        rows.set(key, row);
        list.append(...row);
      }
      const [dt, dd] = rows.get(key);
      dt.textContent = term;
      dd.textContent = description;
    }
    return { list, set };
  }

  function legend(items) {
    // items: [css modifier, text]. The swatch shows the colour and the line style, the text
    // says what it is; returns the list and the text nodes by modifier (a name can change).
    const texts = new Map(items.map(([kind, text]) => [kind, document.createTextNode(text)]));
    const entries = items.map(([kind]) => {
      const swatch = el("span", {
        class: `gb-toy__swatch gb-toy__swatch--${kind}`,
        "aria-hidden": "true",
      });
      return el("li", {}, [swatch, texts.get(kind)]);
    });
    return { list: el("ul", { class: "gb-toy__legend" }, entries), texts };
  }

  // ---- drawing ---------------------------------------------------------------------------

  const COLOUR_VARIABLES = {
    fg: "--md-default-fg-color",
    muted: "--md-default-fg-color--light",
    faint: "--md-default-fg-color--lightest",
    bg: "--md-default-bg-color",
    real: "--gb-toy-real",
    fake: "--gb-toy-fake",
    critic: "--gb-toy-critic",
  };

  function readColours(probe) {
    // resolve each theme variable to an rgb() string through a hidden element, so that nested
    // var() and the light/dark cascade are resolved by the browser, not parsed here
    const colours = {};
    Object.entries(COLOUR_VARIABLES).forEach(([name, variable]) => {
      probe.style.color = `var(${variable})`;
      colours[name] = getComputedStyle(probe).color;
    });
    return colours;
  }

  function prepareCanvas(canvas) {
    // match the backing store to the displayed size and the pixel ratio; null when hidden
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (!w || !h) return null;
    const ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = `12px ${getComputedStyle(canvas).fontFamily}`;
    return { ctx, w, h };
  }

  const MARGIN_TOP = 20; // room for the y axis's name
  const MARGIN_BOTTOM = 36; // the tick labels, then the x axis's name

  function frame(w, h, margin, xRange, yRange) {
    // the plot rectangle and the maps from data to pixels
    const left = margin.left;
    const right = w - margin.right;
    const top = margin.top;
    const bottom = h - margin.bottom;
    const X = (x) => left + ((x - xRange[0]) / (xRange[1] - xRange[0])) * (right - left);
    const Y = (y) => bottom - ((y - yRange[0]) / (yRange[1] - yRange[0])) * (bottom - top);
    return { left, right, top, bottom, X, Y, xRange, yRange };
  }

  function niceTicks(lo, hi, count) {
    // round values (1, 2 or 5 times a power of ten) covering [lo, hi], about count of them
    const raw = (hi - lo) / Math.max(count, 1);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const spacing = [1, 2, 5, 10].map((m) => m * power).find((v) => v >= raw);
    const ticks = [];
    for (let t = Math.ceil(lo / spacing) * spacing; t <= hi + spacing * 1e-9; t += spacing) {
      ticks.push(Math.abs(t) < spacing * 1e-9 ? 0 : t); // no "-0" from rounding
    }
    return ticks;
  }

  function drawAxes(ctx, f, colours, xName, yName) {
    // the box, ticks below and on the left, and the axes' names outside the box, where no
    // curve can cover them
    ctx.strokeStyle = colours.faint;
    ctx.lineWidth = 1;
    ctx.strokeRect(f.left, f.top, f.right - f.left, f.bottom - f.top);
    ctx.fillStyle = colours.muted;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    niceTicks(f.xRange[0], f.xRange[1], (f.right - f.left) / 60).forEach((t) =>
      ctx.fillText(fmt(t), f.X(t), f.bottom + 4)
    );
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    niceTicks(f.yRange[0], f.yRange[1], (f.bottom - f.top) / 40).forEach((t) =>
      ctx.fillText(fmt(t), f.left - 4, f.Y(t))
    );
    ctx.fillStyle = colours.fg;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.fillText(xName, (f.left + f.right) / 2, f.bottom + 19);
    ctx.textAlign = "left";
    ctx.textBaseline = "bottom";
    ctx.fillText(yName, f.left, f.top - 4);
  }

  function strokeCurve(ctx, xs, ys, f) {
    ctx.beginPath();
    xs.forEach((x, i) => (i ? ctx.lineTo(f.X(x), f.Y(ys[i])) : ctx.moveTo(f.X(x), f.Y(ys[i]))));
    ctx.stroke();
  }

  function clipToFrame(ctx, f) {
    ctx.beginPath();
    ctx.rect(f.left, f.top, f.right - f.left, f.bottom - f.top);
    ctx.clip();
  }

  function dot(ctx, x, y, fill, ring) {
    // a filled disc with a ring, so that it stands out on any curve
    ctx.beginPath();
    ctx.arc(x, y, 5, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.strokeStyle = ring;
    ctx.lineWidth = 2;
    ctx.stroke();
  }

  function verticalLine(ctx, f, x, colour, dash) {
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.setLineDash(dash);
    ctx.beginPath();
    ctx.moveTo(f.X(x), f.top);
    ctx.lineTo(f.X(x), f.bottom);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  function linspace(lo, hi, n) {
    return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1));
  }

  // ---- the shell every toy shares: markup, timer, resize observer --------------------------

  function makeShell(root, title) {
    // controls in one column, figures in the other (stacked on narrow screens, by the CSS)
    const prefix = `gb-toy-${++instanceCount}`;
    const controls = el("div", { class: "gb-toy__controls" });
    const figures = el("div", { class: "gb-toy__figures" });
    const probe = el("span", { class: "gb-toy__probe", "aria-hidden": "true" });
    const layout = el("div", { class: "gb-toy__layout" }, [controls, figures]);
    root.replaceChildren(el("p", { class: "gb-toy__title", text: title }), layout, probe);
    return { prefix, controls, figures, probe };
  }

  function makeTimer(tick, interval) {
    // play/pause: calls tick every interval ms until stopped or until tick returns false
    let handle = null;
    const timer = {
      get running() {
        return handle !== null;
      },
      start() {
        if (handle === null) handle = setInterval(() => tick() === false && timer.stop(), interval);
      },
      stop() {
        clearInterval(handle);
        handle = null;
      },
    };
    return timer;
  }

  function watchWidth(root, redraw) {
    // redraw (once per frame) when the toy's width changes; returns the disconnect function
    if (!window.ResizeObserver) return () => {};
    let pending = false;
    let lastWidth = root.clientWidth;
    const observer = new ResizeObserver(() => {
      if (pending || root.clientWidth === lastWidth) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        lastWidth = root.clientWidth;
        redraw();
      });
    });
    observer.observe(root);
    return () => observer.disconnect();
  }

  function playButton(timer, onChange) {
    // one toggle, whose text (set by the toy's render) says what a press will do
    return button("Play", () => {
      if (timer.running) timer.stop();
      else timer.start();
      onChange();
    });
  }

  function statusLine() {
    // why a run stopped; polite, and written only when that changes
    return el("p", { class: "gb-toy__status", "aria-live": "polite" });
  }

  // ---- the shift toy ---------------------------------------------------------------------

  const SHIFT_DEFAULTS = {
    theta: -4,
    mu: 0,
    sigma: 1,
    lr: 1,
    loss: "minimax",
    curve: "optimal",
    dOptimal: true,
  };
  const THETA_LIMIT = 10; // the θ slider's range; a step stops at its edge
  const X_VIEW = [-12, 12];
  const SHIFT_SLIDERS = [
    // [name, label, min, max, step]
    ["theta", "θ, the generator's mean", -THETA_LIMIT, THETA_LIMIT, 0.01],
    ["mu", "μ, the data's mean", -4, 4, 0.1],
    ["sigma", "σ, both widths", 0.5, 3, 0.05],
    ["a", "a, D's slope", -16, 16, 0.01],
    ["b", "b, D's intercept", -64, 64, 0.01],
    ["lr", "η, the generator's step size", 0.01, 4, 0.01],
  ];
  const SHIFT_LOSSES = [
    "loss",
    "Generator loss",
    [
      ["minimax", "minimax (saturating): E log(1 − D)"],
      ["non-saturating", "non-saturating: −E log D"],
    ],
  ];
  const SHIFT_CURVES = [
    "curve",
    "Loss curve",
    [
      ["optimal", "with D optimal at every θ"],
      ["current", "at the current D, held fixed"],
    ],
  ];

  function ShiftToy(root) {
    const title = "The shift toy: data N(μ, σ²), generator N(θ, σ²), D(x) = σ(a x + b)";
    const shell = makeShell(root, title);
    const s = { ...SHIFT_DEFAULTS, a: 0, b: 0, steps: 0, note: "" };
    const start = {}; // θ, a and b where Reset goes back to (set by newStart)
    const timer = makeTimer(() => playTick(), 250);

    const c = {};
    SHIFT_SLIDERS.forEach((spec) => (c[spec[0]] = rangeControl(shell.prefix, spec, s[spec[0]])));
    c.dOptimal = checkboxControl(shell.prefix, "d-optimal", "D optimal: pin a and b to D*");
    c.dOptimal.input.checked = s.dOptimal;
    c.loss = selectControl(shell.prefix, SHIFT_LOSSES);
    c.curve = selectControl(shell.prefix, SHIFT_CURVES);
    const buttons = {
      step: button("Generator step", () => act(generatorStep)),
      optimum: button("Discriminator to optimum", () => act(discriminatorToOptimum)),
      play: playButton(timer, () => render()),
      reset: button("Reset", () => act(reset)),
    };
    const wideCanvas = () =>
      el("canvas", { class: "gb-toy__canvas gb-toy__canvas--wide", role: "img" });
    const densityCanvas = wideCanvas();
    const lossCanvas = wideCanvas();
    const densityLegend = legend([
      ["real", "data N(μ, σ²)"],
      ["fake", "generator N(θ, σ²)"],
      ["critic", "D(x), right-hand scale"],
    ]);
    const lossLegend = legend([
      ["curve", ""],
      ["point", "current θ"],
      ["tangent", "tangent: its slope is the gradient"],
    ]);
    const readout = readoutList();
    const status = statusLine();

    const order = ["theta", "mu", "sigma", "dOptimal", "a", "b", "lr", "loss", "curve"];
    shell.controls.append(
      ...order.map((name) => c[name].wrap),
      el("div", { class: "gb-toy__buttons" }, Object.values(buttons))
    );
    shell.figures.append(densityCanvas, densityLegend.list, lossCanvas, lossLegend.list);
    shell.figures.append(readout.list, status);

    // -- state changes

    function discriminatorToOptimum() {
      const d = optimalDiscriminator(s.mu, s.sigma, s.theta);
      s.a = d.a;
      s.b = d.b;
    }

    function pinDiscriminator() {
      if (s.dOptimal) discriminatorToOptimum();
    }

    function gradient() {
      return generatorGradientAt(s.mu, s.sigma, s.theta, s.a, s.b, s.loss);
    }

    function generatorStep() {
      // θ ← θ − η dL_G/dθ with D fixed, then D re-pinned if pinned; false at θ's limit
      const target = s.theta - s.lr * gradient();
      s.theta = Math.max(-THETA_LIMIT, Math.min(THETA_LIMIT, target));
      const free = target === s.theta;
      s.steps += 1;
      s.note = free ? "" : `θ stopped at the edge of its range, ±${THETA_LIMIT}.`;
      pinDiscriminator();
      return free;
    }

    function playTick() {
      // alternate as in training: D to its optimum, then one generator step
      if (!root.isConnected) return destroy();
      const before = s.theta;
      discriminatorToOptimum();
      const free = generatorStep();
      const stalled = Math.abs(s.theta - before) < 1e-9;
      if (stalled && free) s.note = "θ no longer moves: paused.";
      render();
      return free && !stalled;
    }

    function reset() {
      // back to the θ and D last set by hand
      timer.stop();
      s.theta = start.theta;
      s.a = start.a;
      s.b = start.b;
      s.steps = 0;
      s.note = "";
      pinDiscriminator();
    }

    function newStart() {
      // a value set by hand starts a new run, which Reset comes back to
      Object.assign(start, { theta: s.theta, a: s.a, b: s.b });
      s.steps = 0;
      s.note = "";
    }

    function setPinned(pinned) {
      s.dOptimal = pinned;
      c.dOptimal.input.checked = pinned;
    }

    function act(change) {
      change();
      render();
    }

    // -- controls

    function bindRange(name, after) {
      c[name].input.addEventListener("input", () =>
        act(() => {
          s[name] = Number(c[name].input.value);
          if (after) after();
          pinDiscriminator();
          newStart();
        })
      );
    }
    bindRange("theta");
    bindRange("mu");
    bindRange("sigma");
    bindRange("a", () => setPinned(false)); // moving D by hand unpins it
    bindRange("b", () => setPinned(false));
    c.lr.input.addEventListener("input", () => act(() => (s.lr = Number(c.lr.input.value))));
    c.dOptimal.input.addEventListener("change", () =>
      act(() => {
        setPinned(c.dOptimal.input.checked);
        pinDiscriminator();
        newStart();
      })
    );
    c.loss.input.addEventListener("change", () => act(() => (s.loss = c.loss.input.value)));
    c.curve.input.addEventListener("change", () => act(() => (s.curve = c.curve.input.value)));

    function syncControls() {
      // the sliders follow the state; a pinned D may lie beyond its sliders' range, and the
      // printed value is the true one
      SHIFT_SLIDERS.forEach(([name]) => {
        c[name].input.value = s[name];
        c[name].output.textContent = fmt(s[name], 4);
      });
      buttons.optimum.disabled = s.dOptimal;
      buttons.play.textContent = timer.running ? "Pause" : "Play";
    }

    // -- the densities and D

    function drawDensities(colours) {
      const p = prepareCanvas(densityCanvas);
      if (!p) return;
      const { ctx, w, h } = p;
      const xs = linspace(X_VIEW[0], X_VIEW[1], 481);
      const peak = 1 / (s.sigma * Math.sqrt(2 * Math.PI));
      const margin = { left: 40, right: 34, top: MARGIN_TOP, bottom: MARGIN_BOTTOM };
      const f = frame(w, h, margin, X_VIEW, [0, peak * 1.2]);
      drawAxes(ctx, f, colours, "x", "density");
      drawProbabilityScale(ctx, f, colours);
      ctx.save();
      clipToFrame(ctx, f);
      fillDensity(ctx, f, xs, s.mu, colours.real);
      fillDensity(ctx, f, xs, s.theta, colours.fake);
      drawDiscriminator(ctx, f, xs, colours.critic);
      // each label on the outer side of its mean, so that the two do not overlap
      const outward = s.theta < s.mu ? 1 : -1;
      markMean(ctx, f, s.mu, peak, "data", colours.real, outward);
      markMean(ctx, f, s.theta, peak, "G, θ", colours.fake, -outward);
      ctx.restore();
      densityCanvas.setAttribute(
        "aria-label",
        `Densities of the data, N(${fmt(s.mu)}, ${fmt(s.sigma)}²), and of the generator, ` +
          `N(${fmt(s.theta)}, ${fmt(s.sigma)}²), on x from −12 to 12, with the discriminator ` +
          `D(x) = σ(${fmt(s.a)} x + ${fmt(s.b)}) on a scale from 0 to 1.`
      );
    }

    function toProbabilityAxis(f, d) {
      // D is drawn on its own scale: 1 at five sixths of the plot's height, like the peaks
      return f.yRange[0] + (d / 1.2) * (f.yRange[1] - f.yRange[0]);
    }

    function drawProbabilityScale(ctx, f, colours) {
      ctx.fillStyle = colours.muted;
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      [0, 0.5, 1].forEach((d) => ctx.fillText(fmt(d), f.right + 4, f.Y(toProbabilityAxis(f, d))));
      ctx.fillStyle = colours.fg;
      ctx.textBaseline = "bottom";
      ctx.fillText("D(x)", f.right - 20, f.top - 4);
    }

    function fillDensity(ctx, f, xs, mean, colour) {
      const ys = xs.map((x) => normalDensity(x, mean, s.sigma));
      ctx.beginPath();
      ctx.moveTo(f.X(xs[0]), f.Y(0));
      xs.forEach((x, i) => ctx.lineTo(f.X(x), f.Y(ys[i])));
      ctx.lineTo(f.X(xs[xs.length - 1]), f.Y(0));
      ctx.globalAlpha = 0.18;
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      strokeCurve(ctx, xs, ys, f);
    }

    function drawDiscriminator(ctx, f, xs, colour) {
      // dashed, so that it does not read as a third density
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      strokeCurve(ctx, xs, xs.map((x) => toProbabilityAxis(f, sigmoid(s.a * x + s.b))), f);
      ctx.setLineDash([]);
    }

    function markMean(ctx, f, mean, peak, label, colour, towards) {
      // a line up to the peak, labelled to its right (towards = 1) or left (-1)
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(f.X(mean), f.Y(0));
      ctx.lineTo(f.X(mean), f.Y(peak));
      ctx.stroke();
      // the side asked for, unless the label would leave the frame there
      const width = ctx.measureText(label).width + 4;
      const x = f.X(mean);
      const fitsRight = x + width <= f.right;
      const fitsLeft = x - width >= f.left;
      const toRight = towards > 0 ? fitsRight || !fitsLeft : !fitsLeft;
      ctx.fillStyle = colour;
      ctx.textAlign = toRight ? "left" : "right";
      ctx.textBaseline = "bottom";
      ctx.fillText(label, x + (toRight ? 4 : -4), f.Y(peak));
    }

    // -- the loss against θ

    function lossCurve(thetas) {
      // The curve and its slope at the current θ. At the current D: the generator's loss and
      // its gradient. With D optimal at every θ: the objective whose slope the generator
      // follows there (descendedObjective) and generatorGradient.
      const minimax = s.loss === "minimax";
      if (s.curve === "current") {
        const at = (t) => generatorLoss(s.mu, s.sigma, t, s.a, s.b, s.loss);
        return {
          ys: thetas.map(at),
          y0: at(s.theta),
          slope: gradient(),
          name: minimax ? "E log(1 − D(z + θ)), D fixed" : "−E log D(z + θ), D fixed",
          description: "the generator's loss against θ, with D held at its current a and b",
        };
      }
      const at = (t) => descendedObjective(s.mu, s.sigma, t, s.loss);
      return {
        ys: thetas.map(at),
        y0: at(s.theta),
        slope: generatorGradient(s.mu, s.sigma, s.theta, s.loss),
        name: minimax ? "V(D*, G) = −log 4 + 2 JS" : "KL(p_g ‖ p_data) − 2 JS",
        description: "what the generator descends when D is optimal at every θ",
      };
    }

    function paddedRange(values) {
      const finite = values.filter(Number.isFinite);
      const lo = Math.min(...finite);
      const hi = Math.max(...finite);
      const pad = Math.max((hi - lo) * 0.08, 1e-3);
      return [lo - pad, hi + pad];
    }

    function drawLoss(colours) {
      const p = prepareCanvas(lossCanvas);
      if (!p) return;
      const { ctx, w, h } = p;
      const thetas = linspace(-THETA_LIMIT, THETA_LIMIT, 201);
      const curve = lossCurve(thetas);
      const margin = { left: 48, right: 12, top: MARGIN_TOP, bottom: MARGIN_BOTTOM };
      const f = frame(w, h, margin, [-THETA_LIMIT, THETA_LIMIT], paddedRange(curve.ys));
      drawAxes(ctx, f, colours, "θ", curve.name);
      ctx.save();
      clipToFrame(ctx, f);
      verticalLine(ctx, f, s.mu, colours.real, [2, 3]); // θ = μ: the generator has won
      ctx.strokeStyle = colours.fg;
      ctx.lineWidth = 2;
      strokeCurve(ctx, thetas, curve.ys, f);
      drawTangent(ctx, f, curve, colours.critic);
      ctx.restore();
      dot(ctx, f.X(s.theta), f.Y(curve.y0), colours.fake, colours.bg); // whole, even at an edge
      lossLegend.texts.get("curve").textContent = curve.description;
      lossCanvas.setAttribute(
        "aria-label",
        `The curve ${curve.name} for θ from −10 to 10. At the current θ = ${fmt(s.theta)} ` +
          `its value is ${fmt(curve.y0)} and its slope, drawn as a tangent, ${fmt(curve.slope)}.`
      );
    }

    function drawTangent(ctx, f, curve, colour) {
      // over θ ± 2; the frame clips a steep one
      const reach = 2;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2;
      ctx.setLineDash([6, 4]);
      ctx.beginPath();
      ctx.moveTo(f.X(s.theta - reach), f.Y(curve.y0 - reach * curve.slope));
      ctx.lineTo(f.X(s.theta + reach), f.Y(curve.y0 + reach * curve.slope));
      ctx.stroke();
      ctx.setLineDash([]);
    }

    // -- numbers

    function updateReadout() {
      const best = optimalDiscriminator(s.mu, s.sigma, s.theta);
      const pinned = s.dOptimal ? " (optimal)" : "";
      readout.set("d", "D's parameters", `a = ${fmt(s.a, 4)}, b = ${fmt(s.b, 4)}${pinned}`);
      readout.set("dstar", "D* for this θ", `a* = ${fmt(best.a, 4)}, b* = ${fmt(best.b, 4)}`);
      readout.set("value", "V(θ, D)", fmt(value(s.mu, s.sigma, s.theta, s.a, s.b), 5));
      const atBest = value(s.mu, s.sigma, s.theta, best.a, best.b);
      readout.set("vstar", "V(θ, D*) = −log 4 + 2 JS", fmt(atBest, 5));
      readout.set("grad", `Generator's gradient, ${s.loss}, D fixed`, fmt(gradient(), 4));
      readout.set("steps", "Generator steps", String(s.steps));
    }

    function render() {
      if (!root.isConnected) return;
      const colours = readColours(shell.probe);
      syncControls();
      drawDensities(colours);
      drawLoss(colours);
      updateReadout();
      status.textContent = s.note;
    }

    const unwatch = watchWidth(root, render);

    function destroy() {
      timer.stop();
      unwatch();
      return false;
    }

    pinDiscriminator();
    newStart();
    render();

    return {
      kind: "shift",
      element: root,
      step: () => act(generatorStep),
      discriminatorToOptimum: () => act(discriminatorToOptimum),
      play: () => act(() => timer.start()),
      pause: () => act(() => timer.stop()),
      reset: () => act(reset),
      render,
      destroy,
      state: () => ({
        toy: "shift",
        theta: s.theta,
        mu: s.mu,
        sigma: s.sigma,
        a: s.a,
        b: s.b,
        dOptimal: s.dOptimal,
        lr: s.lr,
        loss: s.loss,
        curve: s.curve,
        steps: s.steps,
        playing: timer.running,
        value: value(s.mu, s.sigma, s.theta, s.a, s.b),
        gradient: gradient(),
      }),
    };
  }

  // ---- the Dirac-GAN toy -----------------------------------------------------------------

  const DIRAC_DEFAULTS = {
    game: "gan",
    mode: "simultaneous",
    lr: 0.1,
    gamma: 1,
    lam: 1,
    clip: 1,
    theta0: 1,
    psi0: 1,
  };
  const STEPS_PER_TICK = 5;
  const MAX_STEPS = 20000; // a longer run adds nothing to the picture and slows the drawing
  const DIRAC_SLIDERS = [
    // [name, label, min, max, step]
    ["lr", "η, the step size (lr)", 0.01, 1, 0.01],
    ["gamma", "γ, R1 weight", 0, 3, 0.05],
    ["lam", "λ, WGAN-GP weight", 0, 5, 0.05],
    ["clip", "c, WGAN clip", 0.1, 3, 0.05],
    ["theta0", "θ₀, the generator's start", -3, 3, 0.05],
    ["psi0", "ψ₀, the critic's start", -3, 3, 0.05],
  ];
  const DIRAC_GAMES = [
    "game",
    "Game",
    [
      ["gan", "GAN, unregularised"],
      ["wgan", "WGAN with clipping c"],
      ["wgan-gp", "WGAN-GP, penalty λ"],
      ["r1", "GAN + R1, penalty γ"],
    ],
  ];
  const DIRAC_MODES = [
    "mode",
    "Updates",
    [
      ["simultaneous", "simultaneous"],
      ["alternating", "alternating (critic first)"],
    ],
  ];

  function DiracToy(root) {
    const shell = makeShell(root, "The Dirac-GAN: data at 0, generator at θ, critic D(x) = ψ x");
    const s = { ...DIRAC_DEFAULTS, path: [], note: "" };
    const timer = makeTimer(() => playTick(), 40);

    const c = { game: selectControl(shell.prefix, DIRAC_GAMES) };
    c.mode = selectControl(shell.prefix, DIRAC_MODES);
    DIRAC_SLIDERS.forEach((spec) => (c[spec[0]] = rangeControl(shell.prefix, spec, s[spec[0]])));
    const buttons = {
      step: button("Step", () => act(() => advance(1))),
      play: playButton(timer, () => render()),
      reset: button("Reset", () => act(reset)),
    };
    const canvas = el("canvas", { class: "gb-toy__canvas gb-toy__canvas--square", role: "img" });
    const planeLegend = legend([
      ["arrow", "vector field v(θ, ψ), direction"],
      ["path", "iterates (θₖ, ψₖ)"],
      ["start", "start"],
      ["point", "current point"],
      ["origin", "equilibrium (0, 0)"],
    ]);
    const readout = readoutList();
    const status = statusLine();

    shell.controls.append(
      ...Object.values(c).map((control) => control.wrap),
      el("div", { class: "gb-toy__buttons" }, Object.values(buttons))
    );
    shell.figures.append(canvas, planeLegend.list, readout.list, status);

    // -- state changes

    function options() {
      return { lr: s.lr, mode: s.mode, gamma: s.gamma, lam: s.lam, clip: s.clip };
    }

    function restart() {
      // every setting holds for the whole run, so a change starts it again from (θ₀, ψ₀)
      s.path = [[s.theta0, s.psi0]];
      s.note = "";
    }

    function advance(count) {
      // count updates of simulate's loop; false when the run must stop
      for (let i = 0; i < count; i++) {
        if (s.path.length > MAX_STEPS) {
          s.note = `Stopped after ${MAX_STEPS} steps: Reset to run again.`;
          return false;
        }
        const [theta, psi] = s.path[s.path.length - 1];
        const next = step(s.game, theta, psi, options());
        if (!next.every(Number.isFinite) || Math.hypot(...next) > 1e6) {
          s.note = "The iterates left every bound: stopped.";
          return false;
        }
        s.path.push(next);
      }
      return true;
    }

    function reset() {
      timer.stop();
      restart();
    }

    function playTick() {
      if (!root.isConnected) return destroy();
      const going = advance(STEPS_PER_TICK);
      render();
      return going;
    }

    function act(change) {
      change();
      render();
    }

    // -- controls

    DIRAC_SLIDERS.forEach(([name]) =>
      c[name].input.addEventListener("input", () =>
        act(() => {
          s[name] = Number(c[name].input.value);
          restart();
        })
      )
    );
    ["game", "mode"].forEach((name) =>
      c[name].input.addEventListener("change", () =>
        act(() => {
          s[name] = c[name].input.value;
          restart();
        })
      )
    );

    function syncControls() {
      DIRAC_SLIDERS.forEach(([name]) => {
        c[name].input.value = s[name];
        c[name].output.textContent = fmt(s[name]);
      });
      // only the current game's hyperparameter acts: the others stay in place, disabled
      ["gamma", "lam", "clip"].forEach((name) => {
        c[name].input.disabled = GAMES[s.game].parameter !== name;
        c[name].wrap.classList.toggle("gb-toy__control--off", c[name].input.disabled);
      });
      c.game.input.value = s.game;
      c.mode.input.value = s.mode;
      buttons.play.textContent = timer.running ? "Pause" : "Play";
    }

    // -- the (θ, ψ) plane

    function viewSpan() {
      // a square about (0, 0) that doubles when the iterates leave it, so that the view does
      // not jitter while a run grows
      const reach = s.path.reduce((m, [t, p]) => Math.max(m, Math.abs(t), Math.abs(p)), 0);
      let span = 3;
      while (reach > span * 0.95) span *= 2;
      return span;
    }

    function drawField(ctx, f, span, colour) {
      // 15 × 15 arrows in the direction of v, their length growing with |v| (as a square root,
      // so that the slow ones still show) up to most of a cell
      const n = 15;
      const cell = (f.right - f.left) / n;
      const points = linspace(-span * (1 - 1 / n), span * (1 - 1 / n), n);
      const vectors = points.flatMap((theta) =>
        points.map((psi) => [theta, psi, ...field(s.game, theta, psi, options())])
      );
      const largest = Math.max(...vectors.map(([, , u, v]) => Math.hypot(u, v)), 1e-12);
      ctx.strokeStyle = colour;
      ctx.fillStyle = colour;
      ctx.lineWidth = 1;
      vectors.forEach(([theta, psi, u, v]) => {
        const size = Math.hypot(u, v);
        if (size === 0) return;
        const length = cell * 0.8 * Math.sqrt(size / largest);
        arrow(ctx, f.X(theta), f.Y(psi), (u / size) * length, (-v / size) * length);
      });
    }

    function arrow(ctx, x, y, dx, dy) {
      // centred on (x, y), in pixels
      const x1 = x + dx / 2;
      const y1 = y + dy / 2;
      const angle = Math.atan2(dy, dx);
      const head = Math.min(5, Math.hypot(dx, dy) * 0.45);
      ctx.beginPath();
      ctx.moveTo(x - dx / 2, y - dy / 2);
      ctx.lineTo(x1, y1);
      ctx.stroke();
      ctx.beginPath();
      ctx.moveTo(x1, y1);
      ctx.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
      ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
      ctx.closePath();
      ctx.fill();
    }

    function drawPath(ctx, f, colours) {
      ctx.strokeStyle = colours.critic;
      ctx.lineWidth = 1.5;
      strokeCurve(ctx, s.path.map((z) => z[0]), s.path.map((z) => z[1]), f);
      const [theta0, psi0] = s.path[0];
      const [theta, psi] = s.path[s.path.length - 1];
      dot(ctx, f.X(theta0), f.Y(psi0), colours.bg, colours.critic);
      dot(ctx, f.X(theta), f.Y(psi), colours.fake, colours.bg);
    }

    function drawOrigin(ctx, f, colour) {
      const x = f.X(0);
      const y = f.Y(0);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.moveTo(x - 6, y - 6);
      ctx.lineTo(x + 6, y + 6);
      ctx.moveTo(x - 6, y + 6);
      ctx.lineTo(x + 6, y - 6);
      ctx.stroke();
    }

    function drawPlane(colours) {
      const p = prepareCanvas(canvas);
      if (!p) return;
      const { ctx, w, h } = p;
      const span = viewSpan();
      const side = Math.min(w - 44, h - MARGIN_TOP - MARGIN_BOTTOM); // a square plot
      const bottom = h - MARGIN_TOP - side;
      const margin = { left: 34, right: w - 34 - side, top: MARGIN_TOP, bottom };
      const f = frame(w, h, margin, [-span, span], [-span, span]);
      drawAxes(ctx, f, colours, "θ", "ψ");
      ctx.save();
      clipToFrame(ctx, f);
      drawField(ctx, f, span, colours.muted);
      drawOrigin(ctx, f, colours.real);
      drawPath(ctx, f, colours);
      ctx.restore();
      const [theta0, psi0] = s.path[0];
      const [theta, psi] = s.path[s.path.length - 1];
      canvas.setAttribute(
        "aria-label",
        `The (θ, ψ) plane from −${span} to ${span}, with the vector field of the ${s.game} ` +
          `game and ${s.path.length - 1} ${s.mode} steps from (${fmt(theta0)}, ${fmt(psi0)}) ` +
          `to (${fmt(theta)}, ${fmt(psi)}), at distance ${fmt(Math.hypot(theta, psi))} ` +
          "from the equilibrium (0, 0)."
      );
    }

    // -- numbers

    function formatEigenvalues([first, second]) {
      if (first.im !== 0) return `${fmt(first.re, 4)} ± ${fmt(Math.abs(first.im), 4)} i`;
      return `${fmt(first.re, 4)} and ${fmt(second.re, 4)}`;
    }

    function verdict(radius) {
      // what the linearised iteration does near (0, 0), by its spectral radius
      const tolerance = 1e-9;
      if (radius < 1 - tolerance) return "contracts: the iterates converge to (0, 0)";
      if (radius > 1 + tolerance) return "expands: the iterates move away from (0, 0)";
      return "neither contracts nor expands (modulus 1): the iterates circle";
    }

    function linearReadout() {
      if (GAMES[s.game].kinkAtZero) {
        const why = "none: R′(ψ) jumps from −2λ to +2λ across ψ = 0; the field has no derivative";
        readout.set("jacobian", "Jacobian at (0, 0)", why);
        readout.set("eig", "Eigenvalues of J", "—");
        readout.set("update", "Update map at (0, 0)", "—");
        return;
      }
      const J = jacobian(s.game, 0, 0, options());
      const rows = J.map((row) => row.map((x) => fmt(x, 4)).join(", ")).join("; ");
      readout.set("jacobian", "Jacobian J at (0, 0)", `[${rows}]`);
      readout.set("eig", "Eigenvalues of J", formatEigenvalues(eigenvalues(J)));
      const moduli = eigenvalues(stepMap(s.game, options())).map((e) => Math.hypot(e.re, e.im));
      const map = s.mode === "simultaneous" ? "I + ηJ" : "the alternating map";
      const clipping = s.game === "wgan" ? " (clipping acts only at |ψ| = c)" : "";
      const text = `${fmt(moduli[0], 6)} and ${fmt(moduli[1], 6)}: ${verdict(Math.max(...moduli))}`;
      readout.set("update", `|eigenvalues| of ${map}`, text + clipping);
    }

    function render() {
      if (!root.isConnected) return;
      const colours = readColours(shell.probe);
      syncControls();
      drawPlane(colours);
      const [theta, psi] = s.path[s.path.length - 1];
      const distance = fmt(Math.hypot(theta, psi), 4);
      readout.set("step", "Step k", String(s.path.length - 1));
      const point = `(${fmt(theta, 4)}, ${fmt(psi, 4)}), distance ${distance}`;
      readout.set("point", "(θₖ, ψₖ)", point);
      linearReadout();
      status.textContent = s.note;
    }

    const unwatch = watchWidth(root, render);

    function destroy() {
      timer.stop();
      unwatch();
      return false;
    }

    restart();
    render();

    return {
      kind: "dirac",
      element: root,
      step: () => act(() => advance(1)),
      play: () => act(() => timer.start()),
      pause: () => act(() => timer.stop()),
      reset: () => act(reset),
      render,
      destroy,
      state: () => {
        const [theta, psi] = s.path[s.path.length - 1];
        return {
          toy: "dirac",
          game: s.game,
          mode: s.mode,
          lr: s.lr,
          gamma: s.gamma,
          lam: s.lam,
          clip: s.clip,
          start: [s.theta0, s.psi0],
          theta,
          psi,
          steps: s.path.length - 1,
          playing: timer.running,
        };
      },
    };
  }

  // ---- mounting --------------------------------------------------------------------------

  const TOYS = { shift: ShiftToy, dirac: DiracToy };
  const mounted = [];
  const seen = new WeakSet(); // elements already mounted (or warned about)
  let schemeObserver = null;

  function prune() {
    // instant navigation removed their elements: stop those toys and forget them
    for (let i = mounted.length - 1; i >= 0; i--) {
      if (!mounted[i].element.isConnected) {
        mounted[i].destroy();
        mounted.splice(i, 1);
      }
    }
  }

  function watchScheme() {
    // Material switches light and dark by attributes on <body>: redraw in the new colours
    if (schemeObserver) return;
    schemeObserver = new MutationObserver(() => mounted.forEach((toy) => toy.render()));
    schemeObserver.observe(document.body, {
      attributes: true,
      attributeFilter: ["data-md-color-scheme", "data-md-color-primary"],
    });
  }

  function mount(scope) {
    // mounts every toy element of scope (the document by default) not mounted yet
    prune();
    (scope || document).querySelectorAll(".gb-toy[data-toy]").forEach((node) => {
      if (seen.has(node)) return;
      seen.add(node);
      const make = TOYS[node.dataset.toy];
      if (make) mounted.push(make(node));
      else console.warn(`ganbook toys: no toy called ${JSON.stringify(node.dataset.toy)}`);
    });
    if (mounted.length) watchScheme();
    return mounted;
  }

  window.ganbookToys = { shift, dirac, mounted, mount };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => mount(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => mount(document));
  } else {
    mount(document);
  }
})();
