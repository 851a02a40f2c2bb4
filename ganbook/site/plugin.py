"""The ganbook MkDocs plugin: runs experiments, renders figures and fills pages at build time.

Configured in ``mkdocs.yml``::

    plugins:
      - ganbook:
          cache_dir: .cache/ganbook   # relative to mkdocs.yml
          device: auto                # auto | cpu | cuda | mps
          profile: standard           # test | standard | full
          only: ""                    # "wgan-gp,dirac-gan": build only these chapters
          workers: 2                  # local worker processes for the cache misses
          executor: local             # local | ray
          address: null               # the Ray cluster; null starts a local one

Nothing is written into ``docs/``: figures and the math library are added to the build as
generated files, so ``mkdocs serve`` does not rebuild in a loop.

A build whose code, options and machine are those of an earlier one reads that build's snapshot
(`ganbook.site.snapshot`) and imports neither torch, nor matplotlib, nor any chapter; any other
build goes through the engine (`ganbook.engine.build_all`), which recomputes only what changed.
With ``only``, the engine computes just those chapters' experiments; every other figure, result
and claim marker of the site is a placeholder that says so, never an older build's figure.

Errors: every exception raised in one of the plugin's hooks reaches MkDocs as a one-line
``PluginError`` (which MkDocs prints without a traceback) that names what failed: the page and
line of a directive (`ganbook.site.markup`), the figure or experiment a directive names, or
the cache directory for an ``OSError`` (a ``cache_dir`` that is a file, read-only, or full). A
``cache_dir`` that is not a directory is refused in ``on_config``, before anything is computed;
a read-only one that holds everything the build needs still builds (the snapshot is then not
stored, which only makes the next build slower).

Offline: the pages and scripts that the build ships carry no loader for code of another host
(`ganbook.site.offline`).
"""

from __future__ import annotations

import functools
import html
import inspect
import logging
import os
import re
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from ganbook.devices import DEVICE_CHOICES
from ganbook.engine.executors import EXECUTORS
from ganbook.engine.registry import PROFILES
from ganbook.figures.captions import format_value
from ganbook.site.companions import (
    CompanionError,
    chapter_of,
    companion_markdown,
    download_names,
    exercise_version,
    is_companion,
    notebook_title,
    solved_version,
    to_ipynb,
    with_companion_box,
    with_downloads,
)
from ganbook.site.ledger import LEDGER_URI, ledger_markdown
from ganbook.site.markup import (
    MarkupError,
    cited_experiments,
    claim_anchor,
    claim_ids_in,
    expand,
    names_in,
    result_html,
    table_markdown,
)
from ganbook.site.notebooks import (
    execute_ahead,
    key_notebook_cache_on_package,
    package_fingerprint,
    strip_mathjax2,
)
from ganbook.site.offline import (
    names_a_cdn,
    scrub_cdn_urls,
    strip_remote_scripts,
    without_source_map,
)
from ganbook.site.players import animation_frames, frame_uri, player_attributes
from ganbook.site.snapshot import (
    FigureView,
    SiteSnapshot,
    load_snapshot,
    save_snapshot,
    snapshot_key,
)
from ganbook.site.snippets import annotate_snippets
from ganbook.site.vendored import add_vendored_files

log = logging.getLogger("mkdocs.plugins.ganbook")
SCRIPT_SUFFIXES = (".js", ".mjs")


def one_line(text: str) -> str:
    r"""``text`` on one line: its lines, stripped, joined by ``"; "``.

    Examples
    --------
    >>> one_line("2 claims broke:\n  a.b: x\n  c.d: y")
    '2 claims broke: a.b: x; c.d: y'
    """
    joined = ""
    for line in (line.strip() for line in str(text).splitlines()):
        if line:
            joined += (" " if joined.endswith(":") else "; " if joined else "") + line
    return joined


def describe(error: BaseException) -> str:
    """One line about ``error``: its message, with its type unless it is a usual one.

    ``ValueError``, ``TypeError``, ``RuntimeError`` and ``AssertionError`` (the errors ganbook
    raises on purpose) give their message; an ``OSError`` its reason and the path(s); any other
    exception its type and message, and where in ganbook it was raised, if it was.

    Examples
    --------
    >>> describe(ValueError("threads must be at least 1"))
    'threads must be at least 1'
    >>> describe(NotADirectoryError(20, "Not a directory", "/c/experiments"))
    "Not a directory: '/c/experiments'"
    >>> describe(KeyError("w1"))
    "KeyError: 'w1'"
    """
    if isinstance(error, OSError) and error.strerror:
        paths = [repr(str(p)) for p in (error.filename, error.filename2) if p is not None]
        return one_line(f"{error.strerror}: {' -> '.join(paths)}" if paths else error.strerror)
    if isinstance(error, KeyError) and len(error.args) == 1 and isinstance(error.args[0], str):
        message = error.args[0]
        usual = " " in message  # a sentence, as ganbook raises it, not a bare missing key
        return one_line(message if usual else f"KeyError: {message!r}" + _raised_at(error))
    text = one_line(str(error)) or "(no message)"
    if isinstance(error, (ValueError, TypeError, RuntimeError, AssertionError)):
        return text
    return f"{type(error).__name__}: {text}{_raised_at(error)}"


def _raised_at(error: BaseException) -> str:
    """`` (at ganbook/….py:LINE)``: the innermost frame of the ganbook package, if any."""
    root = Path(__file__).resolve().parents[1]
    place = ""
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(root) and path.parent.name != "site":
            place = f" (at {path.relative_to(root.parent).as_posix()}:{frame.lineno})"
    return place


def reported(what: str | Callable[[dict], str]):
    """Make a hook turn any exception but ``PluginError`` into one that names ``what``.

    ``what`` says what was being done (``reading the configuration``); a callable gets the
    hook's arguments by name (``self`` included) and returns it (``page part-2/wgan-gp.md``).
    MkDocs prints a ``PluginError`` as one line, without a traceback.
    """

    def decorate(hook):
        signature = inspect.signature(hook)

        @functools.wraps(hook)
        def wrapper(*args, **kwargs):
            try:
                return hook(*args, **kwargs)
            except PluginError:
                raise
            except Exception as error:
                try:
                    arguments = signature.bind(*args, **kwargs).arguments
                    context = what(arguments) if callable(what) else what
                except Exception:
                    context = hook.__name__
                raise PluginError(f"ganbook: {context}: {describe(error)}") from error

        return wrapper

    return decorate


def _page(arguments: dict) -> str:
    """The page a page hook was called for, as ``page SRC_URI``."""
    page = arguments.get("page")
    return f"page {page.file.src_uri}" if page is not None else "a page"


def _below(path, root: Path) -> bool:
    """Whether ``path`` (an ``OSError``'s file name, maybe None) lies in ``root``."""
    try:
        return path is not None and Path(os.fsdecode(path)).resolve().is_relative_to(root)
    except (TypeError, ValueError, OSError):
        return False


def _first_line(page, markdown: str) -> int:
    """The line of ``page``'s source that ``markdown`` starts on (after its front matter)."""
    try:
        source = page.file.content_string
    except (OSError, ValueError, AssertionError):
        return 1
    if markdown and source.endswith(markdown):
        return 1 + source[: len(source) - len(markdown)].count("\n")
    return 1


class GanbookConfig(Config):
    """The plugin's options in ``mkdocs.yml`` (see the module's docstring)."""

    cache_dir = config_options.Type(str, default=".cache/ganbook")
    device = config_options.Choice(DEVICE_CHOICES, default="auto")
    profile = config_options.Choice(PROFILES, default="standard")
    threads = config_options.Type(int, default=2)
    workers = config_options.Type(int, default=2)
    executor = config_options.Choice(EXECUTORS, default="local")
    address = config_options.Optional(config_options.Type(str))
    repo_blob_url = config_options.Type(str, default="")
    only = config_options.Type(str, default="")


def chapter_slugs(only: str) -> tuple[str, ...]:
    """The chapters that ``only`` (``"wgan-gp, dirac-gan"``) names; ``ValueError`` for others.

    Examples
    --------
    >>> chapter_slugs(" wgan-gp,,shift-toy ")
    ('wgan-gp', 'shift-toy')
    >>> chapter_slugs("")
    ()
    """
    from ganbook.book import get_chapter

    slugs = tuple(part.strip() for part in only.split(",") if part.strip())
    return tuple(get_chapter(slug).slug for slug in slugs)


class GanbookPlugin(BasePlugin[GanbookConfig]):
    """Builds every registered experiment and figure, and expands the page directives."""

    def __init__(self) -> None:
        super().__init__()
        self.animations: dict[str, tuple[int, ...]] = {}  # figure: its frames' durations
        self.companions: dict[str, tuple[str, str]] = {}  # chapter page: (notebook, title)

    @reported("reading the configuration")
    def on_config(self, config):
        """Check the options; resolve the cache directory; key the notebook cache on the code."""
        if self.config.threads < 1:
            raise PluginError(f"ganbook: threads must be at least 1, got {self.config.threads}")
        if self.config.workers < 1:
            raise PluginError(f"ganbook: workers must be at least 1, got {self.config.workers}")
        try:
            self.chapters = chapter_slugs(self.config.only)
        except ValueError as error:
            raise PluginError(f"ganbook: only: {error}") from error
        root = Path(config.config_file_path).parent
        self.cache_dir = (root / self.config.cache_dir).resolve()
        self.project_root = root
        self._check_cache_dir()
        self.package = package_fingerprint()
        key_notebook_cache_on_package(config, self.cache_dir, self.package)
        return config

    def _check_cache_dir(self) -> None:
        """Refuse a ``cache_dir`` that is not a directory and cannot be made one."""
        if self.cache_dir.exists() and not self.cache_dir.is_dir():
            raise PluginError(f"ganbook: cache_dir {self.cache_dir} is not a directory")
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PluginError(
                f"ganbook: cannot create the cache directory {self.cache_dir}: {describe(error)}"
            ) from error

    @property
    def preview(self) -> str | None:
        """``GANBOOK_ONLY=…`` for a partial build, None for the whole book."""
        return f"GANBOOK_ONLY={','.join(self.chapters)}" if self.chapters else None

    def snapshot_key(self, config) -> str:
        """The key of this build's snapshot (`ganbook.site.snapshot.snapshot_key`)."""
        return snapshot_key(
            package=self.package,
            profile=self.config.profile,
            device=self.config.device,
            threads=self.config.threads,
            chapters=self.chapters,
            cited=self._cited(config),
            executor=self.config.executor,
            address=self.config.address,
        )

    @reported(lambda arguments: f"preparing the site's files (cache {arguments['self'].cache_dir})")
    def on_files(self, files: Files, config) -> Files:
        """Read the snapshot of this build, or build it; add figures, MathJax, TF.js and the ledger.

        Last, every script the build ships is made unable to load code from a CDN
        (`ganbook.site.offline`), and the source maps are left out.
        """
        cited = self._cited(config)
        key = self.snapshot_key(config)
        snapshot = load_snapshot(self.cache_dir, key)
        if snapshot is None:
            snapshot = self._build(cited)
            try:
                save_snapshot(snapshot, self.cache_dir, key)
            except OSError as error:  # a read-only cache still builds (info: --strict)
                log.info(
                    "ganbook: the build's snapshot was not stored in %s (%s); the next build "
                    "reads the cache again",
                    self.cache_dir,
                    describe(error),
                )
        else:
            log.info(
                "ganbook: nothing changed since the build of snapshot %s: %d results, %d figures "
                "and %d claim outcomes read back, nothing run or drawn",
                key[:12],
                len(snapshot.scalars),
                len(snapshot.figures),
                len(snapshot.outcomes),
            )
        self.snapshot = snapshot
        self.claims = {item.id: item for item in snapshot.claims}
        self.animations = {}
        for view in snapshot.figures.values():
            files.append(File.generated(config, f"figures/{view.filename}", abs_src_path=view.path))
            if view.filename.endswith(".gif"):
                self.animations[view.name] = self._add_frames(files, config, view)
        add_vendored_files(files, config, self.project_root)
        self.companions = self._add_companions(files, config)
        self._execute_notebooks(config, files)
        files.append(File.generated(config, LEDGER_URI, content=self._ledger(files)))
        offline_scripts(files)
        return files

    def _execute_notebooks(self, config, files: Files) -> None:
        """Run the uncached notebook pages now, ``workers`` kernels at a time (`execute_ahead`)."""
        start = time.perf_counter()
        executed = execute_ahead(config, files, self.config.workers)
        if executed:
            log.info(
                "ganbook: executed %d notebooks in %.1f s, %d at a time",
                len(executed),
                time.perf_counter() - start,
                self.config.workers,
            )

    @staticmethod
    def _add_companions(files: Files, config) -> dict[str, tuple[str, str]]:
        """Publish each companion notebook's two ``.ipynb`` versions beside its page.

        Returns ``{chapter page's source: (notebook's source, its title)}``.
        """
        companions = {}
        for file in [f for f in files if is_companion(f.src_uri)]:
            source = Path(file.abs_src_path).read_text(encoding="utf-8")
            where = f"docs/{file.src_uri}"
            try:
                versions = {
                    "exercise": exercise_version(source, where=where),
                    "solved": solved_version(source, where=where),
                }
                title = notebook_title(source, where=where)
            except CompanionError as error:
                raise PluginError(f"ganbook: {error}") from error
            downloads = download_names(file.src_uri)
            for version, text in versions.items():
                uri = getattr(downloads, version)
                files.append(File.generated(config, uri, content=to_ipynb(text)))
            companions[chapter_of(file.src_uri)] = (file.src_uri, title)
        return companions

    @staticmethod
    def _add_frames(files: Files, config, view: FigureView) -> tuple[int, ...]:
        """Publish the frames of the animation ``view`` for its player; return their durations."""
        frames = animation_frames(Path(view.path).read_bytes(), what=f"figure {view.name!r}")
        for index, png in enumerate(frames.pngs):
            files.append(File.generated(config, frame_uri(view.name, index), content=png))
        return frames.durations_ms

    def _cited(self, config) -> dict[str, tuple[str, ...]]:
        """The figures and experiments that the pages of the chosen chapters name (if any)."""
        from ganbook.book import get_chapter

        if not self.chapters:
            return {}
        cited: dict[str, set[str]] = {"figure": set(), "result": set()}
        for slug in self.chapters:
            page = Path(config.docs_dir) / f"{get_chapter(slug).page}.md"
            if page.is_file():
                text = page.read_text(encoding="utf-8")
                cited["figure"].update(names_in(text, "figure"))
                cited["result"].update(cited_experiments(text))
        return {kind: tuple(sorted(names)) for kind, names in cited.items()}

    def _build(self, cited: dict[str, tuple[str, ...]]) -> SiteSnapshot:
        """Run the engine (what is missing from its cache) and return the build's snapshot.

        If any ganbook module changed since this process imported it (``mkdocs serve``), every
        one is unloaded first, so that the experiments, figures and claims of this build are
        the code on disk (`ganbook.engine.freshness`).
        """
        from ganbook.engine.freshness import reload_if_changed

        changed = reload_if_changed()
        if changed:
            log.info("ganbook: reloaded the code, which changed since it was imported: %s", changed)
        from ganbook.engine.build import build_all, chapter_scope
        from ganbook.site.snapshot import snapshot_of

        try:
            scope = None
            if self.chapters:
                scope = chapter_scope(
                    self.chapters,
                    cited_figures=cited.get("figure", ()),
                    cited_experiments=cited.get("result", ()),
                )
            built = build_all(
                profile=self.config.profile,
                device=self.config.device,
                cache_dir=self.cache_dir,
                threads=self.config.threads,
                report=lambda line: log.info("ganbook: %s", line),
                workers=self.config.workers,
                scope=scope,
                executor=self.config.executor,
                address=self.config.address,
            )
            return snapshot_of(built, profile=self.config.profile, chapters=self.chapters)
        except Exception as error:
            what = ""  # the errors ganbook raises on purpose say what they are about
            if isinstance(error, OSError) and _below(error.filename, self.cache_dir):
                what = f"the cache directory {self.cache_dir} cannot be used: "
            elif not isinstance(error, (ValueError, TypeError, RuntimeError)):
                what = f"building the experiments and figures (profile {self.config.profile}): "
            raise PluginError(f"ganbook: {what}{describe(error)}") from error

    def _ledger(self, files: Files) -> str:
        """The claims ledger, with each claim linked to the page whose marker cites it."""
        citations: dict[str, tuple[str, str]] = {}
        for file in files.documentation_pages():
            if file.abs_src_path is None or not file.src_uri.endswith(".md"):
                continue
            text = Path(file.abs_src_path).read_text(encoding="utf-8")
            title = next(
                (line[2:].strip() for line in text.splitlines() if line.startswith("# ")),
                file.src_uri,
            )
            for claim_id in claim_ids_in(text):
                if claim_id in citations:
                    raise PluginError(
                        f"ganbook: claim {claim_id} is cited twice ({citations[claim_id][0]} and "
                        f"{file.src_uri}); a claim checks one sentence"
                    )
                url = get_relative_url(file.url, "reference/claims/")
                citations[claim_id] = (title, url)
        seeds = list(self.snapshot.seed_offsets)
        note = (
            "Results come from the published seeds."
            if seeds in ([0], [])
            else f"Results come from the seeds shifted by {seeds}."
        )
        return ledger_markdown(
            self.snapshot.claims,
            self.snapshot.outcomes,
            citations,
            profile=self.config.profile,
            seed_note=note,
            preview=self.preview,
            built=self.snapshot.scalars.keys(),
        )

    @reported(_page)
    def on_page_markdown(self, markdown, page, config, files):
        """Expand the page's directives (`ganbook.site.markup`); errors name page and line.

        Only Markdown pages have directives: a notebook page (``*.nb.py``) is rendered by
        mkdocs-jupyter from its source, not from this Markdown.
        """
        if not page.file.src_uri.endswith(".md"):
            return markdown
        try:
            markdown = expand(
                markdown,
                figure=lambda name: self._figure_html(name, page),
                result=self._result_html,
                where=page.file.src_uri,
                claim=lambda claim_id: self._claim_html(claim_id, page),
                table=self._table_markdown,
                first_line=_first_line(page, markdown),
            )
        except MarkupError as error:
            raise PluginError(f"ganbook: {one_line(str(error))}") from error
        if "--8<--" in markdown:  # a header above every included snippet, for instructors
            markdown = annotate_snippets(markdown, self.project_root)
        companion = self.companions.get(page.file.src_uri)
        if companion is not None:
            notebook, title = companion
            box = companion_markdown(title, page.file.src_uri, notebook)
            markdown = with_companion_box(markdown, box)
        return markdown

    @reported(_page)
    def on_page_content(self, html_text, page, config, files):
        """Remove mkdocs-jupyter's MathJax 2 scripts; put a companion's downloads on top."""
        html_text = strip_mathjax2(html_text)
        if is_companion(page.file.src_uri):
            html_text = with_downloads(html_text, page.file.src_uri)
        return html_text

    @reported(_page)
    def on_post_page(self, output, page, config):
        """Drop the page's scripts that would load code from another host, or have no source."""
        return strip_remote_scripts(output)

    def _not_built_html(self, experiment: str, key: str) -> str:
        title = html.escape(
            f"{experiment} · {key}: not computed in this preview ({self.preview})", quote=True
        )
        text = "[not built in this preview]"
        return f'<span class="gb-result gb-not-built" title="{title}">{text}</span>'

    def _scalar(self, experiment: str, key: str):
        """The scalar ``key`` of ``experiment`` in this build, None if a preview skipped it."""
        scalars = self.snapshot.scalars.get(experiment)
        if scalars is None and experiment in self.snapshot.known_experiments:
            return None
        if scalars is None:
            known = ", ".join(self.snapshot.known_experiments)
            raise KeyError(f"unknown experiment {experiment!r} in a result; known: {known}")
        if key not in scalars:
            known = ", ".join(sorted(scalars)) or "none"
            raise KeyError(f"no scalar {key!r}; this result has: {known}")
        return scalars[key]

    def _result_html(self, experiment: str, key: str, spec: str | None) -> str:
        value = self._scalar(experiment, key)
        if value is None:
            return self._not_built_html(experiment, key)
        return result_html(experiment, key, format_value(value, spec))

    def _table_markdown(self, experiment: str, key: str) -> str:
        value = self._scalar(experiment, key)
        if value is None:
            return self._not_built_html(experiment, key)
        return table_markdown(value)

    def _claim_html(self, claim_id: str, page) -> str:
        if claim_id not in self.claims:
            raise KeyError(f"unknown claim {claim_id!r}; the ledger lists the known ones")
        item = self.claims[claim_id]
        anchor = claim_anchor(claim_id)
        href = get_relative_url(LEDGER_URI.replace(".md", "/"), page.file.url)
        if claim_id in self.snapshot.outcomes:
            classes, mark, checked = "gb-claim", "✓", "Checked at build"
        elif self.preview and item.experiment not in self.snapshot.scalars:
            classes, mark, checked = (
                "gb-claim gb-not-built",
                "?",
                f"Not checked in this preview ({self.preview})",
            )
        else:
            classes, mark, checked = "gb-claim", "✓", "Not checked in this profile"
        title = html.escape(f"{checked}: {item.statement}", quote=True)
        return (
            f'<a class="{classes}" id="{anchor}" href="{href}#ledger-{anchor}" title="{title}">'
            f"{mark}</a>"
        )

    def _figure_html(self, name: str, page) -> str:
        view = self.snapshot.figures.get(name)
        if view is None and name in self.snapshot.known_figures:
            return not_built_html(name, self.preview)
        if view is None:
            known = ", ".join(self.snapshot.known_figures)
            raise KeyError(f"unknown figure {name!r}; known: {known}")
        src = get_relative_url(f"figures/{view.filename}", page.file.url)
        provenance = " · ".join(_provenance(view, self.config.repo_blob_url))
        image = f'<img src="{src}" alt="{html.escape(view.alt, quote=True)}">'
        durations = self.animations.get(name)
        if durations is not None:
            urls = [
                get_relative_url(frame_uri(name, k), page.file.url) for k in range(len(durations))
            ]
            image = f'<div class="gb-player" {player_attributes(urls, durations)}>{image}</div>'
        return (
            f'\n<figure class="gb-figure" id="fig-{name}" markdown="1">\n'
            f"{image}\n"
            f'<figcaption markdown="1">\n{view.caption}\n'
            f'<span class="gb-provenance">{provenance}</span>\n'
            "</figcaption>\n</figure>\n"
        )


def offline_scripts(files: Files) -> None:
    """Make every script of ``files`` unable to load a CDN's code; leave the source maps out.

    A script that names a CDN (`ganbook.site.offline.CDN_HOSTS`) or a source map gets its
    rewritten text as content (`scrub_cdn_urls`, `without_source_map`); the others are copied
    as they are. A ``.map`` would no longer match its script, and its sources name the CDNs.
    """
    for file in list(files):
        if file.src_uri.endswith(".map"):
            files.remove(file)
        elif file.src_uri.endswith(SCRIPT_SUFFIXES):
            data = file.content_bytes
            if b"sourceMappingURL" not in data and not names_a_cdn(data.decode("latin-1")):
                continue
            text = file.content_string
            file.content_string = without_source_map(scrub_cdn_urls(text))


def not_built_html(name: str, preview: str | None) -> str:
    """The placeholder of a figure that a partial build (``preview``) does not draw."""
    return (
        f'\n<div class="admonition note gb-not-built" id="fig-{name}">\n'
        '<p class="admonition-title">Figure not built in this preview</p>\n'
        f"<p>This figure (<code>{html.escape(name)}</code>) is not built in this preview "
        f"({html.escape(preview or '')}): its chapter was left out. A build without "
        "<code>GANBOOK_ONLY</code> draws it.</p>\n</div>\n"
    )


def _provenance(view: FigureView, blob_url: str) -> list[str]:
    parts = list(view.provenance)
    source = view.source_link
    if blob_url:
        parts.append(f'<a href="{blob_url.rstrip("/")}/{source}">figure source</a>')
    else:
        parts.append(f"figure source <code>{re.sub('#L', ':', source)}</code>")
    return parts
