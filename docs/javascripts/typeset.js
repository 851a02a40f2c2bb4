// Typeset math on the first load and again after every instant-navigation page change.
// Material exposes page changes as the observable `document$`. Only two kinds of element hold
// math: Arithmatex output (class "arithmatex", with \( \) and \[ \] delimiters) and the Markdown
// cells of executed notebooks (class "jp-RenderedMarkdown", with $ and $$).
(function () {
  var MATH_SELECTOR = ".arithmatex, .jp-RenderedMarkdown";

  function typeset() {
    if (!window.MathJax || !MathJax.startup || !MathJax.startup.promise) return;
    MathJax.startup.promise
      .then(function () {
        MathJax.startup.output.clearCache();
        MathJax.typesetClear();
        MathJax.texReset();
        return MathJax.typesetPromise(Array.from(document.querySelectorAll(MATH_SELECTOR)));
      })
      .then(function () {
        document.body.dataset.gbTypeset = String(Date.now());
      })
      .catch(function (error) {
        console.error("MathJax typesetting failed:", error);
      });
  }

  if (window.document$) {
    window.document$.subscribe(typeset);
  } else {
    document.addEventListener("DOMContentLoaded", typeset);
  }
})();
