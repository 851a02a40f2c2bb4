// Typeset math on the first load and again after every instant-navigation page change.
// Material exposes page changes as the observable `document$`. Only two kinds of element hold
// math: Arithmatex output (class "arithmatex", with \( \) and \[ \] delimiters) and the Markdown
// cells of executed notebooks (class "jp-RenderedMarkdown", with $ and $$).
//
// After typesetting, every box that scrolls sideways (a display formula wider than the column,
// a wide table, a notebook cell or output) is made reachable from the keyboard: tabindex 0 and,
// except on a formula's own container (whose spoken form MathJax provides), a group label, so
// that a reader without a mouse can scroll it with the arrow keys (WCAG 2.1.1; axe-core's rule
// "scrollable-region-focusable"). Material does the same for its code blocks.
(function () {
  var MATH_SELECTOR = ".arithmatex, .jp-RenderedMarkdown";
  var SCROLLABLE_SELECTOR = [
    ".md-typeset div.arithmatex",
    ".md-typeset__scrollwrap", // Material's wrapper of wide tables
    ".jp-OutputArea-output",
    ".jp-OutputArea-output pre",
    ".jp-RenderedHTMLCommon",
    ".highlight-ipynb",
    ".highlight-ipynb pre",
    ".jupyter-wrapper .highlight pre",
    '.jp-RenderedMarkdown mjx-container[display="true"]',
    "mjx-container.gb-wide-inline",
  ].join(", ");
  var INLINE_MATH = [
    ".md-typeset span.arithmatex > mjx-container",
    '.jp-RenderedMarkdown mjx-container:not([display="true"])',
  ].join(", ");

  // An inline formula wider than its line (a phone's width) scrolls inside itself instead of
  // widening the page. Only those get the class: a scrolling box changes the baseline.
  function boundWideInlineMath() {
    document.querySelectorAll(INLINE_MATH).forEach(function (el) {
      var block = el.parentElement && el.parentElement.closest("p, li, td, th, dd, dt, div");
      if (!block) return;
      // An inline element has no scrollWidth: measure the formula itself (mjx-math), whose
      // width stays whole while its container scrolls.
      var math = el.querySelector("mjx-math") || el;
      var wide = math.getBoundingClientRect().width > block.clientWidth;
      el.classList.toggle("gb-wide-inline", wide);
    });
  }

  function markScrollables() {
    boundWideInlineMath();
    document.querySelectorAll(SCROLLABLE_SELECTOR).forEach(function (el) {
      var overflows = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
      var style = window.getComputedStyle(el);
      var scrolls = /(auto|scroll)/.test(style.overflowX + " " + style.overflowY);
      if (overflows && scrolls) {
        if (!el.hasAttribute("tabindex")) {
          el.setAttribute("tabindex", "0");
          el.dataset.gbScrollable = "1";
        }
        var labelled = el.hasAttribute("role") || el.hasAttribute("aria-label");
        if (!labelled && el.tagName !== "MJX-CONTAINER") {
          el.dataset.gbLabelled = "1";
          el.setAttribute("role", "group");
          el.setAttribute(
            "aria-label",
            el.classList.contains("arithmatex")
              ? "Formula, scrolls sideways"
              : el.classList.contains("md-typeset__scrollwrap")
                ? "Table, scrolls sideways"
                : "Notebook cell, scrolls"
          );
        }
      } else {
        // No longer overflows (a wider window): undo what was added here, nothing else.
        if (el.dataset.gbScrollable) {
          el.removeAttribute("tabindex");
          delete el.dataset.gbScrollable;
        }
        if (el.dataset.gbLabelled) {
          el.removeAttribute("role");
          el.removeAttribute("aria-label");
          delete el.dataset.gbLabelled;
        }
      }
    });
  }

  function typeset() {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) {
      markScrollables();
      return;
    }
    MathJax.startup.promise
      .then(function () {
        MathJax.startup.output.clearCache();
        MathJax.typesetClear();
        MathJax.texReset();
        return MathJax.typesetPromise(Array.from(document.querySelectorAll(MATH_SELECTOR)));
      })
      .then(function () {
        markScrollables();
        document.body.dataset.gbTypeset = String(Date.now());
      })
      .catch(function (error) {
        console.error("MathJax typesetting failed:", error);
      });
  }

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(markScrollables, 150);
  });

  if (window.document$) {
    window.document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
