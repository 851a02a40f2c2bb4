"""Snippet headers: right lines, right place, one anchor each; checked against pymdownx.snippets.

No site build: pages are converted with Python-Markdown and the extensions mkdocs.yml uses.
"""

from __future__ import annotations

import re
import textwrap
from importlib.metadata import version
from pathlib import Path

import markdown
import pytest

from ganbook.site.snippets import (
    REPOSITORY,
    Include,
    SnippetError,
    annotate_snippets,
    release_tag,
    resolve,
    section_lines,
    source_url,
)

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
INCLUDE_LINE = re.compile(r'^\s*--8<--\s+"([^"]+)"\s*$', re.M)

EXTENSIONS = [
    "attr_list",
    "md_in_html",
    "admonition",
    "pymdownx.superfences",
    "pymdownx.tabbed",
    "pymdownx.snippets",
]
CONFIGS = {
    "pymdownx.snippets": {
        "base_path": [str(ROOT)],
        "check_paths": True,
        "dedent_subsections": True,
    },
    "pymdownx.tabbed": {"alternate_style": True},
}


def convert(text: str) -> str:
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=CONFIGS)


def included_targets() -> list[str]:
    targets = set()
    for page in DOCS.rglob("*.md"):
        targets.update(INCLUDE_LINE.findall(page.read_text(encoding="utf-8")))
    return sorted(targets)


def test_the_pages_include_snippets():
    assert len(included_targets()) >= 20


@pytest.mark.parametrize("target", included_targets())
def test_the_linked_lines_are_the_lines_the_page_shows(target):
    """The header's line range, read from the file, is the code pymdownx.snippets includes."""
    include = resolve(target, ROOT)
    lines = (ROOT / include.path).read_text(encoding="utf-8").splitlines()
    linked = textwrap.dedent("\n".join(lines[include.first - 1 : include.last])).strip("\n")
    # The Markdown of the include, before conversion, is what the snippets preprocessor inserts.
    md = markdown.Markdown(extensions=["pymdownx.snippets"], extension_configs=CONFIGS)
    inserted = "\n".join(md.preprocessors["snippet"].run([f'--8<-- "{target}"'])).strip("\n")
    assert inserted == linked, f"{target}: lines {include.first}-{include.last}"


def test_section_lines_exclude_the_markers():
    text = "a\n# --8<-- [start:s]\nx = 1\ny = 2\n# --8<-- [end:s]\nb\n"
    assert section_lines(text, "s") == (3, 4)
    with pytest.raises(SnippetError):
        section_lines(text, "t")
    with pytest.raises(SnippetError):
        section_lines("# --8<-- [start:s]\n", "s")


def test_whole_files_and_line_ranges(tmp_path):
    (tmp_path / "m.py").write_text("1\n2\n3\n4\n", encoding="utf-8")
    assert resolve("m.py", tmp_path) == Include("m.py", None, 1, 4)
    assert resolve("m.py:2:3", tmp_path) == Include("m.py", None, 2, 3)
    assert resolve("m.py:2:99", tmp_path) == Include("m.py", None, 2, 4)
    with pytest.raises(SnippetError, match="no file"):
        resolve("missing.py:s", tmp_path)
    with pytest.raises(SnippetError, match="no section 'nope'"):
        resolve("m.py:nope", tmp_path)


def test_the_link_points_at_the_release_tag():
    assert release_tag() == f"v{version('ganbook')}"
    include = Include("ganbook/losses/minimax.py", "s", 10, 30)
    assert source_url(include, "v9.9.9") == (
        f"{REPOSITORY}/blob/v9.9.9/ganbook/losses/minimax.py#L10-L30"
    )
    assert source_url(include).startswith(f"{REPOSITORY}/blob/v{version('ganbook')}/")


SOURCE = """\
x = 0
# --8<-- [start:first]
def first():
    return 1
# --8<-- [end:first]
# --8<-- [start:second]
def second():
    return 2
# --8<-- [end:second]
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SOURCE, encoding="utf-8")
    return tmp_path


def text_of(html: str) -> str:
    """``html`` without its tags (the code's words, whatever Pygments wrapped them in)."""
    return re.sub(r"<[^>]+>", "", html)


def render(text: str, root: Path) -> str:
    configs = {**CONFIGS, "pymdownx.snippets": {**CONFIGS["pymdownx.snippets"]}}
    configs["pymdownx.snippets"]["base_path"] = [str(root)]
    return markdown.markdown(
        annotate_snippets(text, root, tag="v1.2.3"),
        extensions=EXTENSIONS,
        extension_configs=configs,
    )


def test_a_header_before_the_block_with_anchor_and_link(project):
    page = 'Text:\n```python\n--8<-- "pkg/mod.py:first"\n```\n\nAfter.\n'
    out = render(page, project)
    header = re.search(r'<p class="gb-snippet" id="snippet-first">(.*?)</p>', out, re.S)
    assert header, out
    assert "<code>pkg/mod.py</code>" in header[1]
    assert "section <code>first</code>" in header[1]
    assert f'href="{REPOSITORY}/blob/v1.2.3/pkg/mod.py#L3-L4"' in header[1]
    assert 'href="#snippet-first"' in header[1]
    assert out.index("gb-snippet") < out.index("<pre")  # above the code
    assert "def first():" in text_of(out)
    assert "<p>Text:</p>" in out  # the header did not join the paragraph before it
    assert "<p>After.</p>" in out


def test_two_includes_in_one_block_get_two_headers(project):
    page = '```python\n--8<-- "pkg/mod.py:first"\n--8<-- "pkg/mod.py:second"\n```\n'
    out = render(page, project)
    assert re.findall(r'id="(snippet-[^"]+)"', out) == ["snippet-first", "snippet-second"]
    assert "#L7-L8" in out
    assert out.count("<pre") == 1


def test_the_same_snippet_twice_gets_distinct_anchors(project):
    block = '```python\n--8<-- "pkg/mod.py:first"\n```\n\n'
    out = render(block + block, project)
    assert re.findall(r'id="(snippet-[^"]+)"', out) == ["snippet-first", "snippet-first-2"]


def test_inside_tabs_the_header_stays_in_its_tab(project):
    page = (
        '=== "one"\n\n    ```python\n    --8<-- "pkg/mod.py:first"\n    ```\n\n'
        '=== "two"\n\n    ```python\n    --8<-- "pkg/mod.py:second"\n    ```\n'
    )
    out = render(page, project)
    blocks = out.split('<div class="tabbed-block">')[1:]
    assert len(blocks) == 2
    assert 'id="snippet-first"' in blocks[0]
    assert "def first" in text_of(blocks[0])
    assert 'id="snippet-second"' in blocks[1]
    assert "def second" in text_of(blocks[1])


def test_text_outside_fences_and_literal_markers_are_left_alone(project):
    page = (
        "The markers `# --8<-- [start:NAME]` show where.\n\n"
        '````markdown\n```python\n--8<-- "pkg/mod.py:first"\n```\n````\n'
    )
    assert annotate_snippets("No code here.\n", project) == "No code here.\n"
    annotated = annotate_snippets(page, project, tag="v1")
    assert annotated.count("gb-snippet ") == 1  # the outer fence gets one header


def test_every_page_annotates_without_error():
    for page in DOCS.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        out = annotate_snippets(text, ROOT)
        assert out.count("{: #snippet-") == len(INCLUDE_LINE.findall(text)), page
