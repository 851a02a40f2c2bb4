"""Every figure module of the book; importing this registers them all."""

from ganbook.figures import shift_toy  # noqa: F401
