r"""The browser libraries the site serves itself (no CDN), installed by `npm ci` from the lock file.

- MathJax 3: only the combined TeX component and its web fonts, under ``assets/mathjax/``, with
  the directory layout MathJax expects, so that it finds its fonts relative to its own script;
- TensorFlow.js: its one-file browser bundle ``tf.min.js`` (with its licence header), under
  ``assets/tfjs/``, which the lab's script loads only on the lab's page.

Each is published as generated files of the build: nothing is copied into ``docs/``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files


@dataclass(frozen=True)
class Vendored:
    r"""An npm package's files that the site publishes, and where.

    Parameters
    ----------
    name : str
        What the error message calls it.
    package : Path
        The package's directory, relative to the project root (under ``node_modules``).
    root : str
        The directory of the package whose layout the site keeps below ``prefix``.
    prefix : str
        Where the files appear in the site.
    published : tuple of str
        Glob patterns, relative to ``root``, of the files to publish; the first names the file
        that must exist for the package to count as installed.
    """

    name: str
    package: Path
    root: str
    prefix: str
    published: tuple[str, ...]

    def files(self, project_root: Path) -> list[tuple[str, Path]]:
        r"""The ``(site path, file)`` pairs to publish; ``PluginError`` if not installed."""
        root = project_root / self.package / self.root
        if not (root / self.published[0]).is_file():
            raise PluginError(
                f"ganbook: {self.name} is not installed at {project_root / self.package}; run "
                "`npm ci` (make site does it)"
            )
        return [
            (f"{self.prefix}/{path.relative_to(root).as_posix()}", path)
            for pattern in self.published
            for path in sorted(root.glob(pattern))
        ]


MATHJAX = Vendored(
    "MathJax",
    Path("node_modules") / "mathjax",
    "es5",
    "assets/mathjax",
    ("tex-mml-chtml.js", "output/chtml/fonts/woff-v2/*.woff"),
)
TFJS = Vendored(
    "TensorFlow.js",
    Path("node_modules") / "@tensorflow" / "tfjs",
    "dist",
    "assets/tfjs",
    ("tf.min.js",),
)
VENDORED = (MATHJAX, TFJS)
r"""Every browser library of the site."""


def add_vendored_files(files: Files, config, project_root: Path) -> None:
    """Append every library's files (`VENDORED`) to the site's files, as generated files."""
    for library in VENDORED:
        for uri, path in library.files(project_root):
            files.append(File.generated(config, uri, abs_src_path=str(path)))
