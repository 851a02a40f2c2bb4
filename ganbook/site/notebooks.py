"""mkdocs-jupyter, fixed: a cache keyed on the package, parallel execution, no MathJax 2 script.

mkdocs-jupyter caches an executed notebook by the notebook's own bytes only, so a change in
``ganbook`` would not re-execute it. We point its cache at a directory named after a hash of the
package's source. It also emits a MathJax 2 loader block that throws after instant navigation; the
site typesets notebook cells with its own MathJax 3, so the block is removed. And it executes the
notebooks one after another as it renders their pages: `execute_ahead` runs them beforehand,
several kernels at a time, into the same cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
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


def execute_ahead(config, files, threads: int) -> list[str]:
    """Execute the notebooks that mkdocs-jupyter has not cached yet, ``threads`` at a time.

    mkdocs-jupyter executes each notebook page when it renders it, one after another, and caches
    the page by the notebook's bytes and its options (in the directory that
    `key_notebook_cache_on_package` chose). This does the same work beforehand, in parallel
    kernels, and writes the same cache entries, so that mkdocs-jupyter then reads them back.
    A notebook that fails here is left uncached: mkdocs-jupyter runs it again and reports its
    error as it always does.

    Returns
    -------
    list of str
        The notebooks executed (their paths under docs).
    """
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or not plugin.config["cache"] or not plugin.config["execute"]:
        return []
    from concurrent.futures import ThreadPoolExecutor

    from mkdocs_jupyter import plugin as jupyter

    pending = []
    for file in files:
        if not plugin.should_include(file):
            continue
        ignored = any(
            Path(file.abs_src_path).match(pattern) for pattern in plugin.config["execute_ignore"]
        )
        key = jupyter._compute_cache_key(file.abs_src_path, plugin.config, not ignored)
        path = jupyter._get_cache_path(plugin.config["cache_dir"], key)
        if not ignored and not path.exists():
            pending.append((file, path))

    def execute(item) -> str | None:
        file, path = item
        options = plugin.config
        try:
            body = jupyter.convert.nb2html(
                file.abs_src_path,
                execute=True,
                **{
                    name: options[name]
                    for name in (
                        "kernel_name", "theme", "allow_errors", "show_input", "no_input",
                        "no_prompt", "remove_tag_config", "highlight_extra_classes",
                        "include_requirejs", "custom_mathjax_url",
                    )
                },
            )  # fmt: skip
            toc_tokens, title = jupyter._get_nb_toc_tokens(file.abs_src_path, options["toc_depth"])
        except Exception:  # mkdocs-jupyter runs it again, and reports the error itself
            return None
        entry = json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title})
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(entry, encoding="utf-8")
        temporary.replace(path)
        return file.src_uri

    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        done = list(pool.map(execute, pending))
    return [uri for uri in done if uri is not None]
