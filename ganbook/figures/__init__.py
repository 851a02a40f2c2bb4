"""The figures' shared look: the book's style, animation encoding, caption templates, plot helpers.

The figures themselves live with their chapters (``ganbook.book.<part>.<chapter>.figures``) and
are registered with `ganbook.engine.figure`.
"""
