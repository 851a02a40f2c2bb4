"""The chapter "One objective, two players".

Page: ``docs/part-1/value-function.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
