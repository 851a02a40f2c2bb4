"""The ganbook MkDocs plugin: runs experiments, renders figures and fills pages at build time.

Configured in ``mkdocs.yml``::

    plugins:
      - ganbook:
          cache_dir: .cache/ganbook   # relative to mkdocs.yml
          device: auto                # auto | cpu | cuda | mps
          profile: standard           # test | standard | full

Nothing is written into ``docs/``: figures and the math library are added to the build as
generated files, so ``mkdocs serve`` does not rebuild in a loop.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from ganbook.devices import DEVICE_CHOICES
from ganbook.experiments import PROFILES, all_claims
from ganbook.experiments.fingerprint import module_closure
from ganbook.figures.captions import fill_template, format_value
from ganbook.figures.render import RenderedFigure, build_all
from ganbook.site.ledger import LEDGER_URI, ledger_markdown
from ganbook.site.markup import (
    MarkupError,
    claim_anchor,
    claim_ids_in,
    expand,
    result_html,
)
from ganbook.site.mathjax import add_mathjax_files
from ganbook.site.notebooks import key_notebook_cache_on_package, strip_mathjax2

log = logging.getLogger("mkdocs.plugins.ganbook")


class GanbookConfig(Config):
    cache_dir = config_options.Type(str, default=".cache/ganbook")
    device = config_options.Choice(DEVICE_CHOICES, default="auto")
    profile = config_options.Choice(PROFILES, default="standard")
    threads = config_options.Type(int, default=2)
    workers = config_options.Type(int, default=2)
    repo_blob_url = config_options.Type(str, default="")


class GanbookPlugin(BasePlugin[GanbookConfig]):
    """Builds every registered experiment and figure, and expands the page directives."""

    def on_config(self, config):
        if self.config.threads < 1:
            raise PluginError(f"ganbook: threads must be at least 1, got {self.config.threads}")
        if self.config.workers < 1:
            raise PluginError(f"ganbook: workers must be at least 1, got {self.config.workers}")
        root = Path(config.config_file_path).parent
        self.cache_dir = (root / self.config.cache_dir).resolve()
        self.project_root = root
        key_notebook_cache_on_package(config, self.cache_dir)
        return config

    def on_files(self, files: Files, config) -> Files:
        module_closure.cache_clear()
        try:
            built = build_all(
                profile=self.config.profile,
                device=self.config.device,
                cache_dir=self.cache_dir,
                threads=self.config.threads,
                report=lambda line: log.info("ganbook: %s", line),
                workers=self.config.workers,
            )
        except (ValueError, TypeError, RuntimeError, AssertionError) as error:
            raise PluginError(f"ganbook: {error}") from error
        self.results, self.figures = built.results, built.figures
        self.outcomes = {o.claim.id: o for o in built.outcomes}
        self.claims = {c.id: c for c in all_claims()}
        for rendered in self.figures.values():
            uri = f"figures/{rendered.spec.filename}"
            files.append(File.generated(config, uri, abs_src_path=str(rendered.path)))
        add_mathjax_files(files, config, self.project_root)
        files.append(File.generated(config, LEDGER_URI, content=self._ledger(files)))
        return files

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
        seeds = sorted({r.meta.get("seed_offset", 0) for r in self.results.values()})
        note = (
            "Results come from the published seeds."
            if seeds == [0]
            else f"Results come from the seeds shifted by {seeds}."
        )
        return ledger_markdown(
            list(self.claims.values()),
            self.outcomes,
            citations,
            profile=self.config.profile,
            seed_note=note,
        )

    def on_page_markdown(self, markdown, page, config, files):
        try:
            return expand(
                markdown,
                figure=lambda name: self._figure_html(name, page),
                result=self._result_html,
                where=page.file.src_uri,
                claim=lambda claim_id: self._claim_html(claim_id, page),
            )
        except MarkupError as error:
            raise PluginError(f"ganbook: {error}") from error

    def on_page_content(self, html_text, page, config, files):
        return strip_mathjax2(html_text)

    def _result_html(self, experiment: str, key: str, spec: str | None) -> str:
        if experiment not in self.results:
            known = ", ".join(sorted(self.results))
            raise KeyError(f"unknown experiment {experiment!r} in a result; known: {known}")
        value = self.results[experiment].scalar(key)
        return result_html(experiment, key, format_value(value, spec))

    def _claim_html(self, claim_id: str, page) -> str:
        if claim_id not in self.claims:
            raise KeyError(f"unknown claim {claim_id!r}; the ledger lists the known ones")
        statement = self.claims[claim_id].statement
        anchor = claim_anchor(claim_id)
        href = get_relative_url(LEDGER_URI.replace(".md", "/"), page.file.url)
        checked = "Checked at build" if claim_id in self.outcomes else "Not checked in this profile"
        title = html.escape(f"{checked}: {statement}", quote=True)
        return (
            f'<a class="gb-claim" id="{anchor}" href="{href}#ledger-{anchor}" '
            f'title="{title}">✓</a>'
        )

    def _figure_html(self, name: str, page) -> str:
        if name not in self.figures:
            raise KeyError(f"unknown figure {name!r}; known: {', '.join(sorted(self.figures))}")
        rendered = self.figures[name]
        spec = rendered.spec
        caption = fill_template(spec.caption, rendered.results, f"caption of figure {name}")
        alt = fill_template(spec.alt, rendered.results, f"alt text of figure {name}")
        src = get_relative_url(f"figures/{spec.filename}", page.file.url)
        provenance = " · ".join(_provenance(rendered, self.config.repo_blob_url))
        return (
            f'\n<figure class="gb-figure" id="fig-{name}" markdown="1">\n'
            f'<img src="{src}" alt="{html.escape(alt, quote=True)}">\n'
            f'<figcaption markdown="1">\n{caption}\n'
            f'<span class="gb-provenance">{provenance}</span>\n'
            "</figcaption>\n</figure>\n"
        )


def _provenance(rendered: RenderedFigure, blob_url: str) -> list[str]:
    parts = []
    for name, result in rendered.results.items():
        meta = result.meta
        members = result.scalars.get("members")
        seeds = f"{members} seeds from seed {meta.get('seed')}" if members else None
        text = f"experiment <code>{name}</code>, {seeds or 'seed ' + str(meta.get('seed'))}"
        text += f", device {meta.get('device')}"
        if meta.get("steps"):
            text += f", {meta['steps']:,} steps"
        parts.append(text)
    source = rendered.spec.source_link
    if blob_url:
        parts.append(f'<a href="{blob_url.rstrip("/")}/{source}">figure source</a>')
    else:
        parts.append(f"figure source <code>{re.sub('#L', ':', source)}</code>")
    return parts
