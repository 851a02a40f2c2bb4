"""The chapter "Common mistakes": loss snippets readers copy, what each does, and the fix.

Page: ``docs/part-2/common-mistakes.md``. Modules: ``experiments``, ``figures``, ``claims``.
"""
