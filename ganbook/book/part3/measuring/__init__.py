"""The chapter "Measuring a generator".

Page: ``docs/part-3/measuring.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
