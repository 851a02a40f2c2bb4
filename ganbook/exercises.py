r"""Checks for the book's exercise notebooks: compare a reader's answer with the package's.

Each chapter's companion notebook asks the reader to write the piece the chapter teaches (a loss
from logits, the optimal discriminator, a gradient penalty, …) and then checks it against what
`ganbook` computes, never against typed numbers. A check that fails raises `ExerciseError` with one
sentence that says what is wrong, in the terms a reader can act on:

- the function is not written yet (it still raises ``NotImplementedError``, or returns ``None``);
- it raised an error of its own, or returned something that is not a number or an array;
- the result has the wrong shape: a batch of values where one mean was wanted, or the reverse;
- it has the wrong sign, $-y$ for $y$;
- it sums over the batch where the answer takes the mean ($n y$ for $y$), or divides twice;
- it is off by a constant ($y + c$), or is simply different: the largest gap and where it is.

The comparison is `numpy.allclose`'s, $|x - y| \le \mathrm{atol} + \mathrm{rtol}\,|y|$ element by
element, on float64 copies (complex128 for complex values, such as eigenvalues).

Examples
--------
>>> import numpy as np
>>> check_close(np.array([1.0, 2.0]), np.array([1.0, 2.0]), what="the densities")
✓ the densities: correct, as the package computes it
>>> check_close(-2.0, 2.0, what="the loss")
Traceback (most recent call last):
...
ganbook.exercises.ExerciseError: the loss has the wrong sign: it is -2, the answer is 2
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

__all__ = ["ExerciseError", "check_close", "check_function", "check_true"]


class ExerciseError(AssertionError):
    """An exercise's answer does not match the package's; the message says how."""


def _as_array(value: Any, what: str) -> np.ndarray:
    """``value`` as a float64 or complex128 array (tensors detached and moved to the CPU)."""
    if value is None or value is Ellipsis:
        raise ExerciseError(f"{what} is not written yet: it returned {value!r}")
    if isinstance(value, (str, bytes)):
        raise ExerciseError(
            f"{what} should be a number or an array of numbers, got the text {value!r}"
        )
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor, without torch
        value = value.detach().cpu().numpy()
    try:
        array = np.asarray(value)
        array = array.astype(np.complex128 if np.iscomplexobj(array) else np.float64)
    except (TypeError, ValueError):
        raise ExerciseError(
            f"{what} should be a number or an array of numbers, got {type(value).__name__}"
        ) from None
    return array


def _number(x: np.ndarray) -> str:
    return np.array2string(x, precision=6, threshold=6) if x.ndim else f"{float(x):.6g}"


def _close(found: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    return found.shape == expected.shape and bool(
        np.allclose(found, expected, rtol=rtol, atol=atol, equal_nan=False)
    )


def check_close(
    found: Any,
    expected: Any,
    *,
    what: str = "your answer",
    rtol: float = 1e-5,
    atol: float = 1e-6,
    batch: int | None = None,
    quiet: bool = False,
) -> None:
    r"""Check that ``found`` equals ``expected`` to tolerance; else say plainly how it differs.

    Parameters
    ----------
    found : number, array or tensor
        The reader's result.
    expected : number, array or tensor
        The package's result for the same inputs.
    what : str
        What the message calls the result ("the discriminator's loss").
    rtol, atol : float
        The tolerances: $|x - y| \le \mathrm{atol} + \mathrm{rtol}\,|y|$ element by element.
    batch : int, optional
        The batch size the answer averages over, if it is a mean: a ``found`` that is ``batch``
        times ``expected`` (a sum) or ``1/batch`` of it (a mean taken twice) is named as such.
    quiet : bool
        If False (the default), a match prints one line that says so.

    Raises
    ------
    ExerciseError
        With the first of these diagnoses that fits: not written, not a number, wrong shape
        (including a missing or an extra reduction), NaN or infinity, wrong sign, a sum for a mean,
        a constant offset, or the largest difference.
    """
    __tracebackhide__ = True  # IPython and pytest show the reader's cell, not these lines
    found_array = _as_array(found, what)
    truth = _as_array(expected, "the package's answer")
    if found_array.shape != truth.shape:
        hint = ""
        if truth.ndim == 0 and found_array.ndim >= 1:
            if np.isclose(found_array.mean(), truth, rtol=rtol, atol=atol):
                hint = ": its mean is the answer, so take the mean over the batch"
            elif np.isclose(found_array.sum(), truth, rtol=rtol, atol=atol):
                hint = ": its sum is the answer, so sum over the batch"
            else:
                hint = ": reduce it to one number"
        elif truth.ndim >= 1 and found_array.ndim == 0:
            hint = ": it is one number where one value per example is wanted; do not reduce"
        elif found_array.size == truth.size:
            hint = ": the values may be right but arranged differently (a reshape or transpose)"
        raise ExerciseError(
            f"{what} has shape {found_array.shape}, the answer has shape {truth.shape}{hint}"
        )
    if not np.all(np.isfinite(found_array)) and np.all(np.isfinite(truth)):
        bad = int(np.sum(~np.isfinite(found_array)))
        raise ExerciseError(
            f"{what} has {bad} NaN or infinite value{'s' if bad > 1 else ''} where the answer is "
            "finite: look for a log of 0, a division by 0, or an overflow (a log-sum-exp or "
            "softplus form avoids it)"
        )
    if _close(found_array, truth, rtol, atol):
        if not quiet:
            print(f"✓ {what}: correct, as the package computes it")
        return
    shown = f"it is {_number(found_array)}, the answer is {_number(truth)}"
    if np.any(truth != 0) and _close(found_array, -truth, rtol, atol):
        raise ExerciseError(f"{what} has the wrong sign: {shown}")
    if batch and batch > 1:
        if _close(found_array, truth * batch, rtol, atol):
            raise ExerciseError(
                f"{what} is {batch} times the answer: it sums over the batch of {batch} where "
                f"the answer takes the mean; {shown}"
            )
        if _close(found_array, truth / batch, rtol, atol):
            raise ExerciseError(
                f"{what} is the answer divided by the batch size {batch}: it divides once too "
                f"often; {shown}"
            )
    offset = found_array - truth
    scale = atol + rtol * float(np.abs(truth).max())
    constant = offset.flat[0].item()
    if (
        found_array.size > 1
        and abs(constant) > 10 * scale
        and np.allclose(offset, constant, rtol=0, atol=scale)
    ):
        raise ExerciseError(
            f"{what} is off by the same constant {constant:.6g} everywhere: a "
            f"constant term is missing or extra; {shown}"
        )
    gap = np.abs(offset)
    where = np.unravel_index(int(np.argmax(gap)), gap.shape) if gap.ndim else ()
    at = f" at index {tuple(int(i) for i in where)}" if where else ""
    raise ExerciseError(f"{what} differs from the answer by up to {gap.max():.3g}{at}: {shown}")


def check_function(
    candidate: Callable[..., Any],
    reference: Callable[..., Any],
    cases: Iterable[Sequence[Any]],
    *,
    what: str | None = None,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    batch_of: Callable[..., int | None] | None = None,
    quiet: bool = False,
) -> int:
    r"""Call the reader's ``candidate`` and the package's ``reference`` on each case; compare.

    Parameters
    ----------
    candidate : callable
        The reader's function.
    reference : callable
        The package's function (or a thin wrapper of it) that takes the same arguments.
    cases : iterable of sequences
        The positional arguments of each call, for instance batches of different sizes.
    what : str, optional
        What the message calls the function; by default its ``__name__``.
    rtol, atol : float
        The tolerances of `check_close`.
    batch_of : callable, optional
        Given a case's arguments, the batch size its answer averages over (for `check_close`'s
        ``batch``). By default, when the answer is one number (a mean) and the first argument is
        a batch (it has a length over 1), that length; otherwise there is no batch.
    quiet : bool
        If False (the default), success prints one line with the number of cases.

    Returns
    -------
    int
        The number of cases checked (so that a notebook can print it).

    Raises
    ------
    ExerciseError
        When ``candidate`` still raises ``NotImplementedError``, raises anything else, or returns
        a result that `check_close` refuses for some case; the message names the case.
    """
    __tracebackhide__ = True
    name = what or f"{getattr(candidate, '__name__', 'your function')}()"
    count = 0
    for k, arguments in enumerate(cases, start=1):
        arguments = tuple(arguments)
        try:
            found = candidate(*arguments)
        except NotImplementedError:
            function = getattr(candidate, "__name__", "your function")
            raise ExerciseError(
                f"{function}() is not written yet: replace the `raise NotImplementedError` in "
                "its cell with your code"
            ) from None
        except Exception as error:  # the reader's code: report it in one line
            raise ExerciseError(
                f"{name} raised {type(error).__name__} on case {k}: {error}"
            ) from error
        expected = reference(*arguments)
        if batch_of is not None:
            batch = batch_of(*arguments)
        else:
            first = arguments[0] if arguments else None
            one_number = np.ndim(_as_array(expected, "the package's answer")) == 0
            batched = hasattr(first, "__len__") and len(first) > 1
            batch = len(first) if one_number and batched else None
        check_close(
            found, expected, what=f"{name} on case {k}", rtol=rtol, atol=atol, batch=batch,
            quiet=True,
        )  # fmt: skip
        count += 1
    if count == 0:
        raise ValueError("check_function needs at least one case")
    if not quiet:
        print(
            f"✓ {name}: correct on {count} case{'s' if count > 1 else ''}, "
            "as the package computes it"
        )
    return count


def check_true(condition: bool, message: str, *, passed: str = "") -> None:
    """Raise `ExerciseError` with ``message`` unless ``condition`` holds (for qualitative checks).

    Examples
    --------
    >>> check_true(1 < 2, "one should be below two", passed="one is below two")
    ✓ one is below two
    """
    __tracebackhide__ = True
    if not bool(condition):
        raise ExerciseError(message)
    if passed:
        print(f"✓ {passed}")
