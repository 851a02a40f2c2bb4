"""The chapter "When the supports do not overlap".

Page: ``docs/part-2/disjoint-supports.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
