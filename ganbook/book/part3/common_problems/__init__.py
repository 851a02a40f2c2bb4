"""The chapter "Common problems".

Page: ``docs/part-3/common-problems.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
