"""The chapter "The shift toy".

Page: ``docs/part-1/shift-toy.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
