"""The chapter "DCGAN on real digits".

Page: ``docs/part-3/dcgan.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
