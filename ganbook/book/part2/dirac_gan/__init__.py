"""The chapter "Does it converge? The Dirac-GAN".

Page: ``docs/part-2/dirac-gan.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
