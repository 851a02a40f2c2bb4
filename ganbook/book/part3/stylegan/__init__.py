"""The chapter "StyleGAN's generator".

Page: ``docs/part-3/stylegan.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
