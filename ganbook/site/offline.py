r"""No latent outside requests: the shipped pages and scripts cannot load code from another host.

The site serves everything it uses itself (MathJax and TensorFlow.js included, see
`ganbook.site.vendored`), but some of the code it ships carries loaders for a CDN that would fire
only in rare conditions:

- mkdocs-jupyter's notebook pages hold an inline ``<script type="module">`` that would
  ``import()`` Mermaid and its ELK layout from ``cdnjs.cloudflare.com`` if the page had a
  ``.jp-Mermaid`` diagram, and an empty ``<script src="">`` left where its MathJax 2 loader was
  (its ``custom_mathjax_url`` option is empty; mkdocs-jupyter has no option for the Mermaid one);
- Material's ``bundle.*.min.js`` falls back to ``unpkg.com`` for Mermaid (for ``.mermaid``
  blocks) and for a ``ResizeObserver`` polyfill (in browsers without one);
- MathJax's ``tex-mml-chtml.js`` names ``cdn.jsdelivr.net`` as the home of the speech rule
  engine's maps and of an XPath polyfill (its speech and old-browser code paths).

`strip_remote_scripts` drops from a page every ``<script>`` whose ``src`` is on another host or
empty, and every inline script whose code loads a URL of another host (``import("https://…")``,
``import … from "https://…"``, ``importScripts``, ``.src = "https://…"``, or a dynamic
``import()`` in a script that holds such a URL). `scrub_cdn_urls` rewrites every URL of a known
CDN (`CDN_HOSTS`) in a script into a ``data:`` URL of a script that does nothing (padded to the
same length, so that offsets in the file do not move): a fallback that fires loads nothing from
anywhere. The plugin applies the first to every page (``on_post_page``), and the second and
`without_source_map` to every ``.js`` and ``.mjs`` file of the build (``on_files``), where it
also leaves out the ``.map`` source maps: they would no longer match the rewritten scripts, and
their embedded sources name the CDNs in comments. Nothing in the built site names a CDN.

What is left in the shipped JavaScript are URLs that load no code: XML namespaces, links in
comments and in MathJax's "About" dialog, and Material's repository-facts requests to
``api.github.com`` and GitLab, which it makes only for a ``repo_url``, which ``mkdocs.yml`` does
not set (the site's browser and build tests check both).
"""

from __future__ import annotations

import re

#: Hosts that serve JavaScript packages; no shipped script may name one.
CDN_HOSTS = (
    "unpkg.com",
    "cdn.jsdelivr.net",
    "fastly.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "esm.sh",
    "cdn.skypack.dev",
    "ga.jspm.io",
    "ajax.googleapis.com",
    "code.jquery.com",
)

#: What a CDN URL becomes: a script that does nothing, then ``/`` (a comment) as padding.
NO_OP_SCRIPT = "data:text/javascript,"

CDN_URL = re.compile(
    r"(?:https?:)?//(?:[\w-]+\.)*(?:"
    + "|".join(re.escape(host) for host in CDN_HOSTS)
    + r")(?![\w.-])[^\s\"'`\\)]*"
)
SCRIPT = re.compile(r"<script\b(?P<attrs>[^>]*)>(?P<code>.*?)</script\s*>", re.DOTALL | re.I)
SRC = re.compile(r"""\bsrc\s*(?:=\s*(?:"(?P<q>[^"]*)"|'(?P<s>[^']*)'|(?P<u>[^\s>]+)))?""", re.I)
TYPE = re.compile(r"""\btype\s*=\s*["']?(?P<type>[^"'\s>]+)""", re.I)
REMOTE = r"""["'`](?:https?:)?//[^"'`\s]"""
REMOTE_URL = re.compile(REMOTE, re.I)
LOADS_REMOTE = re.compile(
    r"\bimport\s*\(\s*"
    + REMOTE  # import("https://…")
    + r"|\bimport\b[\w\s{},*$]*?\bfrom\s*"
    + REMOTE  # import x from "https://…"
    + r"|\bimport\s*"
    + REMOTE  # import "https://…"
    + r"|\bimportScripts\s*\([^)]*?"
    + REMOTE  # importScripts("https://…")
    + r"|\.src\s*=\s*"
    + REMOTE  # script.src = "https://…"
    + r"|\bsrc\s*:\s*"
    + REMOTE,  # createElement("script", {src: "https://…"})
    re.I,
)
DYNAMIC_LOAD = re.compile(r"\bimport\s*\(|\bimportScripts\s*\(", re.I)
SOURCE_MAP = re.compile(r"^//# sourceMappingURL=\S*[ \t]*\n?", re.MULTILINE)
DATA_TYPES = ("application/json", "application/ld+json")  # not code; an importmap is code


def _remote_src(attrs: str) -> bool:
    """Whether a ``<script>`` tag's attributes load another host's file, or an empty ``src``."""
    match = SRC.search(attrs)
    if match is None:
        return False
    value = next((v for v in match.group("q", "s", "u") if v is not None), "").strip()
    return value == "" or bool(re.match(r"(?:https?:)?//", value, re.I))


def loads_remote_code(code: str) -> bool:
    """Whether inline script ``code`` would load code from a URL of another host.

    Examples
    --------
    >>> loads_remote_code('const m = await import("https://cdn.example/m.mjs");')
    True
    >>> loads_remote_code('const u = "https://x.example/e.mjs"; await import(u);')
    True
    >>> loads_remote_code('document.title = "see https://example.org";')
    False
    """
    if LOADS_REMOTE.search(code):
        return True
    return bool(DYNAMIC_LOAD.search(code) and REMOTE_URL.search(code))


def strip_remote_scripts(html_text: str) -> str:
    """``html_text`` without the scripts that load another host's code, nor empty-``src`` ones.

    Examples
    --------
    >>> strip_remote_scripts('<p>a</p><script src=""> </script><script>go()</script>')
    '<p>a</p><script>go()</script>'
    >>> strip_remote_scripts('<script type="module">import("https://cdn.example/m.mjs")</script>')
    ''
    """

    def keep(match: re.Match) -> str:
        attrs, code = match.group("attrs"), match.group("code")
        kind = TYPE.search(attrs)
        if _remote_src(attrs):
            return ""
        if kind and kind.group("type").lower() in DATA_TYPES:
            return match.group(0)  # data, not code
        if kind and kind.group("type").lower() == "importmap":
            return "" if REMOTE_URL.search(code) else match.group(0)
        return "" if loads_remote_code(code) else match.group(0)

    return SCRIPT.sub(keep, html_text)


def scrub_cdn_urls(text: str) -> str:
    """``text`` (a script) with every URL of a CDN made a no-op script URL of the same length.

    Examples
    --------
    >>> url = "https://unpkg.com/mermaid@11/dist/mermaid.min.js"
    >>> scrubbed = scrub_cdn_urls(f'_t("{url}")')
    >>> scrubbed.startswith('_t("data:text/javascript,//'), len(scrubbed) == len(url) + 6
    (True, True)
    >>> scrub_cdn_urls('a="https://www.mathjax.org"') == 'a="https://www.mathjax.org"'
    True
    """

    def no_op(match: re.Match) -> str:
        padding = max(len(match.group(0)) - len(NO_OP_SCRIPT), 0)
        return NO_OP_SCRIPT + ("/" * padding if padding != 1 else " ")  # a lone / is not JS

    return CDN_URL.sub(no_op, text)


def without_source_map(text: str) -> str:
    r"""``text`` (a script) without its ``//# sourceMappingURL=`` comment.

    Examples
    --------
    >>> without_source_map("f();\n//# sourceMappingURL=bundle.min.js.map\n")
    'f();\n'
    """
    return SOURCE_MAP.sub("", text)


def names_a_cdn(text: str) -> bool:
    """Whether ``text`` names any of `CDN_HOSTS` (in a URL or not)."""
    return any(host in text for host in CDN_HOSTS)
