"""The cache key covers what changes a result, and nothing else: edits to a copy of the package.

Each test edits a private copy of ``ganbook/`` and computes the key of every experiment of the
book from it (`ganbook.engine.fingerprint` reads the files of ``PACKAGE_ROOT``), before and after
the edit. No experiment runs: the keys are what a build would look up.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ganbook.engine import fingerprint
from ganbook.engine.fingerprint import NON_SEMANTIC, module_closure, module_path
from ganbook.engine.registry import experiment_names
from ganbook.engine.runner import RunOptions, experiment_keys, library_versions

ROOT = Path(__file__).resolve().parents[2]

TRAINED = {
    # every experiment whose compute function trains with the package's discriminator or
    # generator step (train, train_ensemble, the toy-run harness, train_discriminator), read
    # off the chapters' code; the others are closed forms, quadratures or gradient play
    "alternation_ring",
    "alternation_shift",
    "dcgan",
    "disjoint_supports_gradients",
    "least_squares_ring",
    "least_squares_trained_discriminator",
    "optimal_discriminator_training",
    "ring_run",
    "saturation_ring",
    "saturation_ring_strong_d",
    "stylegan",
    "trainer_benchmark",
    "wgan_clipping",
    "wgan_gp",
}


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A private copy of ``ganbook/`` that the fingerprints read instead of the repository."""
    copy = tmp_path / "ganbook"
    shutil.copytree(ROOT / "ganbook", copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "PACKAGE_ROOT", copy)
    return copy


def keys() -> dict[str, str]:
    return experiment_keys(experiment_names(), RunOptions(profile="test", device="cpu"))


def append(package: Path, relative: str, text: str = "\n# an edit\n") -> None:
    path = package / relative
    path.write_text(path.read_text() + text)


def rekeyed(package: Path, *edits: str) -> set[str]:
    """The experiments whose key an edit (appending a comment to each file) changes."""
    before = keys()
    for relative in edits:
        append(package, relative)
    after = keys()
    return {name for name in before if after[name] != before[name]}


@pytest.mark.parametrize(
    "edited",
    [
        "training/progress.py",  # the progress bar
        "training/atomic.py",  # write-then-rename
        "book/part1/what_is_a_gan/claims.py",  # a claim
        "engine/claims.py",  # the claims machinery
        "engine/registry.py",  # the decorators
        "engine/runner.py",  # the cache itself
        "cli.py",
    ],
)
def test_editing_machinery_reruns_nothing(package, edited):
    assert rekeyed(package, edited) == set()


def test_a_model_that_no_experiment_uses_reruns_nothing(package):
    before = keys()
    (package / "models" / "unused.py").write_text("class UnusedGenerator:\n    pass\n")
    append(package, "models/__init__.py", "from ganbook.models.unused import UnusedGenerator\n")
    assert keys() == before
    # the StyleGAN model: its chapter's experiment only (nothing needs that result)
    assert rekeyed(package, "models/stylegan/modulation.py") == {"stylegan"}
    # the DCGAN models: the benchmark (through its dataset registry), the DCGAN chapter, what
    # needs the DCGAN chapter's result, and the StyleGAN chapter (DCGAN's discriminator)
    using_dcgan = {name for name in experiment_names() if "dcgan" in _upstream(name)}
    expected = {"trainer_benchmark", "stylegan"} | using_dcgan
    assert rekeyed(package, "models/dcgan.py") == expected


def _upstream(name: str) -> set[str]:
    """``name`` and every experiment it needs, transitively (a needed result is in the key)."""
    from ganbook.engine.registry import expanded_needs

    found, todo = {name}, [name]
    while todo:
        for other in expanded_needs(todo.pop()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return found


TRAINED_GRIDS = {
    # every grid whose cells train through the toy-run harness, with its number of cells
    "loss_study": 14,  # 7 losses x 2 data sets
    "vanishing_runs": 4,
    "collapse_runs": 3,
    "convergence_runs": 3,
}


def test_editing_the_trainers_step_rekeys_every_trained_experiment_and_nothing_else(package):
    from ganbook.engine.registry import get_grid

    assert set(TRAINED) <= set(experiment_names())
    cells = {name: get_grid(name).cells for name in TRAINED_GRIDS}
    assert {name: len(c) for name, c in cells.items()} == TRAINED_GRIDS
    trained = TRAINED.union(*cells.values())
    downstream = {name for name in experiment_names() if _upstream(name) & trained}
    assert rekeyed(package, "training/steps.py") == downstream


def test_editing_a_chapters_experiments_rekeys_that_chapter_only(package):
    shift_toy = {"shift_toy_densities", "shift_toy_gradients", "shift_toy_value"}
    assert rekeyed(package, "book/part1/shift_toy/experiments.py") == shift_toy


def test_the_seed_streams_are_part_of_every_key(package):
    assert rekeyed(package, "engine/context.py") == set(experiment_names())


def test_a_library_version_or_the_python_version_rekeys_everything(monkeypatch):
    assert set(library_versions()) == {"python", "torch", "numpy", "scipy", "POT", "scikit-learn"}
    before = keys()
    monkeypatch.setattr("ganbook.engine.runner.platform.python_version", lambda: "3.99.0")
    assert all(key != before[name] for name, key in keys().items())
    monkeypatch.undo()
    monkeypatch.setattr(
        "ganbook.engine.runner.version", lambda name: "0.0" if name == "POT" else "1.0"
    )
    assert all(key != before[name] for name, key in keys().items())


def test_threads_and_device_kind_are_in_the_key_of_torch_experiments_only():
    names = experiment_names()
    cpu = experiment_keys(names, RunOptions(profile="test", device="cpu"))
    cuda = experiment_keys(names, RunOptions(profile="test", device="cuda"))
    one = experiment_keys(names, RunOptions(profile="test", device="cpu", threads=1))
    from ganbook.engine.registry import get_experiment

    for name in names:
        on_device = any(get_experiment(n).uses_torch_device for n in _upstream(name))
        assert (cpu[name] != cuda[name]) == on_device, name
        assert cpu[name] != one[name], name


def test_imported_names_are_followed_to_the_module_that_defines_them():
    wgan = module_closure("ganbook.book.part2.wasserstein_gan.experiments")
    assert "ganbook.models.mlp" in wgan
    assert "ganbook.models.__init__" not in wgan
    assert "ganbook.models" not in wgan
    assert "ganbook.models.dcgan" not in wgan
    assert "ganbook.engine.registry" not in wgan  # `experiment` is machinery...
    assert "ganbook.engine.context" in wgan  # ...`RunContext`, imported from it, is not
    assert "ganbook.training.progress" not in module_closure("ganbook.training.loop")


def test_every_non_semantic_module_exists():
    assert all(module_path(name) is not None for name in NON_SEMANTIC), NON_SEMANTIC


def test_the_engine_imports_without_torch():
    script = (
        "import sys, ganbook.engine, ganbook.engine.executors, ganbook.engine.cache; "
        "print('torch' in sys.modules, 'matplotlib' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == ["False", "False"]
