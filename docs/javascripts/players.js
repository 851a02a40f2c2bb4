// Players for the book's animations: play, pause, step and scrub over a GIF's own frames.
//
// The build publishes each animated figure twice: the GIF (the <img> of the page, which plays
// by itself where scripts are off) and the same frames as PNGs, listed with their durations in
// the data-frames and data-durations attributes of the figure's <div class="gb-player">
// (ganbook/site/players.py). This script turns each such <div> into a player: the <img> shows
// one PNG frame at a time, below it a play/pause button, a previous/next button, a slider over
// the frames and the frame's number. Keys, with focus anywhere in the player: Space or k plays
// and pauses, the arrows step, Home and End jump. A reader who asks for reduced motion gets a
// paused player. Players are mounted on every page Material's instant navigation shows.
(function () {
  "use strict";

  const mounted = [];

  function prefersReducedMotion() {
    return Boolean(
      window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches,
    );
  }

  function button(className, label, text) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `gb-player-button ${className}`;
    element.setAttribute("aria-label", label);
    element.title = label;
    element.textContent = text;
    return element;
  }

  function mountPlayer(root) {
    const frames = JSON.parse(root.dataset.frames || "[]");
    const durations = JSON.parse(root.dataset.durations || "[]");
    const image = root.querySelector("img");
    if (!image || frames.length === 0 || frames.length !== durations.length) return null;
    root.dataset.gbPlayer = "mounted";

    // Ask for every frame now, so that playing never waits on the network.
    const preloaded = frames.map((url) => {
      const frame = new Image();
      frame.src = url;
      return frame;
    });

    const controls = document.createElement("div");
    controls.className = "gb-player-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Animation controls");
    const playButton = button("gb-player-play", "Play", "▶ Play");
    const previous = button("gb-player-previous", "Previous frame", "‹");
    const next = button("gb-player-next", "Next frame", "›");
    const slider = document.createElement("input");
    slider.type = "range";
    slider.className = "gb-player-slider";
    slider.min = "0";
    slider.max = String(frames.length - 1);
    slider.step = "1";
    slider.setAttribute("aria-label", "Frame");
    const counter = document.createElement("output");
    counter.className = "gb-player-counter";
    counter.setAttribute("aria-live", "off");
    controls.append(playButton, previous, slider, next, counter);
    root.append(controls);

    let index = 0;
    let timer = null;

    function show(k) {
      index = Math.min(frames.length - 1, Math.max(0, Math.round(k)));
      image.src = frames[index];
      slider.value = String(index);
      slider.setAttribute("aria-valuetext", `frame ${index + 1} of ${frames.length}`);
      counter.textContent = `${index + 1} / ${frames.length}`;
    }

    function setPlaying(playing) {
      playButton.textContent = playing ? "❚❚ Pause" : "▶ Play";
      playButton.setAttribute("aria-label", playing ? "Pause" : "Play");
      playButton.title = playButton.getAttribute("aria-label");
      playButton.setAttribute("aria-pressed", playing ? "true" : "false");
      root.classList.toggle("gb-playing", playing);
    }

    function tick() {
      if (!root.isConnected) {
        pause();
        return;
      }
      show((index + 1) % frames.length);
      timer = window.setTimeout(tick, durations[index]);
    }

    function play() {
      if (timer !== null) return;
      if (index === frames.length - 1) show(0);
      setPlaying(true);
      timer = window.setTimeout(tick, durations[index]);
    }

    function pause() {
      if (timer !== null) window.clearTimeout(timer);
      timer = null;
      setPlaying(false);
    }

    function toggle() {
      if (timer === null) play();
      else pause();
    }

    function stepBy(delta) {
      pause();
      show((index + delta + frames.length) % frames.length);
    }

    playButton.addEventListener("click", toggle);
    previous.addEventListener("click", () => stepBy(-1));
    next.addEventListener("click", () => stepBy(1));
    slider.addEventListener("input", () => {
      pause();
      show(Number(slider.value));
    });
    root.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const onButton = event.target instanceof HTMLButtonElement;
      const onSlider = event.target === slider;
      if ((event.key === " " && !onButton) || event.key === "k") toggle();
      else if (onSlider) return; // the slider steps itself, and reports it as "input"
      else if (event.key === "ArrowLeft") stepBy(-1);
      else if (event.key === "ArrowRight") stepBy(1);
      else if (event.key === "Home") stepBy(-index);
      else if (event.key === "End") stepBy(frames.length - 1 - index);
      else return;
      event.preventDefault();
    });
    root.tabIndex = 0;
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "Animation: Space plays and pauses, the arrow keys step");

    show(0);
    setPlaying(false);
    if (!prefersReducedMotion()) play();

    return {
      element: root,
      preloaded,
      count: frames.length,
      frame: () => index,
      show: (k) => {
        pause();
        show(k);
      },
      play,
      pause,
      isPlaying: () => timer !== null,
    };
  }

  function mount(scope) {
    for (let k = mounted.length - 1; k >= 0; k -= 1) {
      if (!mounted[k].element.isConnected) {
        mounted[k].pause();
        mounted.splice(k, 1);
      }
    }
    for (const root of scope.querySelectorAll(".gb-player:not([data-gb-player])")) {
      const player = mountPlayer(root);
      if (player) mounted.push(player);
    }
  }

  window.ganbookPlayers = { mounted, mount };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(() => mount(document));
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => mount(document));
  } else {
    mount(document);
  }
})();
