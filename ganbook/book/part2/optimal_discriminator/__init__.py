"""The chapter "The optimal discriminator".

Page: ``docs/part-2/optimal-discriminator.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
