"""The chapter "What a GAN is".

Page: ``docs/part-1/what-is-a-gan.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
