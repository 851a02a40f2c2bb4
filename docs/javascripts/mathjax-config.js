// MathJax 3 configuration, read before the MathJax script (served from assets/mathjax, no CDN).
// Typesetting is started by typeset.js, on the elements that hold math only.
window.MathJax = {
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  startup: { typeset: false },
};
