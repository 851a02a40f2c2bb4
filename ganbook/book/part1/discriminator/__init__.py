"""The chapter "The discriminator is a classifier".

Page: ``docs/part-1/discriminator.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
