"""The ``ganbook`` commands but ``train``: bad names, unwritable places, pipes, Ctrl-C, claims.

Each test proves one row of the reliability review (``@pytest.mark.case``). Figures are drawn
from the cheap ``bce_terms`` experiment on the ``test`` profile, computed once into a cache that
each test copies, so that nothing here trains.
"""

from __future__ import annotations

import ast
import contextlib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import faults
import pytest

from ganbook.engine import claims as claims_module
from ganbook.engine.claims import claim, holds

FIGURE = "bce_terms"
PROBE = "PROBE: the probe statement holds"


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """A cache holding ``bce_terms`` (test profile) and its figure."""
    cache = tmp_path_factory.mktemp("warm") / "cache"
    outcome = faults.cli(
        "figures", "--only", FIGURE, "--profile", "test", "--out", cache.parent / "figs",
        "--cache-dir", cache, "--workers", "1",
    )  # fmt: skip
    assert outcome.rc == 0, outcome.text
    return cache


@pytest.fixture
def cache(warm_cache, tmp_path) -> Path:
    """A copy of the warm cache, for one test to spoil."""
    copy = tmp_path / "cache"
    shutil.copytree(warm_cache, copy)
    return copy


def figures(cache: Path, out: Path, *extra: str) -> faults.Outcome:
    """``ganbook figures --only bce_terms`` on the test profile, in this process."""
    return faults.cli(
        "figures", "--only", FIGURE, "--profile", "test", "--out", out, "--cache-dir", cache,
        "--workers", "1", *extra,
    )  # fmt: skip


# -- names and values --


@pytest.mark.case("1.19")
def test_unknown_experiment_is_named(tmp_path):
    faults.assert_clear_error(
        faults.cli("run", "nope", "--cache-dir", tmp_path), "unknown experiment 'nope'"
    )


@pytest.mark.case("1.20")
def test_unknown_profile_is_refused_by_the_parser(tmp_path):
    faults.assert_clear_error(
        faults.cli("run", FIGURE, "--profile", "nope", "--cache-dir", tmp_path), "--profile"
    )


@pytest.mark.case("1.23")
def test_unknown_device_is_named(tmp_path):
    faults.assert_clear_error(
        faults.cli("run", FIGURE, "--device", "tpu", "--cache-dir", tmp_path), "unknown device"
    )


@pytest.mark.case("1.24")
def test_absent_gpu_is_named(tmp_path, monkeypatch):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 0)
    faults.assert_clear_error(
        faults.cli("run", FIGURE, "--device", "cuda", "--cache-dir", tmp_path), "no CUDA GPU"
    )


@pytest.mark.parametrize("threads", ["0", "-3", "two"])
def test_threads_and_workers_below_one_are_refused_before_any_work(tmp_path, threads):
    for option in ("--threads", "--workers"):
        outcome = faults.cli("run", FIGURE, option, threads, "--cache-dir", tmp_path)
        faults.assert_clear_error(outcome, option)
        assert not (tmp_path / "experiments").exists()


@pytest.mark.case("1.28")
def test_figures_only_that_matches_nothing_is_an_error_listing_the_names(cache, tmp_path):
    outcome = faults.cli(
        "figures", "--only", "wgan-gp", "--out", tmp_path / "f", "--cache-dir", cache
    )
    faults.assert_clear_error(outcome, "'wgan-gp' matches no figure", "wgan_gp_samples", FIGURE)
    assert outcome.rc == 2
    assert not (tmp_path / "f").exists()


@pytest.mark.case("1.29")
def test_figures_only_writes_the_figure(cache, tmp_path):
    outcome = figures(cache, tmp_path / "f")
    assert outcome.rc == 0, outcome.text
    assert "1 figures written" in outcome.out
    assert (tmp_path / "f" / f"{FIGURE}.svg").read_bytes().rstrip().endswith(b"</svg>")


def test_unknown_chapter_is_named(tmp_path):
    faults.assert_clear_error(
        faults.cli("chapter", "nope", "--cache-dir", tmp_path), "unknown chapter 'nope'"
    )


# -- places that cannot be written --


@pytest.mark.case("1.27")
def test_figures_out_that_is_a_file_is_an_error_before_any_work(tmp_path):
    target = tmp_path / "a_file.txt"
    target.write_text("x")
    outcome = figures(tmp_path / "cache", target)
    faults.assert_clear_error(outcome, str(target), "not a directory")
    assert target.read_text() == "x"
    assert not (tmp_path / "cache").exists(), "nothing should be computed"


@pytest.mark.case("1.26")
def test_read_only_figures_out_is_an_error_before_any_work(tmp_path):
    out = tmp_path / "ro"
    with faults.read_only(out):
        outcome = figures(tmp_path / "fresh-cache", out)
    faults.assert_clear_error(outcome, str(out), "Read-only file system")
    assert outcome.rc == 1
    assert not (tmp_path / "fresh-cache").exists(), "nothing should be computed"
    assert list(out.iterdir()) == []


@pytest.mark.case("4.21")
def test_full_disk_under_figures_out_is_an_error_and_leaves_no_partial_file(cache, tmp_path):
    out = tmp_path / "tiny"
    with faults.full_disk(out, size_kib=64):
        outcome = figures(cache, out)
        left = sorted(p.name for p in out.iterdir() if p.name != ".filler")
    faults.assert_clear_error(outcome, "No space left on device")
    assert left == [], f"half-written files left behind: {left}"


# -- pipes and Ctrl-C --


@pytest.mark.case("1.31")
def test_a_closed_pipe_ends_quietly():
    reader = subprocess.Popen(["head", "-1"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    writer = subprocess.run(
        [sys.executable, "-m", "ganbook", "list"],
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        timeout=120,
    )
    reader.stdin.close()
    reader.wait(timeout=30)
    assert "Traceback" not in writer.stderr, writer.stderr
    assert "BrokenPipe" not in writer.stderr, writer.stderr
    assert writer.returncode == 141


_SLOW_RUN = """
import sys, time
import ganbook.engine.executors as executors
real = executors.compute_result
def slow(*args, **kwargs):
    print("COMPUTING", flush=True)
    time.sleep(60)
    return real(*args, **kwargs)
executors.compute_result = slow  # at import: the spawned worker imports this file too
if __name__ == "__main__":
    from ganbook.cli import main
    sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.case("1.32")
def test_ctrl_c_while_computing_is_one_line_and_leaves_the_cache_intact(cache, tmp_path):
    """Ctrl-C in a terminal sends SIGINT to the whole foreground process group: the same here."""
    script = tmp_path / "slow_run.py"
    script.write_text(_SLOW_RUN)
    before = faults.tree_digest(cache)
    process = subprocess.Popen(
        [sys.executable, str(script), "run", FIGURE, "--profile", "test", "--force",
         "--workers", "1", "--cache-dir", str(cache)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        line = process.stdout.readline()
        while line and "COMPUTING" not in line:
            line = process.stdout.readline()
        assert "COMPUTING" in line, process.stderr.read()
        os.killpg(process.pid, signal.SIGINT)
        out, err = process.communicate(timeout=60)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130, err
    assert "Traceback" not in out + err, err
    assert err.strip().splitlines()[-1] == "ganbook: interrupted"
    assert faults.tree_digest(cache) == before


# -- claims --


@pytest.fixture
def probe_claim():
    """Register a claim about ``bce_terms`` whose check does what the test says; remove it after."""
    registered = []

    def register(check):
        claim(FIGURE, PROBE, profiles=("test",))(check)
        registered.append(check)

    yield register
    for check in registered:
        claims_module._CLAIMS.pop((check.__module__, FIGURE, check.__name__), None)


def _zero_division(result):
    return holds("ratio", result.scalar("log2") / 0.0 > 2)


def _missing_scalar(result):
    return holds("present", result.scalar("no_such_scalar") > 0)


def _wrong_type(result):
    return holds("compared", result.scalar("log2") > "x")


def _bare_assert(_result):
    raise AssertionError("this claim is known to be false")


def _false(_result):
    return holds("the probe is true", False)


@pytest.mark.parametrize(
    ("check", "raised"),
    [
        pytest.param(_zero_division, "ZeroDivisionError", marks=pytest.mark.case("6.01")),
        pytest.param(_zero_division, "ZeroDivisionError", marks=pytest.mark.case("6.02")),
        pytest.param(_missing_scalar, "no_such_scalar", marks=pytest.mark.case("6.03")),
        pytest.param(_wrong_type, "TypeError", marks=pytest.mark.case("6.04")),
        pytest.param(_bare_assert, "known to be false", marks=pytest.mark.case("6.05")),
        pytest.param(_bare_assert, "known to be false", marks=pytest.mark.case("6.05b")),
        pytest.param(_false, "the probe is true: found False", marks=pytest.mark.case("1.30")),
    ],
)
def test_a_claim_that_raises_is_reported_as_that_claim_breaking(
    probe_claim, cache, tmp_path, check, raised
):
    probe_claim(check)
    outcome = figures(cache, tmp_path / "f")
    faults.assert_clear_error(outcome, "claims broke")
    assert outcome.rc == 1
    assert f"BROKE  bce_terms.{check.__name__}: {PROBE!r}" in outcome.err
    assert raised in outcome.err
    assert not (tmp_path / "f" / f"{FIGURE}.svg").exists(), "a broken claim must stop the figures"


def test_a_claim_that_raises_stops_the_claims_command_naming_it(probe_claim, cache):
    probe_claim(_zero_division)
    outcome = faults.cli(
        "claims", "--only", FIGURE, "--profile", "test", "--cache-dir", cache, "--workers", "1"
    )
    assert outcome.rc == 1
    assert "Traceback" not in outcome.text
    assert f"BROKE  bce_terms._zero_division: {PROBE!r}  [raised ZeroDivisionError" in outcome.out


_OPTIMIZED_PROBE = """
import sys
from ganbook.engine.claims import claim, holds
@claim("bce_terms", "PROBE: the probe statement holds", profiles=("test",))
def _false(_result):
    return holds("the probe is true", False)
from ganbook.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.case("6.06")
def test_python_dash_o_does_not_switch_a_claim_off(cache):
    done = subprocess.run(
        [sys.executable, "-O", "-c", _OPTIMIZED_PROBE, "claims", "--only", FIGURE,
         "--profile", "test", "--cache-dir", str(cache), "--workers", "1"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert done.returncode == 1, done.stdout + done.stderr
    assert "BROKE  bce_terms._false" in done.stdout


def _assert_statements(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Assert)]


@pytest.mark.case("6.07")
def test_no_claim_of_the_book_rests_on_an_assert_statement(cache):
    """``python -O`` strips ``assert``: no claim module or claim machinery may use one."""
    import ganbook

    root = Path(ganbook.__file__).parent
    modules = [*root.glob("book/**/claims.py"), root / "engine" / "claims.py"]
    assert len(modules) >= 14
    found = {str(p.relative_to(root)): _assert_statements(p) for p in modules}
    assert not {k: v for k, v in found.items() if v}, f"assert statements in claims: {found}"
    # and the same claims, checked under -O, give the same verdicts as without it
    argv = ["-m", "ganbook", "claims", "--only", FIGURE, "--profile", "test", "--cache-dir",
            str(cache), "--workers", "1"]  # fmt: skip
    plain = subprocess.run([sys.executable, *argv], capture_output=True, text=True, check=True)
    optimized = subprocess.run(
        [sys.executable, "-O", *argv], capture_output=True, text=True, check=True
    )
    verdicts = [line for line in plain.stdout.splitlines() if line.startswith(("held", "BROKE"))]
    assert verdicts, plain.stdout
    assert verdicts == [
        line for line in optimized.stdout.splitlines() if line.startswith(("held", "BROKE"))
    ]


def test_an_unexpected_error_is_one_line_unless_debugging(cache, tmp_path, monkeypatch):
    import ganbook.cli

    def broken(*_args, **_kwargs):
        raise LookupError("something nobody foresaw")

    monkeypatch.setattr(ganbook.cli, "build_all", broken)
    outcome = figures(cache, tmp_path / "f")
    faults.assert_clear_error(outcome, "unexpected LookupError", "something nobody foresaw")
    monkeypatch.setenv("GANBOOK_DEBUG", "1")
    with pytest.raises(LookupError):
        ganbook.cli.main(["figures", "--only", FIGURE, "--out", str(tmp_path / "f")])
