"""The chapter "Which loss?".

Page: ``docs/part-3/which-loss.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
