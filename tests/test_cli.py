"""The ``ganbook`` command line, as a user runs it (``python -m ganbook``)."""

from __future__ import annotations

import subprocess
import sys

from ganbook.book import CHAPTERS, get_chapter
from ganbook.cli import main
from ganbook.engine import PROFILES, all_claims, experiment_names, figure_names, get_figure
from ganbook.engine import claims as claims_registry
from ganbook.engine.build import chapter_scope
from ganbook.engine.claims import Claim, holds


def ganbook(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ganbook", *args], capture_output=True, text=True, check=False
    )


def test_list_names_every_experiment_and_figure():
    result = ganbook("list")
    assert result.returncode == 0
    for name in experiment_names() + figure_names():
        assert name in result.stdout


def test_run_prints_the_scalars_and_caches(tmp_path):
    args = ("run", "shift_toy_densities", "--profile", "test", "--cache-dir", str(tmp_path))
    first, second = ganbook(*args), ganbook(*args)
    assert "computed" in first.stdout
    assert "max_gap_to_logistic" in first.stdout
    assert "cache hit" in second.stdout


def test_unknown_experiment_is_one_line_naming_it(tmp_path):
    result = ganbook("run", "no_such_thing", "--cache-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no_such_thing" in result.stderr


def test_train_is_wired_into_the_main_command(tmp_path):
    bad = ganbook(
        "train",
        "ring",
        "--loss",
        "nope",
        "--steps",
        "3",
        "--seed",
        "0",
        "--out",
        str(tmp_path / "x"),
    )
    assert bad.returncode != 0
    assert "unknown loss 'nope'" in bad.stderr
    assert not (tmp_path / "x").exists()
    good = ganbook(
        "train",
        "gaussian1d",
        "--loss",
        "least-squares",
        "--dry-run",
        "--seed",
        "0",
        "--steps",
        "10",
        "--out",
        str(tmp_path / "y"),
    )
    assert good.returncode == 0, good.stderr
    assert (tmp_path / "y" / "history.npz").is_file()


def test_unknown_device_is_a_clear_error(tmp_path):
    result = ganbook("run", "shift_toy_densities", "--device", "tpu", "--cache-dir", str(tmp_path))
    assert result.returncode == 2
    assert "unknown device 'tpu'" in result.stderr


def test_chapter_runs_its_experiments_checks_its_claims_and_writes_its_figures(tmp_path):
    cache = tmp_path / "cache"
    result = ganbook(
        "chapter",
        "earth-movers-distance",
        "--profile",
        "test",
        "--device",
        "cpu",
        "--cache-dir",
        str(cache),
        "--workers",
        "1",
    )
    assert result.returncode == 0, result.stderr
    out = cache / "chapters" / "earth-movers-distance"
    package = get_chapter("earth-movers-distance").package
    expected = {
        get_figure(n).filename
        for n in figure_names()
        if get_figure(n).module == f"{package}.figures"
    }
    assert expected
    assert {p.name for p in out.iterdir()} == expected
    for name in expected:
        assert str(out / name) in result.stdout
        assert (out / name).stat().st_size > 1000
    computed = {entry.name.rsplit("-", 1)[0] for entry in (cache / "experiments").iterdir()}
    assert computed == {"emd_worked_example"}
    claims = [
        c for c in all_claims() if c.experiment == "emd_worked_example" and "test" in c.profiles
    ]
    assert f"claims: {len(claims)} held, 0 broke" in result.stdout.splitlines()[-1]


def test_chapter_takes_the_experiments_its_figures_and_page_draw_from():
    wgan_gp = chapter_scope(["wgan-gp"])
    assert wgan_gp.experiments == {"wgan_gp", "wgan_clipping"}  # its figures compare with clipping
    assert wgan_gp.figures
    assert all(
        get_figure(n).module.startswith("ganbook.book.part2.wgan_gp.") for n in wgan_gp.figures
    )
    disjoint = chapter_scope(
        ["disjoint-supports"], cited_experiments=["jensen_shannon_sweeps", "nope"]
    )
    assert "jensen_shannon_sweeps" in disjoint.experiments
    assert "nope" not in disjoint.experiments


def test_chapter_exits_1_when_one_of_its_claims_breaks(tmp_path, monkeypatch, capsys):
    def never(_result):
        return holds("the impossible", False)

    broken = Claim(
        "emd_worked_example", "An impossible statement.", never, PROFILES, __name__, "never"
    )
    monkeypatch.setitem(claims_registry._CLAIMS, broken.key, broken)
    status = main(
        [
            "chapter",
            "earth-movers-distance",
            "--profile",
            "test",
            "--device",
            "cpu",
            "--cache-dir",
            str(tmp_path),
            "--workers",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert status == 1
    assert "BROKE  emd_worked_example.never: 'An impossible statement.'" in out
    assert ", 1 broke" in out.splitlines()[-1]


def test_unknown_chapter_is_one_line_listing_the_chapters(tmp_path):
    result = ganbook("chapter", "no-such-chapter", "--cache-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "no-such-chapter" in result.stderr
    assert all(chapter.slug in result.stderr for chapter in CHAPTERS)
