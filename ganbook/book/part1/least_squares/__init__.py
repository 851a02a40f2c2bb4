"""The chapter "Least squares".

Page: ``docs/part-1/least-squares.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
