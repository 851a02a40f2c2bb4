"""Two fixes for mkdocs-jupyter pages: a cache keyed on the package, and no MathJax 2 script.

mkdocs-jupyter caches an executed notebook by the notebook's own bytes only, so a change in
``ganbook`` would not re-execute it. We point its cache at a directory named after a hash of the
package's source. It also emits a MathJax 2 loader block that throws after instant navigation; the
site typesets notebook cells with its own MathJax 3, so the block is removed.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import ganbook

MATHJAX2_BLOCK = re.compile(
    r"<script[^>]*>(?:(?!</script>).)*?(?:MathJax\.Hub|mathjax/2\.|\[mathjax\]|TeX-AMS)"
    r"(?:(?!</script>).)*</script>|<script[^>]*src=\"[^\"]*mathjax[^\"]*2\.7[^\"]*\"[^>]*></script>",
    flags=re.DOTALL | re.IGNORECASE,
)


def package_fingerprint() -> str:
    """SHA-256 of every ``.py`` file of the installed ganbook package, by relative path."""
    root = Path(ganbook.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def key_notebook_cache_on_package(config, cache_dir: Path, fingerprint: str) -> None:
    """Point mkdocs-jupyter's cache at ``cache_dir/notebooks/<fingerprint>``, if it is enabled.

    ``fingerprint`` is the build's `package_fingerprint`, computed once per build.
    """
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None:
        return
    plugin.config["cache_dir"] = str(cache_dir / "notebooks" / fingerprint[:24])


def strip_mathjax2(html_text: str) -> str:
    """Remove MathJax 2 loader and configuration scripts from a page's HTML.

    Examples
    --------
    >>> strip_mathjax2('<p>x</p><script>MathJax.Hub.Config({});</script>')
    '<p>x</p>'
    """
    return MATHJAX2_BLOCK.sub("", html_text)
