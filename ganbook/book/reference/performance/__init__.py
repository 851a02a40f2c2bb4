"""The chapter "Performance".

Page: ``docs/reference/performance.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
