"""The chapter "WGAN-GP".

Page: ``docs/part-2/wgan-gp.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
