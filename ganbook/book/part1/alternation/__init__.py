"""The chapter "Training by alternation".

Page: ``docs/part-1/alternation.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
