"""The chapter "Wasserstein GAN".

Page: ``docs/part-2/wasserstein-gan.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
