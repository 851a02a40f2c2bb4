"""The chapter "The earth mover's distance".

Page: ``docs/part-2/earth-movers-distance.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
