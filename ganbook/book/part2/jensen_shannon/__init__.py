"""The chapter "Jensen–Shannon".

Page: ``docs/part-2/jensen-shannon.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
