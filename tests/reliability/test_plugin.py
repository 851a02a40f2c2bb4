"""Section 5.20–5.27 of the reliability review: the plugin's options, cache and errors.

And the offline scrub of the shipped pages and scripts (sections 7.02 and 7.06).

The plugin is loaded from a small ``mkdocs.yml`` (`mkdocs.config.load_config`) and its hooks
are called directly: nothing is built, and the engine's ``build_all`` is replaced where a case
is about what the plugin does with what the engine raises. A ``PluginError`` is what MkDocs
prints as one ``ERROR`` line without a traceback, so every error case asserts that type and a
one-line message that names what failed.
"""

from __future__ import annotations

import errno
import logging
import re
import shutil
import subprocess
from pathlib import Path

import faults
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files

from ganbook.engine.claims import ClaimFailedError
from ganbook.site import offline
from ganbook.site.plugin import GanbookPlugin, describe
from ganbook.site.snapshot import (
    CheckRecord,
    ClaimRecord,
    FigureView,
    OutcomeRecord,
    SiteSnapshot,
    save_snapshot,
)

REPO = Path(__file__).resolve().parents[2]
MATERIAL = Path(__import__("material").__file__).parent / "templates" / "assets" / "javascripts"
MATHJAX = REPO / "node_modules" / "mathjax" / "es5" / "tex-mml-chtml.js"


def project(tmp_path: Path, cache: Path | None = None, **options) -> Path:
    """A one-page MkDocs project with the ganbook plugin; returns its ``mkdocs.yml``."""
    if not MATHJAX.is_file():
        pytest.skip("MathJax is not installed (npm ci)")
    docs = tmp_path / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text("# Home\n\nA page of prose, with no directive at all.\n")
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    settings = {"profile": "test", "device": "cpu", "cache_dir": str(cache or tmp_path / "cache")}
    settings.update(options)
    lines = "".join(f"      {key}: {value}\n" for key, value in settings.items())
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: t\ntheme:\n  name: material\nplugins:\n  - ganbook:\n{lines}")
    return config


def configured(config_file: Path):
    """``(config, plugin)`` after the plugin's ``on_config``."""
    config = load_config(str(config_file))
    plugin = config.plugins["ganbook"]
    plugin.on_config(config)
    return config, plugin


def site_files(config):
    """The build's files, the theme's included (as ``mkdocs build`` has them for ``on_files``)."""
    files = get_files(config)
    files.add_files_from_theme(config.theme.get_env(), config)
    return files


def option_errors(**options) -> list[str]:
    """The validation errors of the plugin's options, as MkDocs reports them."""
    errors, _warnings = GanbookPlugin().load_config(options)
    return [f"option {key!r}: {error}" for key, error in errors]


def assert_one_line(error: BaseException, *words: str) -> str:
    """``error`` is a one-line ``PluginError`` naming every word."""
    assert isinstance(error, PluginError), repr(error)
    message = str(error)
    assert message.startswith("ganbook: "), message
    assert "\n" not in message, message
    for word in words:
        assert word in message, f"{word!r} is not named in {message!r}"
    return message


def fake_build_all(raise_this=None, write_to: Path | None = None):
    """A stand-in for the engine's ``build_all``: raises, or writes into the cache as it does."""

    def build_all(**_options):
        if write_to is not None:
            from ganbook.training.atomic import atomic_write

            entry = write_to / "experiments" / "e-0000" / "result.json"
            atomic_write(entry, lambda stream: stream.write(b"{}"))
        if raise_this is not None:
            raise raise_this
        pytest.fail("the build should have failed before this")

    return build_all


def snapshot(tmp_path: Path) -> SiteSnapshot:
    figure = tmp_path / "f.svg"
    figure.write_text("<svg/>")
    view = FigureView("f", "f.svg", str(figure), "A caption.", "Alt.", ("one",), "x.py#L1")
    return SiteSnapshot(
        profile="test",
        chapters=(),
        figures={"f": view},
        scalars={"e": {"x": 1.5}},
        seed_offsets=(0,),
        claims=(ClaimRecord("e.c", "e", "A statement."),),
        outcomes={"e.c": OutcomeRecord(True, (CheckRecord("what", "1", "≥ 0", True),))},
        known_figures=("f",),
        known_experiments=("e",),
        files=(str(figure),),
    )


# -- 5.20–5.24: the options ----------------------------------------------------------------


@pytest.mark.case("5.20")
def test_an_unknown_profile_is_a_config_error():
    assert option_errors(profile="nope") == [
        "option 'profile': Expected one of: ('test', 'standard', 'full') but received: 'nope'"
    ]


@pytest.mark.case("5.21")
def test_a_cuda_device_without_a_gpu_is_one_error_line(tmp_path, monkeypatch):
    import torch

    from ganbook.devices import resolve_device

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)

    def build_all(**options):  # the engine resolves the device before it runs anything
        resolve_device(options["device"])
        pytest.fail("cuda resolved on a machine without a GPU")

    monkeypatch.setattr("ganbook.engine.build.build_all", build_all)
    config, _plugin = configured(project(tmp_path, device="cuda"))
    with pytest.raises(PluginError) as caught:
        config.plugins.on_files(site_files(config), config=config)
    message = assert_one_line(caught.value, "device 'cuda' was asked for")
    assert message == "ganbook: device 'cuda' was asked for, but this machine has no CUDA GPU"


@pytest.mark.case("5.22")
def test_an_unknown_device_is_a_config_error():
    assert option_errors(device="tpu") == [
        "option 'device': Expected one of: ('auto', 'cpu', 'cuda', 'mps') but received: 'tpu'"
    ]


@pytest.mark.case("5.23")
def test_zero_threads_is_one_error_line(tmp_path):
    config = load_config(str(project(tmp_path, threads=0)))
    with pytest.raises(PluginError) as caught:
        config.plugins["ganbook"].on_config(config)
    assert str(caught.value) == "ganbook: threads must be at least 1, got 0"


@pytest.mark.case("5.24")
def test_threads_that_are_not_a_number_are_a_config_error():
    assert option_errors(threads="two") == [
        "option 'threads': Expected type: <class 'int'> but received: <class 'str'>"
    ]


# -- 5.25–5.27: the cache directory ----------------------------------------------------------


@pytest.mark.case("5.25")
def test_a_cache_dir_that_is_a_file_is_refused_before_anything_runs(tmp_path, monkeypatch):
    monkeypatch.setattr("ganbook.engine.build.build_all", fake_build_all())
    cachefile = tmp_path / "cachefile"
    cachefile.write_text("not a directory")
    config = load_config(str(project(tmp_path, cache=cachefile)))
    with pytest.raises(PluginError) as caught:
        config.plugins["ganbook"].on_config(config)
    assert_one_line(caught.value, f"cache_dir {cachefile} is not a directory")


@pytest.mark.case("5.25")
def test_a_cache_dir_below_a_file_is_refused(tmp_path):
    cachefile = tmp_path / "cachefile"
    cachefile.write_text("not a directory")
    config = load_config(str(project(tmp_path, cache=cachefile / "sub")))
    with pytest.raises(PluginError) as caught:
        config.plugins["ganbook"].on_config(config)
    assert_one_line(caught.value, "cannot create the cache directory", "Not a directory")


@pytest.mark.case("5.25")
def test_an_os_error_from_the_engine_names_the_cache_path(tmp_path, monkeypatch):
    config, plugin = configured(project(tmp_path))
    inner = plugin.cache_dir / "experiments"
    broken = NotADirectoryError(errno.ENOTDIR, "Not a directory", str(inner))
    monkeypatch.setattr("ganbook.engine.build.build_all", fake_build_all(broken))
    with pytest.raises(PluginError) as caught:
        config.plugins.on_files(site_files(config), config=config)
    assert_one_line(
        caught.value, f"the cache directory {plugin.cache_dir} cannot be used", f"'{inner}'"
    )


@pytest.mark.case("5.26")
def test_a_read_only_cache_that_must_be_written_is_one_error_line(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "experiments" / "e-0000").mkdir(parents=True)
    (cache / "experiments" / "e-0000" / "result.json").write_text("{corrupt")  # to be replaced
    config, _plugin = configured(project(tmp_path, cache=cache))
    monkeypatch.setattr("ganbook.engine.build.build_all", fake_build_all(write_to=cache))
    files = site_files(config)
    with faults.read_only(cache), pytest.raises(PluginError) as caught:
        config.plugins.on_files(files, config=config)
    assert_one_line(caught.value, f"the cache directory {cache.resolve()}", "Read-only file system")


@pytest.mark.case("5.27")
def test_a_read_only_cache_with_everything_cached_builds(tmp_path, monkeypatch):
    config, plugin = configured(project(tmp_path))
    save_snapshot(snapshot(tmp_path), plugin.cache_dir, plugin.snapshot_key(config))
    monkeypatch.setattr("ganbook.engine.build.build_all", fake_build_all())  # not called
    before = faults.tree_digest(plugin.cache_dir)
    with faults.read_only(plugin.cache_dir):
        files = config.plugins.on_files(site_files(config), config=config)
    assert "figures/f.svg" in files.src_uris
    assert "reference/claims.md" in files.src_uris
    assert faults.tree_digest(plugin.cache_dir) == before


@pytest.mark.case("5.27")
def test_a_read_only_cache_without_a_snapshot_still_builds(tmp_path, monkeypatch, caplog):
    config, plugin = configured(project(tmp_path))
    monkeypatch.setattr(GanbookPlugin, "_build", lambda _self, _cited: snapshot(tmp_path))
    with faults.read_only(plugin.cache_dir), caplog.at_level(logging.INFO):
        files = config.plugins.on_files(site_files(config), config=config)
    assert "figures/f.svg" in files.src_uris
    assert "the build's snapshot was not stored" in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # --strict passes


# -- every other exception of the plugin's -----------------------------------------------------


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (ZeroDivisionError("float division by zero"), ["ZeroDivisionError: float division"]),
        (KeyError("no_such_scalar"), ["KeyError: 'no_such_scalar'"]),
        (ClaimFailedError("2 of 9 claims broke:\n  a.b: x\n  c.d: y"), ["a.b: x; c.d: y"]),
        (OSError(errno.ENOSPC, "No space left on device"), ["No space left on device"]),
    ],
    ids=["zero-division", "key", "claims", "os-error-without-path"],
)
def test_any_exception_from_the_engine_is_one_error_line(tmp_path, monkeypatch, error, words):
    config, _plugin = configured(project(tmp_path))
    monkeypatch.setattr("ganbook.engine.build.build_all", fake_build_all(error))
    with pytest.raises(PluginError) as caught:
        config.plugins.on_files(site_files(config), config=config)
    assert_one_line(caught.value, *words)
    assert caught.value.__cause__ is error


def test_an_exception_in_a_page_hook_names_the_page(tmp_path):
    config, plugin = configured(project(tmp_path))
    page = type("Page", (), {"file": type("F", (), {"src_uri": "part-1/x.md"})()})()
    with pytest.raises(PluginError) as caught:
        plugin.on_page_content(None, page=page, config=config, files=None)  # not a string
    assert_one_line(caught.value, "page part-1/x.md", "expected string")


def test_describe_gives_one_line_for_any_error():
    assert describe(PermissionError(13, "Permission denied", "/c/x")) == "Permission denied: '/c/x'"
    assert describe(RuntimeError("one\ntwo")) == "one; two"
    assert describe(Exception()) == "Exception: (no message)"


# -- no latent outside requests (7.02, 7.06) ---------------------------------------------------

NOTEBOOK_HEAD = """<script src="clipboard.umd.js"></script>
<script>
  document.addEventListener('clipboard-copy', function(event) { event.target.hidden = false })
</script>
<script src=""> </script>
<script type="module">
  document.addEventListener("DOMContentLoaded", async () => {
    const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
    if (!diagrams.length) { return; }
    const mermaid = (await import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/11.10.0/mermaid.esm.min.mjs")).default;
    const elkUrl = "https://cdnjs.cloudflare.com/ajax/libs/mermaid-layout-elk/0.1.9/mermaid-layout-elk.esm.min.mjs";
    if (elkUrl) { const elk = (await import(elkUrl)).default; }
  });
</script>
<script id="__config" type="application/json">{"base": "..", "search": "x.js"}</script>
<script src="https://cdn.example.org/a.js"></script>
<script src='//cdn.example.org/b.js' defer></script>
<script type="module">import { x } from "https://esm.example.org/x.mjs"; x();</script>
<script>var s = document.createElement("script"); s.src = "https://cdn.example.org/c.js";</script>
<script type="importmap">{"imports": {"m": "https://cdn.example.org/m.mjs"}}</script>
<script>document.title = "see https://example.org for more";</script>
<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script>
"""


def test_the_page_scrub_drops_every_script_that_loads_another_hosts_code():
    kept = offline.strip_remote_scripts(NOTEBOOK_HEAD)
    scripts = re.findall(r"<script\b[^>]*>.*?</script>", kept, flags=re.S)
    assert len(scripts) == 5, scripts
    assert 'src="clipboard.umd.js"' in scripts[0]
    assert "clipboard-copy" in scripts[1]
    assert 'id="__config"' in scripts[2]
    assert "see https://example.org" in scripts[3]  # a string, not a load
    assert "bundle.a5f9d56c.min.js" in scripts[4]
    assert "import(" not in kept
    assert 'src=""' not in kept
    assert "cdn" not in kept


def test_the_script_scrub_leaves_no_cdn_in_materials_bundle_and_mathjax():
    if not MATHJAX.is_file():
        pytest.skip("MathJax is not installed (npm ci)")
    for path in [*sorted(MATERIAL.glob("bundle.*.min.js")), MATHJAX]:
        text = path.read_text(encoding="utf-8")
        scrubbed = offline.scrub_cdn_urls(text)
        assert offline.names_a_cdn(text), path
        assert not offline.names_a_cdn(scrubbed), path
        assert len(scrubbed) == len(text)  # offsets kept
        # only the CDN URLs changed: what differs are the no-op data: URLs
        changed = [m.start() for m in offline.CDN_URL.finditer(text)]
        assert changed
        assert scrubbed.count(offline.NO_OP_SCRIPT) >= len(changed)
        no_op = re.sub(r"data:text/javascript,[/ ]*", "", scrubbed)
        assert offline.CDN_URL.sub("", text) == no_op


def test_the_scrubbed_bundle_is_still_valid_javascript(tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    for path in sorted(MATERIAL.glob("bundle.*.min.js")):
        target = tmp_path / path.name
        target.write_text(offline.without_source_map(offline.scrub_cdn_urls(path.read_text())))
        done = subprocess.run([node, "--check", str(target)], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr


def test_on_files_ships_no_cdn_url_and_no_source_map(tmp_path):
    config, plugin = configured(project(tmp_path))
    save_snapshot(snapshot(tmp_path), plugin.cache_dir, plugin.snapshot_key(config))
    files = config.plugins.on_files(site_files(config), config=config)
    uris = files.src_uris
    assert not [uri for uri in uris if uri.endswith(".map")]
    scripts = [file for uri, file in uris.items() if uri.endswith((".js", ".mjs"))]
    assert any(file.src_uri.startswith("assets/javascripts/bundle.") for file in scripts)
    assert any(file.src_uri == "assets/mathjax/tex-mml-chtml.js" for file in scripts)
    for file in scripts:
        text = file.content_bytes.decode("utf-8", errors="replace")
        assert not offline.names_a_cdn(text), file.src_uri
        assert "sourceMappingURL" not in text, file.src_uri


def test_loads_remote_code_tells_a_load_from_a_mention():
    assert offline.loads_remote_code('importScripts("https://x.example/w.js")')
    assert offline.loads_remote_code("el = {src: 'https://x.example/a.js'}")
    assert not offline.loads_remote_code('fetch("search/search_index.json")')
    assert not offline.loads_remote_code('a.href = "https://example.org"')
