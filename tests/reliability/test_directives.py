r"""Section 5.01–5.12 of the reliability review: the page directives, misspelt or misplaced.

Each case goes through the plugin's own ``on_page_markdown`` (the hook a build calls), on a page
stub and a stub snapshot, so the message checked is the one ``mkdocs build`` prints: a one-line
``PluginError`` that names the page and the 1-based line of the directive. No build runs.
"""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import markdown as python_markdown
import pytest
import yaml
from mkdocs.exceptions import PluginError
from mkdocs.utils.meta import get_data

from ganbook.site.markup import MarkupError, expand, looks_like_directive, regions
from ganbook.site.plugin import GanbookPlugin
from ganbook.site.snapshot import ClaimRecord, FigureView, SiteSnapshot

REPO = Path(__file__).resolve().parents[2]
PAGE = "part-2/wgan-gp.md"
HEAD = "# WGAN-GP\n\nSome prose before the snippet.\n\n"  # the snippet starts on line 5
LINE = 5
ROWS = "| loss | W₁ |\n| --- | ---: |\n| hinge | 0.285 |\n| a < b | 1 |"


@pytest.fixture
def plugin(tmp_path) -> GanbookPlugin:
    """The plugin with a snapshot of one experiment, one figure and one claim."""
    figure = tmp_path / "wgan_gp_w1.svg"
    figure.write_text("<svg/>")
    view = FigureView(
        "wgan_gp_w1", "wgan_gp_w1.svg", str(figure), "W1.", "Alt.", ("one",), "x.py#L1"
    )
    plugin = GanbookPlugin()
    errors, _ = plugin.load_config({"profile": "test", "device": "cpu"})
    assert errors == []
    plugin.chapters = ()
    plugin.snapshot = SiteSnapshot(
        profile="test",
        chapters=(),
        figures={"wgan_gp_w1": view},
        scalars={"wgan_gp": {"w1_final": 0.285, "batch_size": 64, "rows": ROWS}},
        seed_offsets=(0,),
        claims=(ClaimRecord("wgan_gp.holds", "wgan_gp", "A statement."),),
        outcomes={},
        known_figures=("wgan_gp_w1",),
        known_experiments=("wgan_gp",),
        files=(str(figure),),
    )
    plugin.claims = {item.id: item for item in plugin.snapshot.claims}
    return plugin


def render(plugin: GanbookPlugin, snippet: str, *, source: str | None = None) -> str:
    """``on_page_markdown`` of a page made of `HEAD` and ``snippet``."""
    text = HEAD + snippet
    stub = SimpleNamespace(src_uri=PAGE, url="part-2/wgan-gp/", content_string=source or text)
    return plugin.on_page_markdown(text, page=SimpleNamespace(file=stub), config=None, files=None)


def page_error(plugin: GanbookPlugin, snippet: str, *words: str, line: int = LINE) -> str:
    """The build's error for ``snippet``: one line, naming the page, the line and ``words``."""
    with pytest.raises(PluginError) as caught:
        render(plugin, snippet)
    message = str(caught.value)
    assert "\n" not in message, message
    assert message.startswith(f"ganbook: {PAGE}:{line}: "), message
    for word in words:
        assert word in message, f"{word!r} is not named in {message!r}"
    return message


@pytest.mark.case("5.01")
def test_an_unknown_experiment_is_named(plugin):
    page_error(plugin, "See {{ result nope.w1_final }}.", "unknown experiment 'nope'", "wgan_gp")


@pytest.mark.case("5.02")
def test_an_unknown_scalar_is_named_with_the_known_ones(plugin):
    page_error(
        plugin, "{{ result wgan_gp.nope }}", "no scalar 'nope'", "batch_size, rows, w1_final"
    )


@pytest.mark.case("5.03")
def test_an_unknown_key_is_reported_before_a_bad_format(plugin):
    page_error(plugin, "{{ result wgan_gp.w1 .2q }}", "no scalar 'w1'")


@pytest.mark.case("5.03b")
def test_a_bad_format_quotes_the_directive(plugin):
    page_error(
        plugin,
        "{{ result wgan_gp.w1_final .2q }}",
        "{{ result wgan_gp.w1_final .2q }}",
        "Unknown format code 'q'",
    )


@pytest.mark.case("5.04")
def test_a_result_in_inline_math_is_refused(plugin):
    page_error(plugin, "Inline math: $W_1 = {{ result wgan_gp.w1_final }}$ here.", "inside math")


@pytest.mark.case("5.05")
@pytest.mark.parametrize(
    ("snippet", "line"),
    [
        ("$$\nW_1 = {{ result wgan_gp.w1_final }}\n$$\n", LINE + 1),
        ("Before.\n\n$$\nW_1 =\n  {{ result wgan_gp.w1_final }}\n$$\n", LINE + 4),
        ("!!! note\n\n    $$\n    W_1 = {{ result wgan_gp.w1_final }}\n    $$\n", LINE + 3),
        ("$$W_1 = {{ result wgan_gp.w1_final }}$$", LINE),
    ],
    ids=["own-lines", "after-prose", "in-admonition", "one-line"],
)
def test_a_result_in_display_math_across_lines_is_refused(plugin, snippet, line):
    page_error(plugin, snippet, "inside math", "{{ result wgan_gp.w1_final }}", line=line)


@pytest.mark.case("5.06")
@pytest.mark.parametrize(
    ("snippet", "line"),
    [
        (r"\( W_1 = {{ result wgan_gp.w1_final }} \)", LINE),
        ("\\[\nW_1 = {{ result wgan_gp.w1_final }}\n\\]", LINE + 1),
        ("\\begin{align}\nW_1 &= {{ result wgan_gp.w1_final }}\n\\end{align}", LINE + 1),
        ("The value \\(W_1 =\n{{ result wgan_gp.w1_final }}\\) spans two lines.", LINE + 1),
    ],
    ids=["round", "square", "begin-env", "round-across-lines"],
)
def test_a_result_in_bracket_math_is_refused(plugin, snippet, line):
    page_error(plugin, snippet, "inside math", line=line)


@pytest.mark.case("5.07")
def test_an_unknown_figure_is_named(plugin):
    page_error(plugin, "{{ figure nope }}", "unknown figure 'nope'", "known: wgan_gp_w1")


@pytest.mark.case("5.08")
@pytest.mark.parametrize(
    "directive", ["{{ result wgan_gp }}", "{{ figure a b }}", "{{ claim nodot }}"]
)
def test_a_malformed_directive_is_quoted(plugin, directive):
    page_error(plugin, directive, f"malformed directive {directive!r}")


@pytest.mark.case("5.09")
@pytest.mark.parametrize(
    ("snippet", "line", "where"),
    [
        ("```python\nw1 = {{ result wgan_gp.w1_final }}\n```\n", LINE + 1, "code block"),
        ("~~~\nw1 = {{ result wgan_gp.w1_final }}\n~~~\n", LINE + 1, "code block"),
        ("````md\n```\n{{ figure wgan_gp_w1 }}\n```\n````\n", LINE + 2, "code block"),
        (
            '!!! example "Code"\n\n    ```python\n    w1 = {{ result wgan_gp.w1_final }}\n'
            "    ```\n",
            LINE + 3,
            "code block",
        ),
        (
            '=== "Python"\n\n    ~~~~python\n    w1 = {{ result wgan_gp.w1_final }}\n    ~~~~\n',
            LINE + 3,
            "code block",
        ),
        ("- a list item\n\n    ```\n    {{ claim wgan_gp.holds }}\n    ```\n", LINE + 3, "code"),
        ("Inline `w1 = {{ result wgan_gp.w1_final }}` code.", LINE, "inline code span"),
        ("Inline ``a ` {{ Result wgan_gp.w1_final }}`` code.", LINE, "inline code span"),
    ],
    ids=["backticks", "tildes", "nested", "admonition", "tab", "list-item", "span", "span2"],
)
def test_a_directive_in_code_is_refused(plugin, snippet, line, where):
    page_error(plugin, snippet, f"inside a{'n' if where[0] == 'i' else ''} {where}", line=line)


@pytest.mark.case("5.09")
def test_an_escaped_directive_in_code_and_other_braces_in_code_stay_literal(plugin):
    snippet = (
        "```markdown\n\\{{ result wgan_gp.w1_final }}\n```\n\n"
        "```bibtex\nauthor = {{The ganbook authors}},\n```\n\n"
        "Prose: \\{{ figure wgan_gp_w1 }} and `{{ not_a_directive }}`.\n"
    )
    out = render(plugin, snippet)
    assert "```markdown\n{{ result wgan_gp.w1_final }}\n```" in out
    assert "author = {{The ganbook authors}}," in out
    assert "Prose: {{ figure wgan_gp_w1 }} and `{{ not_a_directive }}`." in out


@pytest.mark.case("5.10")
@pytest.mark.parametrize(
    ("directive", "hint"),
    [
        ("{{ Result wgan_gp.w1_final }}", "did you mean 'result'?"),
        ("{{ results wgan_gp.w1_final }}", "did you mean 'result'?"),
        ("{{ RESULT wgan_gp.w1_final }}", "did you mean 'result'?"),
        ("{{ figures wgan_gp_w1 }}", "did you mean 'figure'?"),
        ("{{claims wgan_gp.holds}}", "did you mean 'claim'?"),
        ("{{ number wgan_gp.w1_final }}", "figure, result, table and claim"),
        ("{{ tables wgan_gp.rows }}", "did you mean 'table'?"),
    ],
)
def test_a_misspelt_directive_fails_the_build(plugin, directive, hint):
    page_error(plugin, f"Typo: {directive}.", f"unknown directive {directive!r}", hint)


@pytest.mark.case("5.10")
def test_a_directive_without_its_closing_braces_fails_the_build(plugin):
    page_error(plugin, "Value {{ result wgan_gp.w1_final and more.", "unclosed directive")


@pytest.mark.case("5.11")
@pytest.mark.parametrize(
    "snippet",
    [
        '<abbr title="W1 is {{ result wgan_gp.w1_final }}">W1</abbr>',
        "<abbr title='W1 is {{ result wgan_gp.w1_final }}'>W1</abbr>",
        '<span class="x"\n      title="{{ result wgan_gp.w1_final }}">W1</span>',
    ],
    ids=["double-quotes", "single-quotes", "tag-across-lines"],
)
def test_a_directive_in_an_html_attribute_is_refused(plugin, snippet):
    page_error(plugin, snippet, "HTML tag's attributes", line=LINE + snippet[:40].count("\n"))


@pytest.mark.case("5.11")
def test_a_directive_between_html_tags_is_expanded(plugin):
    out = render(plugin, "<b>W1 is {{ result wgan_gp.w1_final }}</b>, a < b and c > d.")
    assert '<b>W1 is <span class="gb-result" title="wgan_gp · w1_final">0.285</span></b>' in out


@pytest.mark.case("5.12")
@pytest.mark.parametrize(
    "snippet",
    [
        "Price $5 and W1 = {{ result wgan_gp.w1_final }} …",
        "Price $5 and {{ result wgan_gp.w1_final }} and $6",
        "Costs \\$5 and {{ result wgan_gp.w1_final }} and 10\\$ more.",
        "Between $a$ and {{ result wgan_gp.w1_final }}, then $b$.",
        "A formula $x$\n\n{{ result wgan_gp.w1_final }} $ alone.",
        "Display $$x$$ then {{ result wgan_gp.w1_final }} then $$y$$.",
    ],
    ids=["lone", "two-prices", "escaped", "between-formulas", "blank-line", "between-displays"],
)
def test_a_lone_dollar_in_prose_is_not_math(plugin, snippet):
    out = render(plugin, snippet)
    assert '<span class="gb-result" title="wgan_gp · w1_final">0.285</span>' in out


def test_dollars_follow_arithmatex_smart_dollar_rules(plugin):
    # opening $ followed by a non-space, closing $ preceded by one: math, as arithmatex has it
    page_error(plugin, "From $5 to {{ result wgan_gp.w1_final }} and 6$ here.", "inside math")


def test_the_line_counts_the_front_matter(plugin):
    source = "---\ntitle: WGAN-GP\n---\n\n" + HEAD + "x {{ Result wgan_gp.w1_final }}"
    text, _ = get_data(source)
    stub = SimpleNamespace(src_uri=PAGE, url="part-2/wgan-gp/", content_string=source)
    with pytest.raises(PluginError, match=rf"^ganbook: {PAGE}:{LINE + 4}: unknown directive"):
        plugin.on_page_markdown(text, page=SimpleNamespace(file=stub), config=None, files=None)


def test_a_notebook_page_is_not_checked(plugin):
    stub = SimpleNamespace(src_uri="part-1/x.nb.py", url="part-1/x.nb/", content_string="")
    source = "# f'{{results}}' in a notebook's Python\n"
    page = SimpleNamespace(file=stub)
    assert plugin.on_page_markdown(source, page=page, config=None, files=None) == source


def test_an_error_of_any_kind_in_a_directive_names_page_line_and_directive():
    def broken(_name):
        raise OSError(5, "Input/output error", "/figures/wgan_gp_w1.svg")

    with pytest.raises(MarkupError, match=r"^p\.md:3: '\{\{ figure f \}\}': OSError: "):
        expand("a\n\n{{ figure f }}", figure=broken, result=str, where="p.md")


def test_close_misses_of_the_directive_words_are_recognised():
    assert all(map(looks_like_directive, ["result", "Results", "figur", "CLAIM", "clam"]))
    assert not any(map(looks_like_directive, ["The", "x", "name", "authors", "re"]))


def book_pages() -> list[Path]:
    return sorted((REPO / "docs").rglob("*.md"))


def test_every_page_of_the_book_passes_the_checks():
    """No false positive on the book: every page expands with stub lookups."""
    assert len(book_pages()) > 20
    for page in book_pages():
        source = page.read_text(encoding="utf-8")
        text, _ = get_data(source)
        expand(
            text,
            figure=lambda _name: "<figure></figure>",
            result=lambda _e, _k, _f: "<span>1</span>",
            claim=lambda _c: "<a></a>",
            table=lambda _e, _k: "| a |\n| --- |\n| 1 |",
            where=str(page.relative_to(REPO)),
        )


def _markdown_extensions() -> tuple[list[str], dict]:
    """The Markdown extensions of mkdocs.yml, with their options (skipping the ones with files)."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)
    names, options = [], {}
    for item in config["markdown_extensions"]:
        name, value = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name in ("pymdownx.snippets", "toc"):
            continue
        names.append(name)
        if value:
            options[name] = value
    return names, options


def test_the_math_found_is_the_math_arithmatex_finds_on_every_page():
    """The checker's math and code regions are the ones Markdown makes, page by page."""
    names, options = _markdown_extensions()
    for page in book_pages():
        text, _ = get_data(page.read_text(encoding="utf-8"))
        text = re.sub(r"(?<!\\)\{\{[^{}]*\}\}", "X", text)
        converted = python_markdown.markdown(text, extensions=names, extension_configs=options)
        found = regions(text)
        math = sum(region.kind == "math" for region in found)
        code = sum(region.kind in ("code", "code span") for region in found)
        assert math == converted.count('class="arithmatex"'), page
        assert code == converted.count("<code"), page


def test_a_table_directive_puts_the_experiments_table_into_the_page(plugin):
    page = render(plugin, "Before.\n\n{{ table wgan_gp.rows }}\n\nAfter.\n")
    assert "| hinge | 0.285 |\n| a &lt; b | 1 |" in page  # escaped as a result is
    html = python_markdown.markdown(page, extensions=["tables"])
    assert re.findall(r"<td[^>]*>(.*?)</td>", html) == ["hinge", "0.285", "a &lt; b", "1"]


@pytest.mark.parametrize(
    "snippet", ["Rows: {{ table wgan_gp.rows }}", "{{ table wgan_gp.rows }} x"]
)
def test_a_table_directive_that_shares_its_line_fails_the_build(plugin, snippet):
    page_error(plugin, snippet, "stands alone on its line")


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("w1_final", ("needs a Markdown table, got float",)),
        ("nope", ("no scalar 'nope'", "rows")),
    ],
)
def test_a_table_directive_of_a_scalar_that_is_no_table_fails_the_build(plugin, key, words):
    page_error(plugin, f"{{{{ table wgan_gp.{key} }}}}", *words)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("| a | b |\n| 1 | 2 |", "a header row, a separator, and a row"),
        ("| a | b |\n| --- | --- |", "a header row, a separator, and a row"),
        ("| a | b |\n| --- | --- |\n| 1 | 2 | 3 |", "row 3 of the table is not a row of 2 cells"),
        ("| a | b |\n| --- | --- |\n1 | 2", "row 3 of the table"),
    ],
)
def test_a_malformed_table_is_refused_with_what_is_wrong(text, why):
    from ganbook.site.markup import table_markdown

    with pytest.raises(ValueError, match=re.escape(why)):
        table_markdown(text)
