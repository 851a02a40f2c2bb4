"""The chapter "Saturation and the non-saturating loss".

Page: ``docs/part-1/saturation.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
