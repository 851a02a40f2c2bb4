"""Serving MathJax 3 from the site itself: no CDN; `npm ci` installs it from `package-lock.json`.

Only the combined TeX component and its web fonts are published, under ``assets/mathjax/``, with
the directory layout MathJax expects so that it finds its fonts relative to its own script.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

MATHJAX_PACKAGE = Path("node_modules") / "mathjax"
SITE_PREFIX = "assets/mathjax"
PUBLISHED = ("es5/tex-mml-chtml.js", "es5/output/chtml/fonts/woff-v2/*.woff")


def mathjax_files(project_root: Path) -> list[tuple[str, Path]]:
    """The ``(site path, file)`` pairs of MathJax to publish; ``PluginError`` if not installed."""
    package = project_root / MATHJAX_PACKAGE
    if not (package / "es5" / "tex-mml-chtml.js").is_file():
        raise PluginError(
            f"ganbook: MathJax is not installed at {package}; run `npm ci` (make site does it)"
        )
    found = []
    for pattern in PUBLISHED:
        for path in sorted(package.glob(pattern)):
            relative = path.relative_to(package / "es5").as_posix()
            found.append((f"{SITE_PREFIX}/{relative}", path))
    return found


def add_mathjax_files(files: Files, config, project_root: Path) -> None:
    """Append MathJax's script and fonts to the site's files as generated files."""
    for uri, path in mathjax_files(project_root):
        files.append(File.generated(config, uri, abs_src_path=str(path)))
