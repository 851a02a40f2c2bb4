r"""The book: one package per chapter, named after its page, in the order of the navigation.

``docs/part-2/wgan-gp.md`` is explained by ``ganbook.book.part2.wgan_gp``, which holds that
chapter's ``experiments``, ``figures`` and ``claims`` modules (any of them may be absent) and
nothing else; its tests are ``tests/book/test_wgan_gp.py``. Chapters import the library layers and
`ganbook.measures`, never each other: a chapter that uses another's results names them (a figure's
``experiments``, an experiment's ``needs``) and gets them through the engine and its cache.

The list below is the whole book; nothing is discovered. Loading it registers every experiment,
figure and claim.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from pathlib import PurePosixPath

PARTS = ("experiments", "figures", "claims")
"""The modules a chapter package may hold, loaded in this order (claims are about results)."""


@dataclass(frozen=True)
class Chapter:
    """A page of the site with code behind it, e.g. ``Chapter("part-2/wgan-gp")``.

    Parameters
    ----------
    page : str
        The page's path under ``docs/`` without ``.md``; its slug is the last component.
    """

    page: str

    @property
    def slug(self) -> str:
        """The page's file name without ``.md``, e.g. ``wgan-gp``."""
        return PurePosixPath(self.page).name

    @property
    def package(self) -> str:
        """The chapter's package, e.g. ``ganbook.book.part2.wgan_gp``."""
        part, slug = PurePosixPath(self.page).parts
        return f"{__name__}.{part.replace('-', '')}.{slug.replace('-', '_')}"

    @property
    def test_file(self) -> str:
        """The chapter's tests, e.g. ``tests/book/test_wgan_gp.py``."""
        return f"tests/book/test_{self.slug.replace('-', '_')}.py"

    def modules(self) -> list[str]:
        """The chapter's modules that exist, of `PARTS`, in that order."""
        return [
            f"{self.package}.{part}"
            for part in PARTS
            if importlib.util.find_spec(f"{self.package}.{part}") is not None
        ]


CHAPTERS = (
    Chapter("part-1/what-is-a-gan"),
    Chapter("part-1/discriminator"),
    Chapter("part-1/value-function"),
    Chapter("part-1/alternation"),
    Chapter("part-1/saturation"),
    Chapter("part-1/least-squares"),
    Chapter("part-1/shift-toy"),
    Chapter("part-2/optimal-discriminator"),
    Chapter("part-2/jensen-shannon"),
    Chapter("part-2/disjoint-supports"),
    Chapter("part-2/earth-movers-distance"),
    Chapter("part-2/wasserstein-gan"),
    Chapter("part-2/wgan-gp"),
    Chapter("part-2/dirac-gan"),
    Chapter("part-2/common-mistakes"),
    Chapter("part-3/dcgan"),
    Chapter("part-3/measuring"),
    Chapter("part-3/stylegan"),
    Chapter("part-3/which-loss"),
    Chapter("part-3/common-problems"),
    Chapter("reference/performance"),
)
"""Every chapter with code, in the order of the site's navigation."""


def get_chapter(slug: str) -> Chapter:
    """The chapter whose page slug (``wgan-gp``) or page (``part-2/wgan-gp``) is ``slug``."""
    for chapter in CHAPTERS:
        if slug in (chapter.slug, chapter.page):
            return chapter
    known = ", ".join(c.slug for c in CHAPTERS)
    raise ValueError(f"unknown chapter {slug!r}; the chapters are: {known}")


def load_book() -> None:
    """Import every chapter's modules, which registers their experiments, figures and claims."""
    for chapter in CHAPTERS:
        for module in chapter.modules():
            importlib.import_module(module)
